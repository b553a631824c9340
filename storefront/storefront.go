// Package storefront is the customer's side of hostflow in the browser: the store (/store), the
// cart (/cart), checkout (/checkout) and the way into the client area (/client): sign-in,
// sign-out, registration and password reset. Like the console it is server-rendered
// (html/template) and a thin adapter over package service: the cart's rules are package cart's,
// prices are ordering's quote, accounts are package clients', placing is ordering.Place. It
// decides nothing; it reads forms, calls the service, and shows the answer or the refusal on
// the form it came from. This package holds the routes and the pages by noun (shop.go the
// store and Configure, cart.go, checkout.go, account.go sign-in, sign-out and registration,
// reset.go the password reset): what each page reads and does. The signed-in client's pages
// (home, services, domains, invoices, orders, emails, details) are package
// storefront/clientarea, whose routes it mounts beside its own; how a page is written
// (templates, flash messages, error pages, the account form, the stylesheet and script) is
// package storefront/page, who is signed in storefront/session. Every page works without
// JavaScript; the script only guards against double submits and shows the fields a choice
// needs.
package storefront

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/cart"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/storefront/clientarea"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/storefront/session"
	"github.com/hostflow/hostflow/web"
)

// Prefixes are the paths the starter mounts the storefront at; everything below each is its.
var Prefixes = []string{"/store", "/cart", "/checkout", "/client"}

// Options configure the storefront beyond the service.
type Options struct {
	// Company is the hosting company's name the pages carry (HOSTFLOW_COMPANY_NAME, which signs
	// the emails too).
	Company string
	// PublicURL and Dev decide whether cookies are Secure, by the console's rule; PublicURL is
	// also where the payment page sends the customer back (clientarea's Pay Now).
	PublicURL string
	Dev       bool
}

// Store serves the storefront.
type Store struct {
	svc      *service.Service
	log      *zap.Logger
	opts     Options
	pages    *page.Pages
	sessions *session.Manager
	area     *clientarea.Area
}

// New returns the storefront's handler, to be mounted at each of Prefixes.
func New(svc *service.Service, log *zap.Logger, opts Options) http.Handler {
	if log == nil {
		log = zap.NewNop()
	}
	if strings.TrimSpace(opts.Company) == "" {
		opts.Company = "hostflow"
	}
	s := &Store{svc: svc, log: log, opts: opts}
	s.pages = page.New(page.Config{Company: opts.Company, Log: log, Secure: s.secure})
	s.sessions = session.New(svc, s.pages, s.secure)
	s.area = clientarea.New(clientarea.Deps{Service: svc, Log: log, Pages: s.pages, Sessions: s.sessions, PublicURL: opts.PublicURL})
	return s.routes()
}

func (s *Store) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /store/static/", http.StripPrefix("/store/static/", page.Static()))
	mux.HandleFunc("GET /store", s.storePage)
	mux.HandleFunc("POST /store/currency", s.setCurrency)
	mux.HandleFunc("GET /store/product/{id}", s.productPage)
	mux.HandleFunc("POST /store/product/{id}", s.configure)
	mux.HandleFunc("GET /cart", s.cartPage)
	mux.HandleFunc("POST /cart/remove", s.removeItem)
	mux.HandleFunc("POST /cart/cycle", s.setCycle)
	mux.HandleFunc("POST /cart/promo", s.setPromo)
	mux.HandleFunc("POST /cart/empty", s.emptyCart)
	mux.HandleFunc("GET /checkout", s.checkoutPage)
	mux.HandleFunc("POST /checkout", s.checkout)
	mux.HandleFunc("GET /client/login", s.loginPage)
	mux.HandleFunc("POST /client/login", s.login)
	mux.HandleFunc("POST /client/logout", s.logout)
	mux.HandleFunc("GET /client/register", s.registerPage)
	mux.HandleFunc("POST /client/register", s.register)
	mux.HandleFunc("GET "+requestResetPath, s.resetRequestPage)
	mux.HandleFunc("POST "+requestResetPath, s.requestReset)
	mux.HandleFunc("GET "+clients.ResetPath, s.resetPage) // the Password Reset email's link
	mux.HandleFunc("POST "+clients.ResetPath, s.reset)
	s.area.Routes(mux) // the signed-in client's pages under /client
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.pages.Error(w, r, http.StatusNotFound, "There is no such page.")
	})
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.forbidden))
	return web.SecurityHeaders(cop.Handler(mux))
}

// forbidden answers a cross-site request that would change something; nothing was done.
func (s *Store) forbidden(w http.ResponseWriter, r *http.Request) {
	s.log.Warn("storefront: cross-origin request refused", zap.String("method", r.Method), zap.String("path", r.URL.Path),
		zap.String("origin", r.Header.Get("Origin")))
	s.pages.Error(w, r, http.StatusForbidden, "This form was sent from another site, so nothing was done. Please use the form on our own pages.")
}

// Cookies of the storefront besides the client session's (web.ClientSessionCookie).
const (
	// cartCookie holds the random token of the visitor's cart (package cart keeps its hash).
	cartCookie = "hostflow_cart"
	// currencyCookie holds a visitor's pick of currency, before they have a cart or an account.
	currencyCookie = "hostflow_currency"
)

// secure reports whether cookies must be Secure: the console's rule (web.SecureCookies), and
// by default outside dev mode.
func (s *Store) secure(r *http.Request) bool {
	if r.TLS != nil || web.ForwardedHTTPS(r) {
		return true
	}
	switch u, err := url.Parse(s.opts.PublicURL); {
	case err == nil && u.Scheme == "https":
		return true
	case err == nil && u.Scheme == "http":
		return false
	}
	return !s.opts.Dev
}

func (s *Store) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	age := int(maxAge / time.Second)
	if maxAge < 0 {
		age = -1
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: age, HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode})
}

// currency is what prices are shown in: a client's own currency, else the visitor's pick,
// else the catalogue's default.
func (s *Store) currency(r *http.Request, u session.Who) string {
	if u.Client != nil {
		return u.Client.Currency
	}
	if ck, err := r.Cookie(currencyCookie); err == nil && money.ValidCurrency(ck.Value) {
		return ck.Value
	}
	return catalog.DefaultCurrency
}

// visitor is who asks the cart: the cart cookie's token ("" without a cart), the client's
// address and currency.
func (s *Store) visitor(r *http.Request, u session.Who) cart.Visitor {
	v := cart.Visitor{Addr: page.ClientIP(r), Currency: s.currency(r, u)}
	if ck, err := r.Cookie(cartCookie); err == nil {
		v.Token = ck.Value
	}
	return v
}

// cartIdle is how long the cart cookie is kept: as long as the cart lives unused.
const cartIdle = cart.IdleAfter

// ensureCart gives the visitor a cart token if they have none yet, so that the first item
// makes their cart.
func (s *Store) ensureCart(w http.ResponseWriter, r *http.Request, v *cart.Visitor) {
	if v.Token == "" {
		v.Token = cart.NewToken()
	}
	s.setCookie(w, r, cartCookie, v.Token, cartIdle)
}

// giveCart hands the visitor's cart to the client who just signed in (the cart survives
// sign-in). A cart that another account owns (a shared computer) is not theirs: the visitor
// starts a new cart under a new token. It answers the token of the client's cart.
func (s *Store) giveCart(w http.ResponseWriter, r *http.Request, v cart.Visitor, clientID int64) (string, error) {
	if v.Token == "" {
		v.Token = cart.NewToken()
	}
	_, err := s.svc.Cart.SignIn(r.Context(), v, clientID)
	var f *fault.Error
	if errors.As(err, &f) && f.Kind == fault.Conflict {
		v.Token = cart.NewToken()
		_, err = s.svc.Cart.SignIn(r.Context(), v, clientID)
	}
	if err != nil {
		return "", err
	}
	s.setCookie(w, r, cartCookie, v.Token, cartIdle)
	return v.Token, nil
}

// safeNext keeps a destination after sign-in only if it is one of the storefront's paths.
func safeNext(next string) string {
	if strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return ""
	}
	for _, p := range Prefixes {
		if u.Path == p || strings.HasPrefix(u.Path, p+"/") {
			return next
		}
	}
	return ""
}
