package whmcs

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/order"
)

// addTransaction records a transaction as WHMCS's AddTransaction does. hostflow keeps money on
// invoices only, so a transaction must name one, and it is then a payment like any other: the
// same service path as AddInvoicePayment's. Unlike AddInvoicePayment, a transaction id already
// recorded is refused, as WHMCS refuses it.
func (h *Handler) addTransaction(ctx context.Context, p params) (reply, error) {
	if p.str("paymentmethod") == "" {
		return nil, fail("Payment Method is required")
	}
	invoiceID, err := p.int("invoiceid")
	if err != nil {
		return nil, err
	}
	userID, err := p.int("userid")
	if err != nil {
		return nil, err
	}
	switch {
	case p.flag("credit"):
		return nil, fail("credit is not supported: hostflow keeps no client credit")
	case invoiceID == 0:
		return nil, fail("invoiceid is required: hostflow records a transaction as a payment of an invoice")
	case p.str("amountout") != "" && strings.Trim(p.str("amountout"), "0.") != "":
		return nil, fail("amountout is not supported: a refund is recorded through its gateway")
	case p.str("amountin") == "":
		return nil, fail("amountin is required")
	}
	if userID != 0 {
		if err := h.svc.InvoiceOfClient(ctx, invoiceID, userID); err != nil {
			return nil, inWHMCSWords(err, map[string]string{"client_id": "Client ID Not Found"})
		}
	}
	date, err := whmcsDate(p.str("date"))
	if err != nil {
		return nil, err
	}
	res, err := h.svc.AddPayment(ctx, invoiceID, billing.Payment{Amount: p.str("amountin"), TransactionID: p.str("transid"),
		Gateway: p.str("paymentmethod"), Date: date, Actor: order.WHMCSAPI})
	if err != nil {
		return nil, inWHMCSWords(err, map[string]string{"transaction_id": "Transaction ID is required",
			"amount": "amountin must be an amount more than zero"})
	}
	if res.Duplicate {
		return nil, fail("Transaction ID must be Unique")
	}
	return nil, nil
}

// whmcsDate reads a date as WHMCS's API takes it: YYYY-MM-DD, with or without HH:MM:SS, or
// DD/MM/YYYY (WHMCS's default localisation, which AddTransaction's page uses). "" is zero.
func whmcsDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02", "02/01/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fail("Invalid date: use YYYY-MM-DD HH:MM:SS")
}

// invoiceStatuses are the statuses WHMCS's UpdateInvoice knows.
var invoiceStatuses = []string{"Draft", "Unpaid", "Paid", "Cancelled", "Refunded", "Collections", "Payment Pending"}

// invoiceFieldsNotHeld are UpdateInvoice's parameters for what hostflow's invoices do not hold:
// refused rather than dropped.
var invoiceFieldsNotHeld = []string{"paymentmethod", "taxrate", "taxrate2", "credit", "date", "datepaid", "notes", "itemdescription",
	"itemamount", "itemtaxed", "newitemdescription", "newitemamount", "newitemtaxed", "deletelineids", "publish",
	"publishandsendemail"}

// updateInvoice serves UpdateInvoice for what a hostflow invoice holds: its due date, and its
// status when it is the current one (a status follows the invoice's payments and its order).
func (h *Handler) updateInvoice(ctx context.Context, p params) (reply, error) {
	id, err := p.required("invoiceid", "Invoice ID Not Found")
	if err != nil {
		return nil, err
	}
	if err := refuseFields(p, invoiceFieldsNotHeld,
		"hostflow updates an invoice's due date only (its status follows its payments and its order)"); err != nil {
		return nil, err
	}
	var u billing.InvoiceUpdate
	if s := p.str("status"); s != "" {
		i := slices.IndexFunc(invoiceStatuses, func(w string) bool { return strings.EqualFold(w, s) })
		if i < 0 {
			return nil, fail("Invalid status " + s)
		}
		u.Status = order.InvoiceStatus(invoiceStatuses[i])
	}
	if d := p.str("duedate"); d != "" {
		if u.DueDate, err = time.Parse("2006-01-02", d); err != nil {
			return nil, fail("Invalid due date: use YYYY-MM-DD")
		}
	}
	if err := h.svc.UpdateInvoice(ctx, id, u); err != nil {
		return nil, err
	}
	return reply{"invoiceid": str(id)}, nil
}
