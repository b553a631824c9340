package billing

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/whmcs/reads"
	"github.com/hostflow/hostflow/whmcs/wire"
)

// GetInvoice serves GetInvoice.
func (a *Actions) GetInvoice(ctx context.Context, p wire.Params) (wire.Reply, error) {
	id, err := p.Required("invoiceid", "Invoice ID Not Found")
	if err != nil {
		return nil, err
	}
	d, err := a.svc.Invoice(ctx, id)
	if err != nil {
		return nil, err
	}
	inv, cur := d.Invoice, d.Invoice.Currency
	txns := []map[string]any{}
	for _, t := range d.Transactions {
		txns = append(txns, map[string]any{"id": t.ID, "userid": inv.ClientID, "gateway": t.Gateway, "date": wire.Time(t.Date),
			"description": t.Description(), "amountin": money.Format(max(t.Amount, 0), cur), "amountout": money.Format(max(-t.Amount, 0), cur),
			"transid": t.TransactionID, "invoiceid": inv.ID})
	}
	items := []map[string]any{}
	for _, it := range d.Items {
		items = append(items, map[string]any{"id": it.ID, "type": it.Type, "relid": it.RelID, "description": it.Description,
			"amount": money.Format(it.Amount, cur), "taxed": taxedFlag(it.Taxed)})
	}
	method, err := reads.InvoicePaymentMethod(ctx, a.svc.Pool, id)
	if err != nil {
		return nil, err
	}
	out := invoiceFields(inv)
	out["paymentmethod"], out["lastcaptureattempt"], out["ccgateway"] = method, wire.ZeroTime, false
	out["items"] = map[string]any{"item": items}
	if a.publicURL != "" {
		// hostflow's own field: the invoice's page in the client area, where the customer pays.
		out["invoiceurl"] = a.publicURL + billing.InvoicePath(inv.ID)
	}
	out["transactions"] = any("") // WHMCS's answer for none, in its example
	if len(txns) > 0 {
		out["transactions"] = map[string]any{"transaction": txns}
	}
	return out, nil
}

// invoiceFields are an invoice's fields as GetInvoice and GetInvoices answer them: the tax as
// the invoice was written with it (rates with three decimals, as WHMCS gives them), and in
// notes, WHMCS's free text on the invoice, the reverse charge's note when its VAT was.
func invoiceFields(inv billing.Invoice) wire.Reply {
	cur, t := inv.Currency, inv.Tax
	datePaid := wire.ZeroTime
	if !inv.PaidAt.IsZero() {
		datePaid = wire.Time(inv.PaidAt)
	}
	return wire.Reply{"invoiceid": inv.ID, "id": inv.ID, "invoicenum": inv.Number, "userid": inv.ClientID, "date": inv.CreatedAt.Format("2006-01-02"),
		"duedate": inv.DueAt.Format("2006-01-02"), "datepaid": datePaid, "subtotal": money.Format(t.Subtotal, cur),
		"credit": money.Format(inv.Credit, cur), "tax": money.Format(t.Tax1, cur), "tax2": money.Format(t.Tax2, cur), "total": money.Format(inv.Total, cur),
		"balance": money.Format(inv.Total-inv.Paid, cur), "taxrate": t.Rate1.String(), "taxrate2": t.Rate2.String(), "status": inv.Status,
		"paymentmethod": "", "notes": t.Note(), "currencycode": cur}
}

// taxedFlag is a line's taxed flag as GetInvoice's example has it: 1 or 0.
func taxedFlag(taxed bool) int {
	if taxed {
		return 1
	}
	return 0
}

// GetInvoices serves GetInvoices.
func (a *Actions) GetInvoices(ctx context.Context, p wire.Params) (wire.Reply, error) {
	off, lim, err := p.Page()
	if err != nil {
		return nil, err
	}
	userID, err := p.Int("userid")
	if err != nil {
		return nil, err
	}
	// WHMCS compares the status without regard to case; Overdue is Unpaid past its due date.
	status := order.InvoiceStatus(p.Str("status"))
	for _, st := range []order.InvoiceStatus{order.InvoiceUnpaid, order.InvoicePaid, order.InvoiceCancelled, order.InvoiceRefunded, reads.InvoiceOverdue} {
		if strings.EqualFold(string(st), string(status)) {
			status = st
		}
	}
	sort := reads.InvoiceSort{By: strings.ToLower(p.Str("orderby")), Ascending: strings.EqualFold(p.Str("order"), "asc")}
	if sort.By == "invoicenumber" || sort.By == "invoicenum" {
		sort.By = "id" // hostflow numbers invoices by id
	}
	rows, total, err := reads.SortedInvoices(ctx, a.svc.Pool, userID, status, sort, reads.Page{Offset: off, Limit: lim})
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, inv := range rows {
		f := invoiceFields(inv.Invoice)
		f["firstname"], f["lastname"], f["companyname"], f["paymentmethod"] = inv.FirstName, inv.LastName, inv.CompanyName, inv.PaymentMethod
		f["last_capture_attempt"], f["date_refunded"], f["date_cancelled"], f["paymethodid"] = wire.ZeroTime, wire.ZeroTime, wire.ZeroTime, nil
		f["created_at"], f["updated_at"] = wire.Time(inv.CreatedAt), wire.Time(inv.CreatedAt)
		f["currencyprefix"], f["currencysuffix"] = "", " "+inv.Currency
		delete(f, "invoiceid")
		delete(f, "balance")
		list = append(list, map[string]any(f))
	}
	return wire.Reply{"totalresults": total, "startnumber": off, "numreturned": len(list), "invoices": map[string]any{"invoice": list}}, nil
}

// invoiceStatuses are the statuses WHMCS's UpdateInvoice knows.
var invoiceStatuses = []string{"Draft", "Unpaid", "Paid", "Cancelled", "Refunded", "Collections", "Payment Pending"}

// invoiceFieldsNotHeld are UpdateInvoice's parameters for what hostflow's invoices do not hold:
// refused rather than dropped.
var invoiceFieldsNotHeld = []string{"paymentmethod", "taxrate", "taxrate2", "credit", "date", "datepaid", "notes", "itemdescription",
	"itemamount", "itemtaxed", "newitemdescription", "newitemamount", "newitemtaxed", "deletelineids", "publish",
	"publishandsendemail"}

// UpdateInvoice serves UpdateInvoice for what a hostflow invoice holds: its due date, and its
// status when it is the current one (a status follows the invoice's payments and its order).
func (a *Actions) UpdateInvoice(ctx context.Context, p wire.Params) (wire.Reply, error) {
	id, err := p.Required("invoiceid", "Invoice ID Not Found")
	if err != nil {
		return nil, err
	}
	if err := p.Refuse(invoiceFieldsNotHeld,
		"hostflow updates an invoice's due date only (its status follows its payments and its order)"); err != nil {
		return nil, err
	}
	var u billing.InvoiceUpdate
	if s := p.Str("status"); s != "" {
		i := slices.IndexFunc(invoiceStatuses, func(w string) bool { return strings.EqualFold(w, s) })
		if i < 0 {
			return nil, wire.Fail("Invalid status " + s)
		}
		u.Status = order.InvoiceStatus(invoiceStatuses[i])
	}
	if d := p.Str("duedate"); d != "" {
		if u.DueDate, err = time.Parse("2006-01-02", d); err != nil {
			return nil, wire.Fail("Invalid due date: use YYYY-MM-DD")
		}
	}
	if err := a.svc.UpdateInvoice(ctx, id, u); err != nil {
		return nil, err
	}
	return wire.Reply{"invoiceid": wire.ID(id)}, nil
}
