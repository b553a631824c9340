package clientarea

import (
	"net/http"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/storefront/page"
)

// Email History: the emails hostflow sent the client, as sent (package clients reads them with
// the client in the query; an email to staff is nobody's here).

type emailsView struct {
	Emails []clients.SentEmail
	Pager  pager
}

// emailsPage serves GET /client/emails: the emails sent to the client, newest first, a page
// of them.
func (a *Area) emailsPage(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	ctx, cancel := page.Context(r)
	defer cancel()
	p := listPage(r)
	rows, more, err := a.svc.ClientEmails(ctx, u.Client.ID, p)
	if a.failed(w, r, err) {
		return
	}
	a.show(w, r, u, http.StatusOK, "emails", "Email History", navEmails, emailsView{Emails: rows, Pager: pagerFor("/client/emails", p, more)})
}

// emailPage serves GET /client/emails/{id}: one email sent to the client, its text as sent.
// Another client's email, like one to staff or an unknown id, is a 404.
func (a *Area) emailPage(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	ctx, cancel := page.Context(r)
	defer cancel()
	e, err := a.svc.ClientEmail(ctx, u.Client.ID, page.PathID(r))
	if a.failed(w, r, err) {
		return
	}
	a.show(w, r, u, http.StatusOK, "email", e.Subject, navEmails, e)
}
