package storefront

import (
	"errors"
	"net/http"
	"strings"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/cart"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/storefront/session"
	"github.com/hostflow/hostflow/web"
)

type checkoutView struct {
	Cart    cart.View
	Methods []string
	// Account is "login" or "new": which way a visitor who is not signed in goes.
	Account  string
	Login    string // the sign-in email, as typed
	Register page.Account
	Method   string
	Notes    string
	// Credit is the signed-in client's credit balance in the cart's currency: when there is
	// some, the form offers Apply Credit (WHMCS's applycredit), chosen unless the customer
	// unticked it.
	Credit      int64
	ApplyCredit bool
	Errors      map[string]string
	Error       string
}

// checkoutPage serves GET /checkout: the cart's summary, sign-in or registration, the payment
// method and Complete Order. An empty cart goes back to the cart, which says so.
func (s *Store) checkoutPage(w http.ResponseWriter, r *http.Request) {
	u, err := s.sessions.SignedIn(w, r)
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	v := checkoutView{Account: "new", ApplyCredit: true, Errors: map[string]string{}}
	if !s.loadCheckout(w, r, u, &v) {
		return
	}
	if len(v.Cart.Lines) == 0 {
		s.pages.SetFlash(w, r, page.FlashError, cart.EmptyCart)
		page.Redirect(w, r, "/cart")
		return
	}
	if len(v.Methods) > 0 {
		v.Method = v.Methods[0]
	}
	s.renderCheckout(w, r, http.StatusOK, u, v)
}

// loadCheckout reads what the checkout page shows besides the form: the cart and the payment
// methods (the configured gateways and the manual methods, as the console's Add New Order
// offers them). False has answered already.
func (s *Store) loadCheckout(w http.ResponseWriter, r *http.Request, u session.Who, v *checkoutView) bool {
	ctx, cancel := page.Context(r)
	defer cancel()
	var err error
	if v.Cart, err = s.svc.Cart.View(ctx, s.visitor(r, u)); err == nil {
		v.Methods, err = s.svc.PaymentMethods(ctx)
	}
	if err == nil && u.Client != nil && v.Cart.Currency != "" {
		v.Credit, err = s.svc.CreditBalanceOf(ctx, u.Client.ID, v.Cart.Currency)
	}
	if err != nil {
		s.pages.ServerError(w, r, err)
		return false
	}
	return true
}

func (s *Store) renderCheckout(w http.ResponseWriter, r *http.Request, status int, u session.Who, v checkoutView) {
	s.pages.Render(w, r, status, "checkout", &page.View{Title: "Checkout", Nav: "checkout", Client: u.Client, Data: v})
}

// checkout serves Complete Order: a visitor signs in or registers first (their cart becomes
// theirs), then the cart is turned into the order (cart.Checkout, with the client's address so
// the order gets the fraud check, and the cart's idempotency key, so a double click places one
// order), placed as the REST API places orders, the cart emptied, and the customer sent to the
// order's invoice.
func (s *Store) checkout(w http.ResponseWriter, r *http.Request) {
	if !s.pages.ReadForm(w, r) {
		return
	}
	u, err := s.sessions.SignedIn(w, r)
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	f := r.PostForm
	v := checkoutView{Account: f.Get("account"), Login: strings.TrimSpace(f.Get("login_email")), Register: page.ReadAccount(f),
		Method: f.Get("paymentmethod"), Notes: strings.ReplaceAll(f.Get("notes"), "\r\n", "\n"), ApplyCredit: f.Get("applycredit") == "1",
		Errors: map[string]string{}}
	if v.Account != "login" {
		v.Account = "new"
	}
	// fail shows a refusal on the form: where names the part of the form it is about (login,
	// register, paymentmethod), "" the page as a whole; a registration's refusal goes on the
	// field it names.
	fail := func(err error, where string) {
		field, msg, ok := page.Refusal(err)
		if !ok {
			s.pages.ServerError(w, r, err)
			return
		}
		status := page.RefusalStatus(err)
		if reason, ok := web.Throttled(w, err); ok {
			status, msg = http.StatusTooManyRequests, reason
		}
		if where == "register" && field != "" {
			where = page.FormField(field)
		}
		if where == "" {
			v.Error = msg
		} else {
			v.Errors[where] = msg
		}
		if s.loadCheckout(w, r, u, &v) {
			s.renderCheckout(w, r, status, u, v)
		}
	}
	visitor := s.visitor(r, u)
	if u.Client == nil {
		web.WarnUntrustedForward(r, s.log)
		var c clients.Client
		var token string
		if v.Account == "login" {
			token, c, err = s.svc.ClientSignIn(r.Context(), visitor.Addr, v.Login, f.Get("login_password"))
			if err != nil {
				fail(err, "login")
				return
			}
		} else {
			if c, err = s.createAccount(r, v.Register, f.Get("password"), visitor); err != nil {
				fail(err, "register")
				return
			}
			if token, _, err = s.svc.ClientSignIn(r.Context(), visitor.Addr, v.Register.Email, f.Get("password")); err != nil {
				fail(err, "")
				return
			}
		}
		u.Client = &c
		s.sessions.Start(w, r, token)
	}
	// Signed in now (or before): the cart is the client's, priced in their currency.
	tok, err := s.giveCart(w, r, visitor, u.Client.ID)
	if err != nil {
		fail(err, "")
		return
	}
	visitor = s.visitor(r, u)
	visitor.Token = tok
	if v.Method == "" {
		fail(fault.Invalidf("paymentmethod", "Please choose how you will pay."), "paymentmethod")
		return
	}
	p, _, err := s.svc.Cart.Checkout(r.Context(), visitor, cart.Checkout{ClientID: u.Client.ID, PaymentMethod: v.Method,
		ClientIP: visitor.Addr, Notes: v.Notes})
	if err != nil {
		fail(err, "")
		return
	}
	p.Actor = order.Client(u.Client.ID)
	placed, err := s.svc.Place(r.Context(), p)
	if err != nil {
		if field, _, _ := page.Refusal(err); field == "payment_method" {
			fail(err, "paymentmethod")
			return
		}
		fail(err, "")
		return
	}
	// The order is placed: a cart that could not be emptied is only left as it was, and a
	// second Complete Order with it reaches the same order (the same idempotency key).
	if err := s.svc.Cart.Empty(r.Context(), visitor); err != nil {
		s.log.Warn("storefront: the cart was not emptied after checkout", zap.Int64("order_id", placed.OrderID), zap.Error(err))
	}
	if v.ApplyCredit {
		s.applyCredit(r, placed.InvoiceID, *u.Client)
	}
	page.Redirect(w, r, billing.InvoicePath(placed.InvoiceID))
}

// createAccount registers a new client from the form, in the cart's currency (the visitor's
// pick), with the Client Signup email package clients sends.
func (s *Store) createAccount(r *http.Request, a page.Account, password string, v cart.Visitor) (clients.Client, error) {
	currency := v.Currency
	if c, err := s.svc.Cart.View(r.Context(), v); err == nil && c.Currency != "" {
		currency = c.Currency
	}
	return s.svc.RegisterClient(r.Context(), v.Addr, a.NewClient(password, currency))
}

// applyCredit applies the client's credit to the new order's invoice (Apply Credit ticked):
// as much as the balance and the invoice allow, through the same ledger path as a payment, so
// an invoice paid in full by credit is Paid and its order goes on at once. The order is placed
// whatever happens here: credit that could not be applied (none left, the invoice not Unpaid)
// is only logged, and the customer pays the invoice as usual.
func (s *Store) applyCredit(r *http.Request, invoiceID int64, c clients.Client) {
	if invoiceID == 0 {
		return
	}
	_, err := s.svc.ApplyCredit(r.Context(), invoiceID, "", order.Client(c.ID))
	var refusal *fault.Error
	switch {
	case errors.As(err, &refusal): // nothing to apply, or nothing due (a free order is Paid already)
		s.log.Info("storefront: no credit applied at checkout", zap.Int64("invoice_id", invoiceID), zap.String("reason", refusal.Error()))
	case err != nil:
		s.log.Warn("storefront: credit not applied at checkout", zap.Int64("invoice_id", invoiceID), zap.Int64("client_id", c.ID),
			zap.Error(err))
	}
}
