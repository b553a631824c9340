package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/web"
)

// get fetches path from the stack with the admin key (or none, with key ""), and cookie when
// set: the status, the content type and the body.
func (s *stack) get(path, key string, cookie *http.Cookie) (int, string, []byte) {
	s.t.Helper()
	req, err := http.NewRequest("GET", s.api.URL+path, nil)
	require.NoError(s.t, err)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := noRedirects.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

// TestInvoiceDocuments: an invoice's document over the REST API (JSON and PDF), in the
// console (its page, linked from the order and the client, with a Refund link on each payment
// and its PDF) and in the client area (its PDF to its owner only); unknown and foreign ids are
// clear 4xx answers.
func TestInvoiceDocuments(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	ctx := context.Background()
	year := strconv.Itoa(time.Now().UTC().Year())
	s.mustCall("PUT", "/api/v1/settings", map[string]any{"company_name": "Hôst Exämple GmbH", "company_address": "Hauptstraße 1\n10115 Berlin",
		"company_tax_id": "DE123456789", "sequential_invoice_numbers": "true", "invoice_number_format": "INV-{YEAR}-{NUMBER}"}, 200)
	settings := s.mustCall("GET", "/api/v1/settings", nil, 200)
	next := settings["invoice_number_next"]
	require.Equal(t, "1", next, "a new installation numbers from 1")

	_, productID := s.catalogue("accept")
	owner, err := s.svc.CreateClient(ctx, clients.NewClient{FirstName: "Łukasz", LastName: "Żółć", Email: "lukasz@example.com",
		Password: "correct horse battery", NoSignupEmail: true, Country: "PL", TaxID: "PL5260001246"})
	require.NoError(t, err)
	_, err = s.svc.CreateClient(ctx, clients.NewClient{FirstName: "Eve", LastName: "Other", Email: "eve@example.com",
		Password: "correct horse battery", NoSignupEmail: true})
	require.NoError(t, err)
	req := hostingOrder(float64(owner.ID), productID, "zolw.com")
	p := s.mustCall("POST", "/api/v1/orders", req, 201)
	invoiceID := int64(p["invoice_id"].(float64))
	orderID := int64(p["order_id"].(float64))
	path := fmt.Sprintf("/api/v1/invoices/%d", invoiceID)

	// Unpaid: known by its id.
	inv := s.mustCall("GET", path, nil, 200)
	require.Equal(t, strconv.FormatInt(invoiceID, 10), inv["number"])
	require.Equal(t, "", inv["invoice_num"])
	require.Equal(t, "Unpaid", inv["status"])
	require.Equal(t, "Łukasz Żółć", inv["client"].(map[string]any)["name"])
	require.Equal(t, "PL5260001246", inv["client"].(map[string]any)["tax_id"])

	// Paid: numbered; then part refunded, its refund negative on the ledger.
	s.mustCall("POST", path+"/payments", map[string]any{"transaction_id": "bank-1", "gateway": "banktransfer"}, 201)
	s.mustCall("POST", path+"/refunds", map[string]any{"transaction_id": "bank-1", "method": "manual",
		"refund_transaction_id": "refund-1", "amount": "1.00"}, 201)
	inv = s.mustCall("GET", path, nil, 200)
	number := "INV-" + year + "-1"
	require.Equal(t, number, inv["number"])
	require.Equal(t, number, inv["invoice_num"])
	require.Equal(t, "Paid", inv["status"])
	require.NotNil(t, inv["date_paid"])
	require.Equal(t, "0.00", inv["credit"])
	txns := inv["transactions"].([]any)
	require.Len(t, txns, 2)
	require.Equal(t, "-1.00", txns[1].(map[string]any)["amount"])
	require.Equal(t, "1.00", inv["balance"], "what was refunded is due again")

	status, ctype, body := s.get(path+"/pdf", s.key, nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "application/pdf", ctype)
	require.True(t, strings.HasPrefix(string(body), "%PDF-"), "a PDF")
	if dir := os.Getenv("HOSTFLOW_SCREENSHOTS"); dir != "" {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "invoice.pdf"), body, 0o644))
	}
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/api/v1/invoices/987654", http.StatusNotFound}, {"/api/v1/invoices/987654/pdf", http.StatusNotFound},
		{"/api/v1/invoices/abc", http.StatusBadRequest}, {"/api/v1/invoices/-1/pdf", http.StatusBadRequest},
	} {
		got, _, body := s.get(tc.path, s.key, nil)
		require.Equal(t, tc.status, got, "%s: %s", tc.path, body)
	}
	got, _, _ := s.get(path+"/pdf", "", nil)
	require.Equal(t, http.StatusUnauthorized, got, "the API's PDF needs a key")

	// The client area: the owner's PDF, and nobody else's.
	tok, _, err := s.svc.ClientSignIn(ctx, "192.0.2.1", "lukasz@example.com", "correct horse battery")
	require.NoError(t, err)
	mine := &http.Cookie{Name: web.ClientSessionCookie, Value: tok}
	status, ctype, body = s.get(fmt.Sprintf("/client/invoices/%d/pdf", invoiceID), "", mine)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "application/pdf", ctype)
	require.True(t, strings.HasPrefix(string(body), "%PDF-"))
	status, _, body = s.get(fmt.Sprintf("/client/invoices/%d", invoiceID), "", mine)
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, string(body), fmt.Sprintf(`href="/client/invoices/%d/pdf"`, invoiceID), "the invoice page offers its PDF")
	require.Contains(t, string(body), "Invoice #"+number)
	evesTok, _, err := s.svc.ClientSignIn(ctx, "192.0.2.2", "eve@example.com", "correct horse battery")
	require.NoError(t, err)
	eve := &http.Cookie{Name: web.ClientSessionCookie, Value: evesTok}
	for _, p := range []string{fmt.Sprintf("/client/invoices/%d/pdf", invoiceID), "/client/invoices/987654/pdf"} {
		status, ctype, body = s.get(p, "", eve)
		require.Equal(t, http.StatusNotFound, status, "%s", p)
		require.NotContains(t, ctype, "pdf")
		require.Contains(t, string(body), billing.ReasonNoSuchInvoice)
	}
	status, _, _ = s.get(fmt.Sprintf("/client/invoices/%d/pdf", invoiceID), "", nil)
	require.Equal(t, http.StatusSeeOther, status, "signed out: to the sign-in page")

	// The console: from the order's invoice number to the invoice's page.
	const adminEmail, password = "ops@hostflow.test", "correct horse battery"
	_, _, err = s.svc.CreateAdmin(ctx, adminEmail, "Ops", password)
	require.NoError(t, err)
	base := s.api.URL + "/admin"
	b := newBrowser(t)
	b.signIn(base, adminEmail, password)
	b.open(fmt.Sprintf("%s/orders/%d", base, orderID))
	require.Equal(t, "Invoice #"+number, b.text(`#invoice-link`))
	b.submit(`#invoice-link`)
	require.Contains(t, b.location(), fmt.Sprintf("/admin/invoices/%d", invoiceID))
	require.Contains(t, b.text(`h1`), "Invoice #"+number)
	require.Contains(t, b.text(`h1`), "Paid")
	require.Contains(t, b.text(`.summary`), "Łukasz Żółć")
	require.Contains(t, b.text(`.summary`), "PL5260001246")
	require.Contains(t, b.text(`#invoice-totals`), "Sub Total")
	require.Contains(t, b.text(`#invoice-totals`), "Credit")
	require.Equal(t, "1.00 USD", b.text(`#invoice-balance`))
	require.Contains(t, b.text(`#invoice-transactions`), "-1.00 USD")
	require.Equal(t, 1, b.count(`#invoice-transactions a.refund`), "a Refund link on the payment, none on the refund")
	require.Equal(t, fmt.Sprintf("/admin/invoices/%d/refund?transaction=bank-1", invoiceID), b.attr(`#invoice-transactions a.refund`, "href"))
	require.Equal(t, fmt.Sprintf("/admin/invoices/%d/pdf", invoiceID), b.attr(`#invoice-pdf`, "href"))
	fetched, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`fetch(%q).then(async r => r.status + " " + r.headers.get("content-type") + " " + (await r.text()).slice(0, 5))`,
		fmt.Sprintf("/admin/invoices/%d/pdf", invoiceID)), chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	require.Equal(t, "200 application/pdf %PDF-", fetched)
	b.screenshot("console-invoice")
	b.noErrors()

	// The client's Invoices tab links it too; an unknown invoice is a 404 page.
	b.open(fmt.Sprintf("%s/clients/%d/invoices", base, owner.ID))
	require.Equal(t, number, b.text(fmt.Sprintf(`#invoice-%d th a`, invoiceID)))
	fetched, err = chromedp.Run(b.ctx, chromedp.Evaluate[string](
		`Promise.all(["/admin/invoices/987654", "/admin/invoices/987654/pdf", "/admin/invoices/x"].map(u => fetch(u).then(r => r.status))).then(s => s.join(","))`,
		chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	require.Equal(t, "404,404,404", fetched)
}

// TestSequentialInvoiceNumbersConcurrent: invoices paid at once take the paid invoice numbers
// one each, with no gap and no duplicate; an invoice paid again after a full refund keeps its
// number, and the next number cannot be lowered.
func TestSequentialInvoiceNumbersConcurrent(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	ctx := context.Background()
	s.mustCall("PUT", "/api/v1/settings", map[string]any{"sequential_invoice_numbers": "true", "invoice_number_next": "100"}, 200)
	clientID, productID := s.catalogue("accept")
	const n = 12
	invoices := make([]int64, n)
	for i := range n {
		req := hostingOrder(clientID, productID, fmt.Sprintf("seq%d.com", i))
		delete(req, "domains")
		p := s.mustCall("POST", "/api/v1/orders", req, 201)
		invoices[i] = int64(p["invoice_id"].(float64))
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i, id := range invoices {
		wg.Go(func() {
			_, err := s.svc.AddPayment(ctx, id, billing.Payment{TransactionID: fmt.Sprintf("seq-%d", i), Gateway: "banktransfer"})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	var got []int
	for _, id := range invoices {
		d, err := s.svc.Invoice(ctx, id)
		require.NoError(t, err)
		require.Equal(t, "Paid", string(d.Invoice.Status))
		num, err := strconv.Atoi(d.Invoice.Number)
		require.NoError(t, err, "invoice %d's number %q", id, d.Invoice.Number)
		got = append(got, num)
	}
	slices.Sort(got)
	want := make([]int, n)
	for i := range want {
		want[i] = 100 + i
	}
	require.Equal(t, want, got, "numbers 100..%d, each once", 100+n-1)
	require.Equal(t, strconv.Itoa(100+n), s.mustCall("GET", "/api/v1/settings", nil, 200)["invoice_number_next"])

	// Refunded in full and paid again: the same number.
	first, err := s.svc.Invoice(ctx, invoices[0])
	require.NoError(t, err)
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/refunds", invoices[0]), map[string]any{"transaction_id": "seq-0", "method": "manual",
		"refund_transaction_id": "seq-back"}, 201)
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", invoices[0]), map[string]any{"transaction_id": "seq-again"}, 201)
	again, err := s.svc.Invoice(ctx, invoices[0])
	require.NoError(t, err)
	require.Equal(t, "Paid", string(again.Invoice.Status))
	require.Equal(t, first.Invoice.Number, again.Invoice.Number)

	// The next number is only raised.
	out := s.mustCall("PUT", "/api/v1/settings", map[string]any{"invoice_number_next": "5"}, 422)
	require.Equal(t, "invoice_number_next", out["field"])
	s.mustCall("PUT", "/api/v1/settings", map[string]any{"invoice_number_next": "500", "invoice_number_format": "{YEAR}/{NUMBER}"}, 200)
	s.mustCall("PUT", "/api/v1/settings", map[string]any{"invoice_number_format": "INV-{YEAR}"}, 422)
}

// startMailpit runs the Mailpit `make run` starts for this test: its SMTP and web ports.
func startMailpit(t *testing.T) (smtpPort, webPort int) {
	t.Helper()
	smtpPort, webPort = freePort(t), freePort(t)
	cmd := exec.Command(mailpitPath(t), "--smtp", fmt.Sprintf("127.0.0.1:%d", smtpPort), "--listen", fmt.Sprintf("127.0.0.1:%d", webPort),
		"--database", filepath.Join(t.TempDir(), "mailpit.db"), "--smtp-auth-accept-any", "--smtp-auth-allow-insecure")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	require.Eventually(t, func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(webPort))
		if err == nil {
			c.Close()
		}
		return err == nil
	}, 15*time.Second, 50*time.Millisecond, "Mailpit never listened")
	return smtpPort, webPort
}

// mailpitJSON GETs a path of Mailpit's API.
func mailpitJSON(t *testing.T, webPort int, path string, v any) {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d%s", webPort, path))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, path)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(v))
}

// TestInvoiceEmailsCarryThePDF: Invoice Created and the payment's confirmation each arrive
// (at Mailpit, over SMTP) with the invoice's PDF attached, made as the email was sent: the
// receipt's shows the invoice Paid, under the number the payment gave it.
func TestInvoiceEmailsCarryThePDF(t *testing.T) {
	smtpPort, webPort := startMailpit(t)
	s := newStack(t)
	smtp, err := email.NewSMTP(email.Config{Host: "127.0.0.1", Port: smtpPort, TLS: "none", From: "billing@host.example", FromName: "Host Example"})
	require.NoError(t, err)
	s.acts.Mail.Sender, s.acts.Mail.Domain, s.acts.Mail.Company = smtp, "host.example", "Host Example"
	s.startWorker()
	s.mustCall("PUT", "/api/v1/settings", map[string]any{"sequential_invoice_numbers": "true", "invoice_number_format": "INV-{NUMBER}"}, 200)
	clientID, productID := s.catalogue("accept")
	req := hostingOrder(clientID, productID, "attached.com")
	delete(req, "domains")
	p := s.mustCall("POST", "/api/v1/orders", req, 201)
	invoiceID := int64(p["invoice_id"].(float64))

	type summary struct {
		ID          string
		Subject     string
		Attachments int
	}
	var list struct{ Messages []summary }
	find := func(subject string) (summary, bool) {
		for _, m := range list.Messages {
			if strings.Contains(m.Subject, subject) {
				return m, true
			}
		}
		return summary{}, false
	}
	arrives := func(subject string) {
		t.Helper()
		require.Eventually(t, func() bool {
			mailpitJSON(t, webPort, "/api/v1/messages", &list)
			_, ok := find(subject)
			return ok
		}, 30*time.Second, 100*time.Millisecond, "%q reaches Mailpit: %v", subject, &list)
	}
	// Invoice Created is sent once the order has settled; the payment waits for it, so that it
	// goes out unpaid (an email sent later shows the invoice as it is then).
	arrives(fmt.Sprintf("Customer Invoice #%d", invoiceID))
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", invoiceID), map[string]any{"transaction_id": "mail-1", "gateway": "banktransfer"}, 201)
	arrives("Invoice Payment Confirmation #INV-1")
	// Invoice Created went out unpaid, known by its id; the receipt, made after the payment
	// numbered it, carries the paid number.
	for subject, file := range map[string]string{"Customer Invoice": fmt.Sprintf("Invoice-%d.pdf", invoiceID),
		"Payment Confirmation": "Invoice-INV-1.pdf"} {
		m, _ := find(subject)
		require.Equal(t, 1, m.Attachments, "%s carries one attachment", subject)
		var msg struct {
			Attachments []struct {
				PartID, FileName, ContentType string
				Size                          int
			}
		}
		mailpitJSON(t, webPort, "/api/v1/message/"+m.ID, &msg)
		require.Len(t, msg.Attachments, 1)
		a := msg.Attachments[0]
		require.Equal(t, file, a.FileName)
		require.Equal(t, "application/pdf", a.ContentType)
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/api/v1/message/%s/part/%s", webPort, m.ID, a.PartID))
		require.NoError(t, err)
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(string(raw), "%PDF-"), "%s: the attachment is a PDF", subject)
	}
}
