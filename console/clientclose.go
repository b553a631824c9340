package console

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/console/session"
)

// Close Client: a page that says what closing the client does to their orders, services,
// domains and invoices (clients.ClosePlan), and its Yes, which closes them through
// clients.CloseClient: each Pending order is cancelled by its own workflow, never from here.

// closeClientPage serves GET /admin/clients/{id}/close: the statement, and the button.
func (c *Console) closeClientPage(w http.ResponseWriter, r *http.Request) {
	id, ok := c.pathNumber(w, r, "client")
	if !ok {
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	plan, err := c.svc.ClosePlan(ctx, id)
	if err != nil {
		c.showMissing(w, r, err)
		return
	}
	cl := plan.Client
	c.pages.Render(w, r, http.StatusOK, "clientclose", &page.View{Title: "Close Client: " + strings.TrimSpace(cl.FirstName+" "+cl.LastName),
		Nav: "clients", Data: plan})
}

// closeClient serves POST /admin/clients/{id}/close. The form's random id keys the cancels, so
// a double submit cancels each order once.
func (c *Console) closeClient(w http.ResponseWriter, r *http.Request) {
	id, ok := c.pathNumber(w, r, "client")
	if !ok || !c.readPosted(w, r) {
		return
	}
	done, err := c.svc.CloseClient(r.Context(), id, session.Actor(r), r.PostForm.Get("request_id"))
	switch {
	case err != nil && done.Client.ID == 0:
		c.flashFailure(w, r, err)
	case err != nil || len(done.Failed) > 0:
		c.pages.SetFlash(w, r, page.FlashError, closingText(done, err))
	default:
		c.pages.SetFlash(w, r, page.FlashOK, closingText(done, nil))
	}
	c.redirect(w, r, c.path("/clients/", strconv.FormatInt(id, 10)))
}

// closingText says what Close Client did, and what is left for the admin.
func closingText(d clients.Closing, err error) string {
	parts := []string{"Client closed"}
	if n := len(d.Cancel); n > 0 {
		parts = append(parts, fmt.Sprintf("%s cancelled through %s: %s", page.Plural(n, "order"), map[bool]string{true: "its workflow", false: "their workflows"}[n == 1], orderNumbers(d.Cancel)))
	}
	for _, o := range d.Failed {
		parts = append(parts, fmt.Sprintf("order #%d: %s", o.Number, o.Error))
	}
	if err != nil {
		parts = append(parts, "the orders could not all be read: "+err.Error())
	}
	if n := len(d.Left); n > 0 {
		parts = append(parts, fmt.Sprintf("%s Active, left as %s (%s): terminate their services from Module Commands",
			page.Plural(n, "order"), map[bool]string{true: "it is", false: "they are"}[n == 1], orderNumbers(d.Left)))
	}
	return strings.Join(parts, "; ") + "."
}

func orderNumbers(os []clients.ClientOrder) string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = "#" + strconv.FormatInt(o.Number, 10)
	}
	return strings.Join(out, ", ")
}
