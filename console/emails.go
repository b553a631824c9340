package console

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/console/session"
	"github.com/hostflow/hostflow/web"
)

// The email log, WHMCS's client Emails tab: every email hostflow sent, listed on the order's
// page and on the client's (newest first: date, recipient, subject), each at its own page as
// sent, with Resend. The reads and the resend are package clients' (emaillog.go); Resend runs
// as a workflow (workflows/emailresend), and this page only asks for it.

// emailRoutes are the email log's pages, below the signed-in group of routes().
func (c *Console) emailRoutes(r chi.Router) {
	r.Get("/emails/{id}", c.emailPage)
	r.Get("/emails/{id}/html", c.emailHTML)
	r.Post("/emails/{id}/resend", c.resendEmail)
}

// emailLogView is an order's or a client's emails, as their page lists them.
type emailLogView struct {
	Emails []clients.LoggedEmail
	// More says that older emails exist than the page lists (clients.EmailLogSize).
	More bool
}

// orderEmails are the emails sent for an order, for its page.
func (c *Console) orderEmails(ctx context.Context, orderID int64) (emailLogView, error) {
	emails, more, err := c.svc.OrderEmailLog(ctx, orderID)
	return emailLogView{Emails: emails, More: more}, err
}

// clientEmails are the emails sent to a client, for their page.
func (c *Console) clientEmails(ctx context.Context, clientID int64) (emailLogView, error) {
	emails, more, err := c.svc.ClientEmailLog(ctx, clientID)
	return emailLogView{Emails: emails, More: more}, err
}

type emailView struct {
	clients.LoggedEmail
	// Admins names the admins by email, for who resent it.
	Admins map[string]string
}

// ResentByName is who asked for this copy, in words (page.ActorName).
func (v emailView) ResentByName() string { return page.ActorName(v.ResentBy, v.Admins, v.ClientName) }

// emailID reads the email id in the path, or answers 404.
func (c *Console) emailID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := c.pathID(w, r, "email")
	if !ok {
		return 0, false
	}
	return id, true
}

// loadEmail reads the email named in the path, or answers 404.
func (c *Console) loadEmail(w http.ResponseWriter, r *http.Request) (clients.LoggedEmail, bool) {
	id, ok := c.emailID(w, r)
	if !ok {
		return clients.LoggedEmail{}, false
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	e, err := c.svc.LoggedEmailByID(ctx, id)
	if err != nil {
		c.notFoundOr(w, r, err)
		return e, false
	}
	return e, true
}

// emailPageCSP is the console's CSP on an email's page, which also lets in the frame of its
// HTML part (emailHTML): frames from the console itself, nothing else. Scripts and styles stay
// the console's files only.
var emailPageCSP = strings.Replace(web.ContentSecurityPolicy, "default-src 'none';", "default-src 'none'; frame-src 'self';", 1)

// emailPage serves /admin/emails/{id}: WHMCS's View Email. The text as sent, and its HTML part
// in a sandboxed frame (emailHTML), with Resend.
func (c *Console) emailPage(w http.ResponseWriter, r *http.Request) {
	e, ok := c.loadEmail(w, r)
	if !ok {
		return
	}
	v := emailView{LoggedEmail: e}
	if e.ResentBy != "" {
		var err error
		if v.Admins, err = c.svc.AdminNames(r.Context()); err != nil {
			c.pages.ServerError(w, r, err)
			return
		}
	}
	if e.HTML != "" {
		w.Header().Set("Content-Security-Policy", emailPageCSP)
	}
	nav := "clients"
	if e.OrderID != 0 {
		nav = "orders"
	}
	c.pages.Render(w, r, http.StatusOK, "email", &page.View{Title: "Email: " + e.Subject, Nav: nav, Data: v})
}

// emailHTMLCSP confines an email's HTML part, shown in a frame of its page, to what an email
// may do in a mail program with remote content off: "sandbox" gives it an opaque origin of its
// own with no script, form, popup or top navigation (even if opened on its own, outside the
// frame's sandbox attribute); nothing is loaded from anywhere (no tracking pixel, no font, no
// stylesheet) but data: images; the email's own inline styles apply, which is how emails are
// styled, inside this document only; and only the console may frame it. The console's own
// pages keep their CSP without inline style or script.
const emailHTMLCSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; " +
	"frame-ancestors 'self'; form-action 'none'; base-uri 'none'"

// emailHTML serves /admin/emails/{id}/html: the email's HTML part as sent, for the frame of
// its page, under emailHTMLCSP; 404 for a text-only email.
func (c *Console) emailHTML(w http.ResponseWriter, r *http.Request) {
	e, ok := c.loadEmail(w, r)
	if !ok {
		return
	}
	if e.HTML == "" {
		c.pages.Error(w, r, http.StatusNotFound, "This email has no HTML part.")
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", emailHTMLCSP)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(e.HTML))
}

// resendEmail serves the email page's Resend: POST /admin/emails/{id}/resend. The copy is sent
// by a workflow, keyed by the form's request_id, so that a double click or a retried post
// sends one copy; the page waits a while for it and says where it went, or why not.
func (c *Console) resendEmail(w http.ResponseWriter, r *http.Request) {
	id, ok := c.emailID(w, r)
	if !ok {
		return
	}
	back := c.path("/emails/", strconv.FormatInt(id, 10))
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		c.pages.SetFlash(w, r, page.FlashError, "The form could not be read.")
		c.redirect(w, r, back)
		return
	}
	res, err := c.svc.ResendEmail(r.Context(), id, session.Actor(r), r.PostForm.Get("request_id"))
	switch {
	case err != nil && errors.Is(r.Context().Err(), context.Canceled):
		return // the admin went away; the workflow goes on
	case err != nil:
		c.flashFailure(w, r, err)
	default:
		c.pages.SetFlash(w, r, page.FlashOK, "Email resent to "+res.To+".")
	}
	c.redirect(w, r, back)
}
