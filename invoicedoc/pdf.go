package invoicedoc

import (
	_ "embed"
	"fmt"
	"io"
	"time"

	"github.com/signintech/gopdf"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
)

// The PDF's font is DejaVu Sans (fonts/LICENSE), embedded: the PDF core fonts know only one
// Western code page, and a client named Łukasz or a company in Ελλάδα must print as written.
// gopdf embeds only the glyphs a document uses.
var (
	//go:embed fonts/DejaVuSans.ttf
	regularTTF []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	boldTTF []byte
)

// Font families as the document names them.
const (
	regular = "dejavu"
	bold    = "dejavu-bold"
)

// The page: A4 in points, with margins.
const (
	pageW, pageH = 595.28, 841.89
	margin       = 42.0
	contentW     = pageW - 2*margin
	footerSpace  = 40.0
	// amountW is the width of an amount column; a description gets what is left.
	amountW = 110.0
)

// Options change how PDF writes a document.
type Options struct {
	// Uncompressed leaves the page streams uncompressed, so that a test can read them.
	Uncompressed bool
	// Now is when the document is made (its creation date); time.Now when zero.
	Now time.Time
}

// PDF writes the document as a PDF to w: the status (a big PAID once paid), the seller with
// its tax id, the client ("Invoiced To") with theirs, the number and dates, the lines (taxed
// ones marked " *", with WHMCS's footnote), Sub Total, a row per tax level, Credit and Total,
// the transactions (refunds negative) and the balance.
func PDF(w io.Writer, d Document) error { return Write(w, d, Options{}) }

// Write is PDF with options.
func Write(w io.Writer, d Document, opts Options) error {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	p := &pen{pdf: &gopdf.GoPdf{}}
	p.pdf.Start(gopdf.Config{PageSize: gopdf.Rect{W: pageW, H: pageH}, Unit: gopdf.UnitPT})
	if opts.Uncompressed {
		p.pdf.SetNoCompression()
	}
	p.pdf.SetInfo(gopdf.PdfInfo{Title: d.Title(), Author: d.Seller.Name, Subject: "Invoice", Creator: "hostflow",
		Producer: "hostflow", CreationDate: opts.Now})
	if err := p.pdf.AddTTFFontData(regular, regularTTF); err != nil {
		return fault.Wrap(err, "load the PDF font")
	}
	if err := p.pdf.AddTTFFontData(bold, boldTTF); err != nil {
		return fault.Wrap(err, "load the PDF font")
	}
	p.newPage()
	p.head(d)
	p.lines(d)
	p.totals(d)
	p.transactions(d)
	if p.err != nil {
		return fault.Wrap(p.err, "draw invoice %d", d.Invoice.Invoice.ID)
	}
	_, err := p.pdf.WriteTo(w)
	return fault.Wrap(err, "write invoice %d's PDF", d.Invoice.Invoice.ID)
}

// pen draws on the document, keeping the first error (gopdf answers one per call) and the
// line it is at, and starts a new page when a row would not fit.
type pen struct {
	pdf *gopdf.GoPdf
	y   float64
	err error
}

func (p *pen) newPage() {
	p.pdf.AddPage()
	p.y = margin
}

// room starts a new page unless h points still fit above the footer.
func (p *pen) room(h float64) {
	if p.y+h > pageH-margin-footerSpace {
		p.newPage()
	}
}

func (p *pen) font(family string, size float64) {
	if p.err == nil {
		p.err = p.pdf.SetFont(family, "", size)
	}
}

func (p *pen) color(r, g, b uint8) { p.pdf.SetTextColor(r, g, b) }

// text writes s in a box w wide at x on the current line, aligned by align (gopdf.Left,
// gopdf.Right, gopdf.Center).
func (p *pen) text(x, w, h float64, s string, align int) {
	if p.err != nil || s == "" {
		return
	}
	p.pdf.SetXY(x, p.y)
	p.err = p.pdf.CellWithOption(&gopdf.Rect{W: w, H: h}, s, gopdf.CellOption{Align: align | gopdf.Top})
}

// wrapped splits s into the lines that fit w at the current font.
func (p *pen) wrapped(s string, w float64) []string {
	if p.err != nil {
		return nil
	}
	ls, err := p.pdf.SplitTextWithWordWrap(s, w)
	if err != nil {
		// A word wider than the column: split anywhere.
		if ls, err = p.pdf.SplitText(s, w); err != nil {
			p.err = err
		}
	}
	if len(ls) == 0 {
		return []string{s}
	}
	return ls
}

// rule draws a line across the content at the current y.
func (p *pen) rule(gray uint8) {
	p.pdf.SetStrokeColor(gray, gray, gray)
	p.pdf.SetLineWidth(0.6)
	p.pdf.Line(margin, p.y, pageW-margin, p.y)
}

// band fills a gray band h high across the content at the current y (a table's header).
func (p *pen) band(h float64) {
	p.pdf.SetFillColor(236, 239, 243)
	p.pdf.RectFromUpperLeftWithStyle(margin, p.y, contentW, h, "F")
}

// Colours of the status stamp, as WHMCS's invoice shows them.
var statusColors = map[order.InvoiceStatus][3]uint8{
	order.InvoicePaid:      {46, 139, 87},
	order.InvoiceUnpaid:    {204, 0, 0},
	order.InvoiceCancelled: {120, 120, 120},
	order.InvoiceRefunded:  {40, 90, 170},
}

// head draws the seller and the status, the title and dates, and Invoiced To.
func (p *pen) head(d Document) {
	inv := d.Invoice.Invoice
	half := contentW / 2

	// The status, top right: a big PAID once paid, else the status in words.
	c := statusColors[inv.Status]
	p.color(c[0], c[1], c[2])
	if inv.Status == order.InvoicePaid {
		p.font(bold, 40)
		p.text(margin+half, half, 44, "PAID", gopdf.Right)
	} else {
		p.font(bold, 24)
		p.text(margin+half, half, 30, string(inv.Status), gopdf.Right)
	}

	// The seller, top left.
	p.color(20, 20, 20)
	p.font(bold, 16)
	p.text(margin, half, 20, d.Seller.Name, gopdf.Left)
	p.y += 22
	p.font(regular, 9.5)
	for _, l := range d.Seller.Address {
		p.text(margin, half, 12, l, gopdf.Left)
		p.y += 12
	}
	if d.Seller.TaxID != "" {
		p.text(margin, half, 12, "VAT/Tax ID: "+d.Seller.TaxID, gopdf.Left)
		p.y += 12
	}
	p.y = max(p.y, margin+48) + 14

	// The title and dates, on a band.
	rows := [][2]string{{"Invoice Date", date(inv.CreatedAt)}, {"Due Date", date(inv.DueAt)}}
	if !inv.PaidAt.IsZero() {
		rows = append(rows, [2]string{"Date Paid", date(inv.PaidAt)})
	}
	if d.OrderNumber != 0 {
		rows = append(rows, [2]string{"Order", fmt.Sprintf("#%d", d.OrderNumber)})
	}
	if d.PaymentMethod != "" {
		rows = append(rows, [2]string{"Payment Method", billing.MethodName(d.PaymentMethod)})
	}
	bandH := 30 + 13*float64(len(rows))
	p.band(bandH)
	p.y += 8
	p.font(bold, 14)
	p.text(margin+10, contentW-20, 18, d.Title(), gopdf.Left)
	p.y += 22
	for _, r := range rows {
		p.font(bold, 9.5)
		p.text(margin+10, 100, 12, r[0]+":", gopdf.Left)
		p.font(regular, 9.5)
		p.text(margin+110, contentW-120, 12, r[1], gopdf.Left)
		p.y += 13
	}
	p.y += 16

	// Invoiced To.
	p.font(bold, 11)
	p.text(margin, contentW, 14, "Invoiced To", gopdf.Left)
	p.y += 16
	p.font(regular, 9.5)
	to := []string{d.Client.Name}
	if d.Client.Company != "" {
		to = append(to, d.Client.Company)
	}
	to = append(to, d.Client.Address...)
	to = append(to, d.Client.Email)
	if d.Client.TaxID != "" {
		to = append(to, "VAT/Tax ID: "+d.Client.TaxID)
	}
	for _, l := range to {
		p.text(margin, contentW, 12, l, gopdf.Left)
		p.y += 12
	}
	p.y += 18
}

// lines draws the invoice's lines: Description and Amount, a taxed line ending " *".
func (p *pen) lines(d Document) {
	inv := d.Invoice.Invoice
	descW := contentW - amountW - 20
	header := func() {
		p.room(40)
		p.band(18)
		p.color(20, 20, 20)
		p.font(bold, 9.5)
		p.y += 4
		p.text(margin+8, descW, 12, "Description", gopdf.Left)
		p.text(pageW-margin-amountW-8, amountW, 12, "Amount", gopdf.Right)
		p.y += 16
	}
	header()
	p.font(regular, 9.5)
	for _, it := range d.Invoice.Items {
		desc := it.Description
		if it.Taxed && inv.Tax.Charged() {
			desc += " *"
		}
		ls := p.wrapped(desc, descW)
		h := 12*float64(len(ls)) + 8
		if p.y+h > pageH-margin-footerSpace {
			p.newPage()
			header()
			p.font(regular, 9.5)
		}
		p.y += 4
		p.text(pageW-margin-amountW-8, amountW, 12, amount(it.Amount, inv.Currency), gopdf.Right)
		for _, l := range ls {
			p.text(margin+8, descW, 12, l, gopdf.Left)
			p.y += 12
		}
		p.y += 4
		p.rule(220)
	}
}

// totals draws Sub Total, a row per tax level named, Credit and Total, as WHMCS 8's PDF does,
// and the taxed items' footnote.
func (p *pen) totals(d Document) {
	inv := d.Invoice.Invoice
	cur := inv.Currency
	rows := [][2]string{{"Sub Total", amount(inv.Tax.Subtotal, cur)}}
	if t := inv.Tax; t.Name1 != "" {
		rows = append(rows, [2]string{t.Rate1.Short() + "% " + t.Name1, amount(t.Tax1, cur)})
	}
	if t := inv.Tax; t.Name2 != "" {
		rows = append(rows, [2]string{t.Rate2.Short() + "% " + t.Name2, amount(t.Tax2, cur)})
	}
	rows = append(rows, [2]string{"Credit", amount(d.Credit, cur)}, [2]string{"Total", amount(inv.Total, cur)})
	p.room(16*float64(len(rows)) + 30)
	p.y += 6
	labelX, labelW := pageW-margin-amountW-8-180, 170.0
	for i, r := range rows {
		last := i == len(rows)-1
		if last {
			p.font(bold, 10.5)
		} else {
			p.font(regular, 9.5)
		}
		p.text(labelX, labelW, 13, r[0], gopdf.Right)
		p.text(pageW-margin-amountW-8, amountW, 13, r[1], gopdf.Right)
		p.y += 15
	}
	if inv.Tax.Charged() {
		p.font(regular, 8.5)
		p.color(90, 90, 90)
		p.text(margin, contentW, 11, "* Indicates a taxed item.", gopdf.Left)
		p.color(20, 20, 20)
		p.y += 12
	}
	p.y += 16
}

// transactions draws the ledger (date, gateway, transaction id, amount; refunds negative) and
// the balance.
func (p *pen) transactions(d Document) {
	inv := d.Invoice.Invoice
	cols := []struct {
		title string
		x, w  float64
		align int
	}{
		{"Transaction Date", margin + 8, 110, gopdf.Left},
		{"Gateway", margin + 125, 110, gopdf.Left},
		{"Transaction ID", margin + 240, contentW - 240 - amountW - 16, gopdf.Left},
		{"Amount", pageW - margin - amountW - 8, amountW, gopdf.Right},
	}
	header := func() {
		p.room(50)
		p.color(20, 20, 20)
		p.font(bold, 11)
		p.text(margin, contentW, 14, "Transactions", gopdf.Left)
		p.y += 18
		p.band(18)
		p.font(bold, 9.5)
		p.y += 4
		for _, c := range cols {
			p.text(c.x, c.w, 12, c.title, c.align)
		}
		p.y += 16
		p.font(regular, 9.5)
	}
	header()
	if len(d.Invoice.Transactions) == 0 {
		p.y += 4
		p.text(margin+8, contentW-16, 12, "No Related Transactions Found", gopdf.Left)
		p.y += 16
		p.rule(220)
	}
	for _, t := range d.Invoice.Transactions {
		if p.y+20 > pageH-margin-footerSpace {
			p.newPage()
			header()
		}
		gw := billing.MethodName(t.Gateway)
		if t.Type == gateway.Refund {
			gw += " (refund)"
		}
		ids := p.wrapped(t.TransactionID, cols[2].w)
		p.y += 4
		p.text(cols[0].x, cols[0].w, 12, date(t.Date), gopdf.Left)
		p.text(cols[1].x, cols[1].w, 12, gw, gopdf.Left)
		p.text(cols[3].x, cols[3].w, 12, amount(t.Amount, t.Currency), gopdf.Right)
		for _, l := range ids {
			p.text(cols[2].x, cols[2].w, 12, l, gopdf.Left)
			p.y += 12
		}
		p.y += 4
		p.rule(220)
	}
	p.room(24)
	p.y += 6
	p.font(bold, 10.5)
	p.text(pageW-margin-amountW-8-180, 170, 13, "Balance", gopdf.Right)
	p.text(pageW-margin-amountW-8, amountW, 13, amount(d.Balance(), inv.Currency), gopdf.Right)
	p.y += 15
}

// amount is an amount as the document writes it: in the currency's own minor digits, with its
// code ("1234.50 EUR"), as hostflow's APIs give it.
func amount(minor int64, currency string) string {
	return money.Format(minor, currency) + " " + currency
}

// date is a date as the document writes it.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 Jan 2006")
}
