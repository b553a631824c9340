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

// creditAction is the Summary tab's credit form's choice: WHMCS's Add Credit or Remove Credit.
type creditAction string

const (
	creditAdd    creditAction = "add"
	creditRemove creditAction = "remove"
)

// changeCredit serves the client's Add Credit / Remove Credit form: POST
// /admin/clients/{id}/credit, through the same service call as the REST API's. The form's own
// request id is the change's key, so the same form posted twice changes the balance once.
func (c *Console) changeCredit(w http.ResponseWriter, r *http.Request) {
	id, ok := c.pathID(w, r, "client")
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		c.pages.Error(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	amount := strings.TrimPrefix(strings.TrimSpace(r.PostForm.Get("amount")), "-")
	action := creditAction(r.PostForm.Get("type"))
	if action == creditRemove && amount != "" {
		amount = "-" + amount
	}
	res, err := c.svc.ChangeCredit(r.Context(), id, billing.CreditChange{Amount: amount, Currency: r.PostForm.Get("currency"),
		Description: r.PostForm.Get("description"), Key: r.PostForm.Get("request_id"), Actor: session.Actor(r)})
	switch {
	case err != nil:
		c.flashFailure(w, r, err)
	case res.Duplicate:
		c.pages.SetFlash(w, r, page.FlashOK, "That credit change was recorded already.")
	default:
		verb := "added"
		if res.Amount < 0 {
			verb = "removed"
		}
		c.pages.SetFlash(w, r, page.FlashOK, fmt.Sprintf("Credit of %s %s %s; the balance is %s %s.",
			money.Format(max(res.Amount, -res.Amount), res.Currency), res.Currency, verb, money.Format(res.Balance, res.Currency), res.Currency))
	}
	c.redirect(w, r, c.path("/clients/", strconv.FormatInt(id, 10)))
}
