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
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/items"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/storefront/session"
	"github.com/hostflow/hostflow/web"
)

// homePanel is how many rows each of the client area home's panels shows; View all opens the
// list.
const homePanel = 5

type homeView struct {
	Counts   items.ItemCounts
	Due      []billing.Due
	Services []items.ClientService // Active
	Domains  []items.ClientDomain  // Active
	Invoices []billing.ClientInvoice
	Orders   []ordering.ClientOrder
}

// Unpaid is how many Unpaid invoices the client has.
func (v homeView) Unpaid() (n int64) {
	for _, d := range v.Due {
		n += d.Invoices
	}
	return n
}

// clientHome serves GET /client, the client area's home as WHMCS's: the client's Active
// services and domains, Unpaid invoices with what they ask for, and the latest orders, each a
// short panel with View all; a visitor goes to sign in.
func (s *Store) clientHome(w http.ResponseWriter, r *http.Request) {
	u, ok := s.sessions.Require(w, r)
	if !ok {
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	id, first := u.Client.ID, dbtx.Page{Number: 1, Size: homePanel}
	var v homeView
	var err error
	if v.Counts, err = s.svc.ClientItemCounts(ctx, id); err == nil {
		v.Services, _, err = s.svc.ClientServices(ctx, id, order.Active, first)
	}
	if err == nil {
		v.Domains, _, err = s.svc.ClientDomains(ctx, id, order.Active, first)
	}
	if err == nil {
		v.Invoices, _, err = s.svc.ClientInvoices(ctx, id, order.InvoiceUnpaid, first)
	}
	if err == nil {
		v.Due, err = s.svc.ClientDue(ctx, id)
	}
	if err == nil {
		v.Orders, _, err = s.svc.ClientOrders(ctx, id, first)
	}
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	s.show(w, r, u, http.StatusOK, "home", "Client Area", navHome, v)
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
	// Awaiting says the customer is back from the payment page (?paid=1) and the invoice is
	// still Unpaid: the payment's news has not landed yet, and the page looks again by itself.
	Awaiting bool
	// BankTransfer is the bank transfer instructions (a setting), shown while an invoice to be
	// paid by bank transfer is Unpaid.
	BankTransfer string
}

// Balance is what the invoice still asks for.
func (v invoiceView) Balance() int64 { return v.Invoice.Invoice.Balance() }

// invoicePage serves GET /client/invoices/{id}: the client's own invoice, its lines, total,
// status and transactions, with Pay Now while it is Unpaid. Another client's invoice, like one
// that does not exist, is no page (404): nobody learns which ids exist.
func (s *Store) invoicePage(w http.ResponseWriter, r *http.Request) {
	u, ok := s.sessions.Require(w, r)
	if !ok {
		return
	}
	v, err := s.invoice(r, u, pathID(r))
	if s.failed(w, r, err) {
		return
	}
	v.Awaiting = v.PayNow && r.URL.Query().Get("paid") == "1"
	if v.PayNow && v.Order.PaymentMethod == billing.BankTransfer {
		if v.BankTransfer, err = s.svc.BankTransferInstructions(r.Context()); s.failed(w, r, err) {
			return
		}
	}
	s.show(w, r, u, http.StatusOK, "invoice", fmt.Sprintf("Invoice #%d", v.Invoice.Invoice.ID), navInvoices, v)
}

// invoice reads invoice id if it is the client's: the query names the client
// (billing.ClientInvoice), so another client's invoice is NotFound as an unknown one is.
func (s *Store) invoice(r *http.Request, u session.Who, id int64) (v invoiceView, err error) {
	ctx, cancel := pageContext(r)
	defer cancel()
	if v.Invoice, err = s.svc.ClientInvoice(ctx, u.Client.ID, id); err != nil {
		return v, err
	}
	rows, err := s.svc.OrderRows(ctx, []int64{v.Invoice.Invoice.OrderID})
	if err != nil {
		return v, err
	}
	if len(rows) == 1 {
		v.Order = rows[0]
	}
	v.Review = billing.UnderReview(v.Order.Status, v.Order.WaitingFor)
	v.PayNow = v.Invoice.Invoice.Status == order.InvoiceUnpaid && !v.Review
	return v, nil
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
	if _, err := s.invoice(r, u, id); s.failed(w, r, err) {
		return
	}
	back := s.absolute(r, fmt.Sprintf("/client/invoices/%d", id))
	to, err := s.svc.PayNow(r.Context(), u.Client.ID, id, back+"?paid=1", back)
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
