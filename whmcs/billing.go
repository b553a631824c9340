package whmcs

import (
	"context"
	"strings"
	"time"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
)

func (h *Handler) getInvoice(ctx context.Context, p params) (reply, error) {
	id, err := p.required("invoiceid", "Invoice ID Not Found")
	if err != nil {
		return nil, err
	}
	d, err := h.svc.Invoice(ctx, id)
	if err != nil {
		return nil, err
	}
	inv, cur := d.Invoice, d.Invoice.Currency
	txns := []map[string]any{}
	for _, t := range d.Transactions {
		txns = append(txns, map[string]any{"id": t.ID, "userid": inv.ClientID, "gateway": t.Gateway, "date": whmcsTime(t.Date),
			"description": "Invoice Payment", "amountin": money.Format(max(t.Amount, 0), cur), "amountout": money.Format(max(-t.Amount, 0), cur),
			"transid": t.TransactionID, "invoiceid": inv.ID})
	}
	items := []map[string]any{}
	for _, it := range d.Items {
		items = append(items, map[string]any{"id": it.ID, "type": it.Type, "relid": it.RelID, "description": it.Description,
			"amount": money.Format(it.Amount, cur), "taxed": 0})
	}
	method, err := h.invoicePaymentMethod(ctx, id)
	if err != nil {
		return nil, err
	}
	out := invoiceFields(inv)
	out["paymentmethod"], out["lastcaptureattempt"], out["ccgateway"] = method, zeroTime, false
	out["items"] = map[string]any{"item": items}
	out["transactions"] = any("") // WHMCS's answer for none, in its example
	if len(txns) > 0 {
		out["transactions"] = map[string]any{"transaction": txns}
	}
	return out, nil
}

// zeroTime is MySQL's zero date, which WHMCS answers for a date never set.
const zeroTime = "0000-00-00 00:00:00"

func invoiceFields(inv billing.Invoice) reply {
	cur := inv.Currency
	datePaid := zeroTime
	if !inv.PaidAt.IsZero() {
		datePaid = whmcsTime(inv.PaidAt)
	}
	return reply{"invoiceid": inv.ID, "id": inv.ID, "invoicenum": "", "userid": inv.ClientID, "date": inv.CreatedAt.Format("2006-01-02"),
		"duedate": inv.DueAt.Format("2006-01-02"), "datepaid": datePaid, "subtotal": money.Format(inv.Total, cur),
		"credit": "0.00", "tax": "0.00", "tax2": "0.00", "total": money.Format(inv.Total, cur),
		"balance": money.Format(inv.Total-inv.Paid, cur), "taxrate": "0.000", "taxrate2": "0.000", "status": inv.Status,
		"paymentmethod": "", "notes": "", "currencycode": cur}
}

func whmcsTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") }

func (h *Handler) getInvoices(ctx context.Context, p params) (reply, error) {
	off, lim, err := p.page()
	if err != nil {
		return nil, err
	}
	userID, err := p.int("userid")
	if err != nil {
		return nil, err
	}
	// WHMCS compares the status without regard to case; Overdue is Unpaid past its due date.
	status := order.InvoiceStatus(p.str("status"))
	for _, st := range []order.InvoiceStatus{order.InvoiceUnpaid, order.InvoicePaid, order.InvoiceCancelled, order.InvoiceRefunded, invoiceOverdue} {
		if strings.EqualFold(string(st), string(status)) {
			status = st
		}
	}
	sort := invoiceSort{by: strings.ToLower(p.str("orderby")), ascending: strings.EqualFold(p.str("order"), "asc")}
	if sort.by == "invoicenumber" || sort.by == "invoicenum" {
		sort.by = "id" // hostflow numbers invoices by id
	}
	rows, total, err := h.sortedInvoices(ctx, userID, status, sort, page{Offset: off, Limit: lim})
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, inv := range rows {
		f := invoiceFields(inv.Invoice)
		f["firstname"], f["lastname"], f["companyname"], f["paymentmethod"] = inv.FirstName, inv.LastName, inv.CompanyName, inv.PaymentMethod
		f["last_capture_attempt"], f["date_refunded"], f["date_cancelled"], f["paymethodid"] = zeroTime, zeroTime, zeroTime, nil
		f["created_at"], f["updated_at"] = whmcsTime(inv.CreatedAt), whmcsTime(inv.CreatedAt)
		f["currencyprefix"], f["currencysuffix"] = "", " "+inv.Currency
		delete(f, "invoiceid")
		delete(f, "balance")
		list = append(list, map[string]any(f))
	}
	return reply{"totalresults": total, "startnumber": off, "numreturned": len(list), "invoices": map[string]any{"invoice": list}}, nil
}

// addInvoicePayment takes the same path as every payment: the transaction id is unique per
// gateway, so a repeated call changes nothing.
func (h *Handler) addInvoicePayment(ctx context.Context, p params) (reply, error) {
	id, err := p.required("invoiceid", "Invoice ID Not Found")
	if err != nil {
		return nil, err
	}
	date, err := whmcsDate(p.str("date"))
	if err != nil {
		return nil, err
	}
	pay := billing.Payment{Amount: p.str("amount"), TransactionID: p.str("transid"), Gateway: p.str("gateway"), Date: date,
		Actor: order.WHMCSAPI}
	_, err = h.svc.AddPayment(ctx, id, pay)
	return nil, inWHMCSWords(err, map[string]string{"transaction_id": "Transaction ID is required"})
}
