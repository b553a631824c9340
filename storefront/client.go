package storefront

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/storefront/session"
	"github.com/hostflow/hostflow/web"
)

// clientHome serves GET /client: a signed-in client's landing page (the client area's pages
// come with the next slice); a visitor goes to sign in.
func (s *Store) clientHome(w http.ResponseWriter, r *http.Request) {
	u, ok := s.sessions.Require(w, r)
	if !ok {
		return
	}
	s.pages.Render(w, r, http.StatusOK, "home", &page.View{Title: "Client Area", Nav: "client", Client: u.Client})
}

type loginView struct {
	Email string
	Next  string
	Error string
}

// loginPage serves the client area's sign-in form.
func (s *Store) loginPage(w http.ResponseWriter, r *http.Request) {
	u, err := s.sessions.SignedIn(w, r)
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	next := safeNext(r.URL.Query().Get("next"))
	if u.Client != nil {
		if next == "" {
			next = "/client"
		}
		redirect(w, r, next)
		return
	}
	s.pages.Render(w, r, http.StatusOK, "login", &page.View{Title: "Sign in", Nav: "signin", Data: loginView{Next: next}})
}

// login serves the sign-in form's post: a session, the visitor's cart given to the client, and
// the page they were going to; or the form again with the reason, one text for a wrong email
// and a wrong password.
func (s *Store) login(w http.ResponseWriter, r *http.Request) {
	if !s.pages.ReadForm(w, r) {
		return
	}
	email, next := strings.TrimSpace(r.PostForm.Get("email")), safeNext(r.PostForm.Get("next"))
	web.WarnUntrustedForward(r, s.log)
	v := s.visitor(r, session.Who{})
	token, c, err := s.svc.ClientSignIn(r.Context(), v.Addr, email, r.PostForm.Get("password"))
	if err != nil {
		status, msg := http.StatusUnauthorized, ""
		if _, m, ok := page.Refusal(err); ok {
			msg = m
		}
		var th *access.Throttled
		if errors.As(err, &th) {
			status, msg = http.StatusTooManyRequests, th.Reason
			web.SetRetryAfterIn(w, th.RetryAfter)
		}
		if msg == "" {
			s.pages.ServerError(w, r, err)
			return
		}
		s.pages.Render(w, r, status, "login", &page.View{Title: "Sign in", Nav: "signin", Data: loginView{Email: email, Next: next, Error: msg}})
		return
	}
	s.sessions.Start(w, r, token)
	if _, err := s.giveCart(w, r, v, c.ID); err != nil {
		// Signed in all the same: the cart is only not carried over.
		s.log.Warn("storefront: the cart was not given to the client at sign-in", zap.Int64("client_id", c.ID), zap.Error(err))
	}
	if next == "" {
		next = "/client"
	}
	redirect(w, r, next)
}

// logout ends the session and forgets its cookie and the cart's: the cart is the client's, and
// the next person at this browser starts their own.
func (s *Store) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.sessions.End(w, r); err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	s.setCookie(w, r, cartCookie, "", -1)
	s.pages.SetFlash(w, r, page.FlashOK, "You are signed out.")
	redirect(w, r, "/store")
}

type registerView struct {
	Form   account
	Next   string
	Errors map[string]string
}

// registerPage serves the client area's registration form (the one checkout has too).
func (s *Store) registerPage(w http.ResponseWriter, r *http.Request) {
	u, err := s.sessions.SignedIn(w, r)
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	if u.Client != nil {
		redirect(w, r, "/client")
		return
	}
	s.pages.Render(w, r, http.StatusOK, "register", &page.View{Title: "Register", Nav: "register",
		Data: registerView{Next: safeNext(r.URL.Query().Get("next")), Errors: map[string]string{}}})
}

// register serves the registration form's post: the client created (package clients' rules
// and WHMCS's messages, field by field), signed in, and given the visitor's cart.
func (s *Store) register(w http.ResponseWriter, r *http.Request) {
	if !s.pages.ReadForm(w, r) {
		return
	}
	v := registerView{Form: readAccount(r.PostForm), Next: safeNext(r.PostForm.Get("next")), Errors: map[string]string{}}
	visitor := s.visitor(r, session.Who{})
	password := r.PostForm.Get("password")
	c, err := s.createAccount(r, v.Form, password, visitor)
	var token string
	if err == nil {
		token, _, err = s.svc.ClientSignIn(r.Context(), visitor.Addr, v.Form.Email, password)
	}
	if err != nil {
		field, msg, ok := page.Refusal(err)
		if !ok {
			s.pages.ServerError(w, r, err)
			return
		}
		v.Errors[formField(field)] = msg
		s.pages.Render(w, r, page.RefusalStatus(err), "register", &page.View{Title: "Register", Nav: "register", Data: v})
		return
	}
	s.sessions.Start(w, r, token)
	if _, err := s.giveCart(w, r, visitor, c.ID); err != nil {
		s.log.Warn("storefront: the cart was not given to the new client", zap.Int64("client_id", c.ID), zap.Error(err))
	}
	next := v.Next
	if next == "" {
		next = "/client"
	}
	s.pages.SetFlash(w, r, page.FlashOK, "Welcome, "+c.FirstName+": your account is ready.")
	redirect(w, r, next)
}

type invoiceView struct {
	Invoice billing.InvoiceDetail
	Order   ordering.OrderRow
	// Review says the order was stopped for review (the fraud check): the customer is told so
	// in neutral words, and gets no payment page.
	Review bool
	// PayNow says the invoice takes an online payment now.
	PayNow bool
}

// Balance is what the invoice still asks for.
func (v invoiceView) Balance() int64 { return max(v.Invoice.Invoice.Total-v.Invoice.Invoice.Paid, 0) }

// invoicePage serves GET /client/invoices/{id}: the client's own invoice, its lines, total,
// status and transactions, with Pay Now while it is Unpaid. Another client's invoice, like one
// that does not exist, is no page (404): nobody learns which ids exist.
func (s *Store) invoicePage(w http.ResponseWriter, r *http.Request) {
	u, ok := s.sessions.Require(w, r)
	if !ok {
		return
	}
	v, found, err := s.invoice(r, u, pathID(r))
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	if !found {
		s.pages.Error(w, r, http.StatusNotFound, "There is no such invoice in your account.")
		return
	}
	s.pages.Render(w, r, http.StatusOK, "invoice", &page.View{Title: fmt.Sprintf("Invoice #%d", v.Invoice.Invoice.ID), Nav: "client",
		Client: u.Client, Data: v})
}

// invoice reads invoice id if it is the client's; found is false otherwise.
func (s *Store) invoice(r *http.Request, u session.Who, id int64) (v invoiceView, found bool, err error) {
	if id == 0 {
		return v, false, nil
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	inv, err := s.svc.Invoice(ctx, id)
	var f *fault.Error
	if errors.As(err, &f) && f.Kind == fault.NotFound {
		return v, false, nil
	}
	if err != nil {
		return v, false, err
	}
	if inv.Invoice.ClientID != u.Client.ID {
		return v, false, nil
	}
	v.Invoice = inv
	rows, err := s.svc.OrderRows(ctx, []int64{inv.Invoice.OrderID})
	if err != nil {
		return v, false, err
	}
	if len(rows) == 1 {
		v.Order = rows[0]
	}
	v.Review = v.Order.Status == order.Fraud || v.Order.WaitingFor == order.WaitingFraudReview
	v.PayNow = inv.Invoice.Status == order.InvoiceUnpaid && !v.Review
	return v, true, nil
}

// payNow serves Pay Now: the service opens the online payment of the client's own unpaid
// invoice and answers where to send the browser. The answer is a page that goes there (a
// meta refresh and a link), not a redirect: the CSP's form-action 'self' would stop a form's
// redirect to the payment provider's site, and the CSP lets no script do it.
func (s *Store) payNow(w http.ResponseWriter, r *http.Request) {
	u, ok := s.sessions.Require(w, r)
	if !ok {
		return
	}
	id := pathID(r)
	if _, found, err := s.invoice(r, u, id); err != nil || !found {
		if err != nil {
			s.pages.ServerError(w, r, err)
			return
		}
		s.pages.Error(w, r, http.StatusNotFound, "There is no such invoice in your account.")
		return
	}
	to, err := s.svc.PayNow(r.Context(), u.Client.ID, id, s.absolute(r, fmt.Sprintf("/client/invoices/%d", id)))
	if err == nil {
		if target, perr := url.Parse(to); perr != nil || (target.Scheme != "https" && target.Scheme != "http") {
			err = fmt.Errorf("pay now answered an unusable address %q", to)
		}
	}
	if err != nil {
		_, msg, ok := page.Refusal(err)
		if !ok {
			s.pages.ServerError(w, r, err)
			return
		}
		s.pages.SetFlash(w, r, page.FlashError, msg)
		redirect(w, r, fmt.Sprintf("/client/invoices/%d", id))
		return
	}
	s.pages.Render(w, r, http.StatusOK, "pay", &page.View{Title: "Continue to payment", Nav: "client", Client: u.Client, Data: to})
}

// absolute is path on hostflow's public address (HOSTFLOW_PUBLIC_URL), where the payment page
// sends the customer back. Without one (a local stack), the address the request came to.
func (s *Store) absolute(r *http.Request, path string) string {
	if base := strings.TrimRight(s.opts.PublicURL, "/"); base != "" {
		return base + path
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}
