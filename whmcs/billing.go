package whmcs

import (
	"context"
	"net/http"
	"time"

	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
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
	out := invoiceFields(inv)
	out["items"] = map[string]any{"item": items}
	out["transactions"] = map[string]any{"transaction": txns}
	return out, nil
}

func invoiceFields(inv service.Invoice) reply {
	cur := inv.Currency
	datePaid := "0000-00-00 00:00:00"
	if !inv.PaidAt.IsZero() {
		datePaid = whmcsTime(inv.PaidAt)
	}
	return reply{"invoiceid": inv.ID, "id": inv.ID, "invoicenum": "", "userid": inv.ClientID, "date": inv.CreatedAt.Format("2006-01-02"),
		"duedate": inv.DueAt.Format("2006-01-02"), "datepaid": datePaid, "subtotal": money.Format(inv.Total, cur),
		"credit": "0.00", "tax": "0.00", "tax2": "0.00", "total": money.Format(inv.Total, cur),
		"balance": money.Format(inv.Total-inv.Paid, cur), "taxrate": "0.00", "taxrate2": "0.00", "status": inv.Status,
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
	rows, total, err := h.svc.PageInvoices(ctx, userID, order.InvoiceStatus(p.str("status")), service.Page{Offset: off, Limit: lim})
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, inv := range rows {
		list = append(list, map[string]any(invoiceFields(inv)))
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
	pay := service.Payment{Amount: p.str("amount"), TransactionID: p.str("transid"), Gateway: p.str("gateway"), Actor: order.WHMCSAPI}
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
