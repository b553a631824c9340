package console

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/console/session"
	"github.com/hostflow/hostflow/money"
)

// addPayment serves the invoice's Add Payment form on the order page: POST
// /admin/invoices/{id}/payments. A bank transfer or a cheque is recorded by hand this way, through
// the same service call as the REST API's payments. The transaction id defaults to the form's
// own id, so that the same form posted twice records one payment.
func (c *Console) addPayment(w http.ResponseWriter, r *http.Request) {
	id, ok := c.pathID(w, r, "invoice")
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		c.pages.Error(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	back, _ := strconv.ParseInt(r.PostForm.Get("order_id"), 10, 64)
	p := billing.Payment{Amount: strings.TrimSpace(r.PostForm.Get("amount")), Gateway: r.PostForm.Get("gateway"),
		TransactionID: strings.TrimSpace(r.PostForm.Get("transaction_id")), Actor: session.Actor(r)}
	if p.TransactionID == "" {
		p.TransactionID = r.PostForm.Get("request_id")
	}
	res, err := c.svc.AddPayment(r.Context(), id, p)
	switch {
	case err != nil:
		c.flashFailure(w, r, err)
	case res.Duplicate:
		c.pages.SetFlash(w, r, page.FlashOK, fmt.Sprintf("Transaction %s was recorded already; the invoice is %s.", res.TransactionID, res.Status))
	default:
		c.pages.SetFlash(w, r, page.FlashOK, fmt.Sprintf("Payment of %s %s added; the invoice is %s, balance %s.",
			money.Format(res.Amount, res.Currency), res.Currency, res.Status, money.Format(res.Balance, res.Currency)))
		back = res.OrderID
	}
	if back <= 0 {
		c.redirect(w, r, c.path("/orders"))
		return
	}
	c.redirect(w, r, c.orderPath(back))
}
