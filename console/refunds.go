package console

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/console/session"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// refundRoutes are an invoice's Refund form (WHMCS's invoice Refund tab): one payment given back
// through its gateway, recorded as given back by hand, or added to the client's credit.
func (c *Console) refundRoutes(r chi.Router) {
	r.Get("/invoices/{id}/refund", c.refundPage)
	r.Post("/invoices/{id}/refund", c.refund)
}

// refundView is the Refund form: the invoice's payments and what is left of each.
type refundView struct {
	Invoice  billing.Invoice
	Payments []billing.RefundablePayment
	Selected string // the payment the link named
	Methods  []billing.RefundChoice
	// Reference is a manual refund's reference as the form offers it: the form's own, so the
	// same form posted twice records one refund.
	Reference string
}

func (c *Console) refundPage(w http.ResponseWriter, r *http.Request) {
	id, ok := c.pathID(w, r, "invoice")
	if !ok {
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	inv, err := c.svc.Invoice(ctx, id)
	var payments []billing.RefundablePayment
	if err == nil {
		payments, err = c.svc.RefundablePayments(ctx, id)
	}
	if err != nil {
		c.notFoundOr(w, r, err)
		return
	}
	v := refundView{Invoice: inv.Invoice, Payments: payments, Selected: r.URL.Query().Get("transaction"),
		Methods: billing.RefundMethods}
	c.pages.Render(w, r, http.StatusOK, "refund", &page.View{Title: fmt.Sprintf("Refund — invoice #%d", id), Nav: "orders", Data: v})
}

// refund serves the Refund form's POST and comes back to the invoice. A refund through the
// gateway waits for the gateway's answer, which the flash says (Stripe's own words when it
// refused).
func (c *Console) refund(w http.ResponseWriter, r *http.Request) {
	id, ok := c.pathID(w, r, "invoice")
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		c.pages.Error(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	requestID := formRequestID(r)
	in := billing.Refund{TransactionID: r.PostForm.Get("transaction_id"), Amount: strings.TrimSpace(r.PostForm.Get("amount")),
		Method: billing.RefundMethod(r.PostForm.Get("method")), RefundTransactionID: strings.TrimSpace(r.PostForm.Get("refund_transaction_id")),
		Actor: session.Actor(r)}
	if in.Method == billing.RefundManual && in.RefundTransactionID == "" && requestID != "" {
		in.RefundTransactionID = "refund-" + requestID
	}
	res, err := c.svc.Refund(r.Context(), id, in, requestID)
	if err != nil {
		c.flashFailure(w, r, err)
		c.redirect(w, r, c.path("/invoices/", strconv.FormatInt(id, 10), "/refund?transaction=")+url.QueryEscape(in.TransactionID))
		return
	}
	c.pages.SetFlash(w, r, page.FlashOK, refundText(in.Method, res))
	c.redirect(w, r, c.path("/invoices/", strconv.FormatInt(id, 10)))
}

// refundText says what a refund did.
func refundText(m billing.RefundMethod, res billing.PaymentResult) string {
	if res.Duplicate {
		return fmt.Sprintf("That refund was made already (%s); the invoice is %s.", res.TransactionID, res.Status)
	}
	how := map[billing.RefundMethod]string{billing.RefundGateway: "through the gateway, refund " + res.TransactionID,
		billing.RefundManual: "recorded as " + res.TransactionID, billing.RefundCredit: "added to the client's credit balance"}[m]
	return fmt.Sprintf("Refunded %s %s %s; the invoice is %s.", money.Format(res.Amount, res.Currency), res.Currency, how, res.Status)
}

// refundsText says what Cancel & Refund gave back, and what it could not.
func refundsText(rs []ordermsg.Refunded) (string, bool) {
	var done, failed []string
	for _, r := range rs {
		amount := money.Format(r.Amount, r.Currency) + " " + r.Currency
		if r.Error != "" {
			failed = append(failed, fmt.Sprintf("%s of payment %s was not refunded: %s", amount, r.Payment, r.Error))
			continue
		}
		done = append(done, fmt.Sprintf("%s of payment %s (refund %s)", amount, r.Payment, r.TransactionID))
	}
	var parts []string
	if len(done) > 0 {
		parts = append(parts, "refunded "+strings.Join(done, ", "))
	}
	if len(rs) == 0 {
		parts = append(parts, "no payment to refund")
	}
	parts = append(parts, failed...)
	return strings.Join(parts, "; "), len(failed) > 0
}
