package whmcs

import (
	"context"
	"net/http"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/service"
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
	var paid int64
	txns := []map[string]any{}
	for _, t := range d.Transactions {
		paid += t.Amount
		txns = append(txns, map[string]any{"id": t.ID, "userid": inv.ClientID, "gateway": t.Gateway, "date": whmcsTime(t.PaidAt.Time),
			"description": "Invoice Payment", "amountin": money.Format(max(t.Amount, 0), cur), "amountout": money.Format(max(-t.Amount, 0), cur),
			"transid": t.TransactionID, "invoiceid": inv.ID})
	}
	items := []map[string]any{}
	for _, it := range d.Items {
		items = append(items, map[string]any{"id": it.ID, "type": it.Type, "relid": it.RelID, "description": it.Description,
			"amount": money.Format(it.Amount, cur), "taxed": 0})
	}
	out := invoiceFields(inv, paid)
	out["items"] = map[string]any{"item": items}
	out["transactions"] = map[string]any{"transaction": txns}
	return out, nil
}

func invoiceFields(inv db.Invoice, paid int64) reply {
	cur := inv.Currency
	datePaid := "0000-00-00 00:00:00"
	if inv.PaidAt.Valid {
		datePaid = whmcsTime(inv.PaidAt.Time)
	}
	return reply{"invoiceid": inv.ID, "id": inv.ID, "invoicenum": "", "userid": inv.ClientID, "date": inv.CreatedAt.Time.Format("2006-01-02"),
		"duedate": inv.DueAt.Time.Format("2006-01-02"), "datepaid": datePaid, "subtotal": money.Format(inv.Total, cur),
		"credit": "0.00", "tax": "0.00", "tax2": "0.00", "total": money.Format(inv.Total, cur),
		"balance": money.Format(inv.Total-paid, cur), "taxrate": "0.00", "taxrate2": "0.00", "status": inv.Status,
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
	rows, total, err := h.svc.PageInvoices(ctx, userID, p.str("status"), service.Page{Offset: off, Limit: lim})
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, r := range rows {
		inv := db.Invoice{ID: r.ID, OrderID: r.OrderID, ClientID: r.ClientID, Status: r.Status, Currency: r.Currency, Total: r.Total,
			CreatedAt: r.CreatedAt, DueAt: r.DueAt, PaidAt: r.PaidAt}
		list = append(list, map[string]any(invoiceFields(inv, r.Paid)))
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
	pay := service.Payment{Amount: p.str("amount"), TransactionID: p.str("transid"), Gateway: p.str("gateway"), Actor: actor}
	if d := p.str("date"); d != "" {
		t, err := time.Parse("2006-01-02 15:04:05", d)
		if err != nil {
			if t, err = time.Parse("2006-01-02", d); err != nil {
				return nil, fail(http.StatusBadRequest, "Invalid date: use YYYY-MM-DD HH:MM:SS")
			}
		}
		pay.Date = t
	}
	_, err = h.svc.AddPayment(ctx, id, pay)
	return nil, inWHMCSWords(err, map[string]string{"transaction_id": "Transaction ID is required"})
}
