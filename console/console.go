// Package console is hostflow's admin console: WHMCS's Orders screens as server-rendered pages,
// a thin adapter over package service like the REST and WHMCS APIs, with no rule of its own.
// Pages are html/template, assets are embedded, and every page works without JavaScript.
package console

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/service"
)

//go:embed static
var staticFS embed.FS

// DefaultTemporalUIURL is the dev server's Web UI.
const DefaultTemporalUIURL = "http://127.0.0.1:8233"

// Options configure the console beyond the service.
type Options struct {
	// PublicURL is where admins reach hostflow (HOSTFLOW_PUBLIC_URL); https makes the session
	// cookie Secure even behind a proxy that speaks plain HTTP to hostflow.
	PublicURL string
	// TemporalUIURL is the Temporal Web UI's base URL; DefaultTemporalUIURL when empty.
	TemporalUIURL string
	// Namespace is the Temporal namespace orders run in; "default" when empty.
	Namespace string
}

// Console serves the admin console below the path it is mounted at (/admin).
type Console struct {
	svc   *service.Service
	log   *zap.Logger
	opts  Options
	pages *pages
	// base is the path the console is mounted at.
	base string
	// changes subscribes to the ids of changed orders: the service's, or a test's.
	changes func(context.Context) <-chan int64
	// shutdowns end the streams when their server shuts down.
	shutdowns shutdowns
}

// Base is the path the starter mounts the console at.
const Base = "/admin"

// New returns the console's handler, to be mounted at Base.
func New(svc *service.Service, log *zap.Logger, opts Options) http.Handler {
	if opts.TemporalUIURL == "" {
		opts.TemporalUIURL = DefaultTemporalUIURL
	}
	opts.TemporalUIURL = strings.TrimRight(opts.TemporalUIURL, "/")
	if opts.Namespace == "" {
		opts.Namespace = "default"
	}
	c := &Console{svc: svc, log: log, opts: opts, pages: mustParsePages(), base: Base}
	if svc != nil {
		c.changes = svc.OrderChanges
	}
	return c.routes()
}

func (c *Console) routes() http.Handler {
	r := chi.NewRouter()
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(c.forbidden))
	r.Use(securityHeaders, cop.Handler)
	static, _ := fs.Sub(staticFS, "static")
	r.Handle("/static/*", http.StripPrefix(c.base+"/static/", staticHandler(static)))
	r.Get("/login", c.loginPage)
	r.Post("/login", c.login)
	r.Group(func(r chi.Router) {
		r.Use(c.requireSession)
		r.Post("/logout", c.logout)
		r.Get("/", c.dashboard)
		r.Get("/events", c.events)
		r.Get("/clients", c.clientList)
		r.Get("/clients/options", c.clientOptions)
		r.Get("/clients/{id}", c.clientPage)
		r.Get("/orders", c.orderList)
		r.Post("/orders/bulk", c.bulk)
		r.Get("/orders/new", c.newOrderPage)
		r.Post("/orders/new", c.placeNewOrder)
		r.Get("/orders/{id}", c.orderPage)
		r.Post("/orders/{id}/notes", c.saveNotes)
		r.Post("/invoices/{id}/payments", c.addPayment)
		r.Get("/orders/{id}/accept", c.acceptPage)
		r.Get("/orders/{id}/{action}", c.confirmPage)
		r.Post("/orders/{id}/{action}", c.act)
	})
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		c.errorPage(w, r, http.StatusNotFound, "No such page: "+r.URL.Path)
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		c.errorPage(w, r, http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path)
	})
	return r
}

// ContentSecurityPolicy allows the console's own scripts, styles and images only: no inline
// script or style, no framing, forms posted only to the console.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders sets the headers every console answer carries, pages, assets and errors alike.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

func staticHandler(static fs.FS) http.Handler {
	files := http.FileServerFS(static)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// forbidden answers a cross-site request that would change something; nothing was done.
func (c *Console) forbidden(w http.ResponseWriter, r *http.Request) {
	c.log.Warn("console: cross-origin request refused", zap.String("method", r.Method), zap.String("path", r.URL.Path),
		zap.String("origin", r.Header.Get("Origin")), zap.String("sec_fetch_site", r.Header.Get("Sec-Fetch-Site")))
	c.errorPage(w, r, http.StatusForbidden, "Cross-site request refused: nothing was changed. Submit the form from the console itself.")
}

// errorPage answers with a page that says what went wrong, inside the console's layout.
func (c *Console) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	c.render(w, r, status, "error", &view{Title: http.StatusText(status), Admin: adminOf(r), Data: msg})
}

// serverError logs an unexpected error and shows a page naming the request, never the error.
func (c *Console) serverError(w http.ResponseWriter, r *http.Request, err error) {
	id := middleware.GetReqID(r.Context())
	c.log.Error("console request failed", zap.String("path", r.URL.Path), zap.String("request_id", id), zap.Error(err))
	c.errorPage(w, r, http.StatusInternalServerError, "Something went wrong; request id "+id)
}

// logFailure logs an unexpected error and says what the admin is told of it: that it failed,
// and the request id to find it by in the log.
func (c *Console) logFailure(r *http.Request, what string, err error) string {
	rid := middleware.GetReqID(r.Context())
	c.log.Error(what, zap.String("path", r.URL.Path), zap.String("request_id", rid), zap.Error(err))
	return "failed unexpectedly; request id " + rid
}

// refusal is a service error's message for an admin, or "" for an unexpected error.
func refusal(err error) string {
	var se *fault.Error
	if errors.As(err, &se) {
		return se.Error()
	}
	var st *order.StateError
	if errors.As(err, &st) {
		return st.Reason
	}
	return ""
}

// path builds a console path: path("/orders/", id) is "/admin/orders/<id>".
func (c *Console) path(parts ...string) string { return c.base + strings.Join(parts, "") }

// redirect answers a form's post with a 303 to a console path.
func (c *Console) redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// secure reports whether cookies must be Secure: the request came over TLS, or admins reach
// the console at an https public URL.
func (c *Console) secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	u, err := url.Parse(c.opts.PublicURL)
	return err == nil && u.Scheme == "https"
}

// flashCookie carries one message to the page a post redirects to.
const flashCookie = "hostflow_flash"

// Flash kinds.
const (
	flashOK    = "ok"
	flashError = "error"
)

type flash struct {
	Kind string
	Text string
}

func (c *Console) setFlash(w http.ResponseWriter, r *http.Request, kind, text string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(kind + ":" + text), Path: c.base,
		HttpOnly: true, Secure: c.secure(r), SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// takeFlash reads the message a redirect carried and clears it.
func (c *Console) takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	ck, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: c.base, MaxAge: -1, HttpOnly: true, Secure: c.secure(r),
		SameSite: http.SameSiteLaxMode})
	v, err := url.QueryUnescape(ck.Value)
	if err != nil {
		return nil
	}
	kind, text, ok := strings.Cut(v, ":")
	if !ok || kind != flashOK && kind != flashError || text == "" {
		return nil
	}
	return &flash{Kind: kind, Text: text}
}

// timeout bounds a page's reads; actions wait as long as the service lets them.
const pageTimeout = 10 * time.Second

func pageContext(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), pageTimeout)
}
