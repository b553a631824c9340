package invoicedoc

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/tax"
)

// sample is a taxed invoice to a client whose name needs more than one code page.
func sample(status order.InvoiceStatus, lines int) Document {
	day := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	inv := billing.Invoice{ID: 42, OrderID: 7, ClientID: 3, Status: status, Currency: "EUR", Total: 2618, CreatedAt: day,
		DueAt: day.AddDate(0, 0, 7), Number: "2026-17",
		Tax: billing.InvoiceTax{Subtotal: 2200, Tax1: 418, Rate1: tax.Rate(19000), Name1: "VAT"}}
	d := Document{Seller: Seller{Name: "Hôst Exämple GmbH", Address: []string{"Hauptstraße 1", "10115 Berlin", "Germany"}, TaxID: "DE123456789"},
		Client: Client{ID: 3, Name: "Łukasz Żółć", Company: "Ελληνική Φιλοξενία", Email: "lukasz@example.com",
			Address: []string{"ul. Długa 5", "Gdańsk 80-001", "Poland"}, TaxID: "PL5260001246"},
		OrderNumber: 1234567890, PaymentMethod: "stripe"}
	for i := range lines {
		d.Invoice.Items = append(d.Invoice.Items, billing.InvoiceLine{ID: int64(i + 1), Type: "Hosting", Description: fmt.Sprintf(
			"Starter hosting — żółw%d.example (01/12/2026 - 31/12/2026) with a description long enough to wrap onto a second line", i),
			Amount: 1000, Taxed: i%2 == 0})
	}
	if status == order.InvoicePaid {
		inv.Paid, inv.PaidAt = 2618, day.Add(time.Hour)
		d.Invoice.Transactions = []billing.Transaction{
			{ID: 1, Type: gateway.Payment, Gateway: "stripe", TransactionID: "pi_3Nq8xY2eZvKYlo2C", Amount: 2618, Currency: "EUR", Date: day.Add(time.Hour)},
		}
	}
	d.Invoice.Invoice = inv
	return d
}

func render(t *testing.T, d Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, d, Options{Uncompressed: true, Now: d.Invoice.Invoice.CreatedAt}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	pageObject = regexp.MustCompile(`/Type\s*/Page\b[^s]`)
	titleEntry = regexp.MustCompile(`/Title <FEFF([0-9A-F]*)>`)
)

// title reads the document's title from its Info dictionary (UTF-16BE, in hex).
func title(t *testing.T, pdf []byte) string {
	t.Helper()
	m := titleEntry.FindSubmatch(pdf)
	if m == nil {
		t.Fatal("the PDF has no /Title")
	}
	raw, err := hex.DecodeString(string(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	units := make([]uint16, len(raw)/2)
	for i := range units {
		units[i] = uint16(raw[2*i])<<8 | uint16(raw[2*i+1])
	}
	return string(utf16.Decode(units))
}

func TestPDF(t *testing.T) {
	for _, tc := range []struct {
		name          string
		doc           Document
		pages         int // at least
		maxPages      int
		want, notWant []string // in the text pdftotext extracts, when it is installed
	}{
		{name: "paid", doc: sample(order.InvoicePaid, 3), pages: 1, maxPages: 1,
			want: []string{"PAID", "Invoice #2026-17", "Hôst Exämple GmbH", "VAT/Tax ID: DE123456789", "Łukasz Żółć", "Ελληνική Φιλοξενία",
				"VAT/Tax ID: PL5260001246", "Invoiced To", "Sub Total", "22.00 EUR", "19% VAT", "4.18 EUR", "Credit", "Total", "26.18 EUR",
				"* Indicates a taxed item.", "pi_3Nq8xY2eZvKYlo2C", "Credit Card", "Balance", "0.00 EUR", "Order", "#1234567890"},
			notWant: []string{"Unpaid", "No Related Transactions Found"}},
		{name: "unpaid", doc: sample(order.InvoiceUnpaid, 3), pages: 1, maxPages: 1,
			want:    []string{"Unpaid", "No Related Transactions Found", "26.18 EUR"},
			notWant: []string{"PAID", "Date Paid"}},
		{name: "long invoice spans pages", doc: sample(order.InvoiceUnpaid, 80), pages: 3, maxPages: 6,
			want: []string{"żółw79.example", "Balance"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pdf := render(t, tc.doc)
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 16)])
			}
			if !bytes.Contains(pdf[max(0, len(pdf)-64):], []byte("%%EOF")) {
				t.Errorf("the PDF does not end with the %s marker", "%%EOF")
			}
			if n := len(pageObject.FindAll(pdf, -1)); n < tc.pages || n > tc.maxPages {
				t.Errorf("%d pages, want %d to %d", n, tc.pages, tc.maxPages)
			}
			if got := title(t, pdf); got != "Invoice #2026-17" {
				t.Errorf("title %q", got)
			}
			text := extract(t, pdf)
			if text == "" {
				return
			}
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("the PDF's text lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(text, w) {
					t.Errorf("the PDF's text has %q:\n%s", w, text)
				}
			}
		})
	}
}

// extract is the PDF's text as poppler's pdftotext reads it (its spaces squeezed), or "" when
// pdftotext is not installed: the glyphs, not only the bytes, are checked where it is.
func extract(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Log("pdftotext not installed: the PDF's text is not checked")
		return ""
	}
	in := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if dir := os.Getenv("HOSTFLOW_PDF_OUT"); dir != "" { // to look at it
		_ = os.WriteFile(filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "-")+".pdf"), pdf, 0o644)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestFileName(t *testing.T) {
	for num, want := range map[string]string{"": "Invoice-42.pdf", "2026-17": "Invoice-2026-17.pdf", "INV/2026/17": "Invoice-INV_2026_17.pdf"} {
		d := Document{Invoice: billing.InvoiceDetail{Invoice: billing.Invoice{ID: 42, Number: num}}}
		if got := d.FileName(); got != want {
			t.Errorf("number %q: %q, want %q", num, got, want)
		}
	}
}

func TestPostal(t *testing.T) {
	for _, tc := range []struct {
		in   [6]string
		want string
	}{
		{[6]string{"1 Main St", "", "Springfield", "IL", "62701", "US"}, "1 Main St|Springfield, IL 62701|United States"},
		{[6]string{"", "", "", "", "", ""}, ""},
		{[6]string{"Flat 2", "3 High St", "London", "", "N1 9GU", "GB"}, "Flat 2|3 High St|London N1 9GU|United Kingdom"},
	} {
		if got := strings.Join(postal(tc.in[0], tc.in[1], tc.in[2], tc.in[3], tc.in[4], tc.in[5]), "|"); got != tc.want {
			t.Errorf("postal(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDatePaid(t *testing.T) {
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	txn := func(kind string, amount int64, d int) billing.Transaction {
		return billing.Transaction{Type: kind, Amount: amount, Date: day.AddDate(0, 0, d)}
	}
	for _, tc := range []struct {
		name   string
		status order.InvoiceStatus
		paidAt time.Time
		txns   []billing.Transaction
		want   time.Time
	}{
		{"paid in two parts", order.InvoicePaid, time.Time{}, []billing.Transaction{txn(gateway.Payment, 400, 1), txn(gateway.Payment, 600, 3)}, day.AddDate(0, 0, 3)},
		{"paid, refunded, paid again", order.InvoicePaid, time.Time{},
			[]billing.Transaction{txn(gateway.Payment, 1000, 1), txn(gateway.Refund, -1000, 2), txn(gateway.Payment, 1000, 5)}, day.AddDate(0, 0, 1)},
		{"the row's own date", order.InvoicePaid, day, []billing.Transaction{txn(gateway.Payment, 1000, 4)}, day},
		{"unpaid", order.InvoiceUnpaid, time.Time{}, []billing.Transaction{txn(gateway.Payment, 400, 1)}, time.Time{}},
	} {
		d := billing.InvoiceDetail{Invoice: billing.Invoice{Status: tc.status, Total: 1000, PaidAt: tc.paidAt}, Transactions: tc.txns}
		datePaid(&d)
		if !d.Invoice.PaidAt.Equal(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, d.Invoice.PaidAt, tc.want)
		}
	}
}

func BenchmarkPDF(b *testing.B) {
	d := sample(order.InvoicePaid, 5)
	for b.Loop() {
		if err := PDF(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}
