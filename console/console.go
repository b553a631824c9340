// Package console is hostflow's admin console: WHMCS's Orders screens as server-rendered pages,
// a thin adapter over package service like the REST and WHMCS APIs, with no rule of its own.
// This package holds the routes and the pages by noun (orders, Add New Order, clients,
// payments): what each page reads and does. How a page is written (templates, layout, CSP) is
// package console/page, who is signed in console/session, the live-update stream console/live.
// Every page works without JavaScript.
package console

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/console/live"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/console/session"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/web"
)

// DefaultTemporalUIURL is the dev server's Web UI.
const DefaultTemporalUIURL = "http://127.0.0.1:8233"

// Options configure the console beyond the service.
type Options struct {
	// PublicURL is where admins reach hostflow (HOSTFLOW_PUBLIC_URL); https makes the session
	// cookie Secure even behind a proxy that speaks plain HTTP to hostflow, and http says that
	// admins reach it over plain HTTP, so that the cookie is not Secure.
	PublicURL string
	// Dev is HOSTFLOW_DEV=1: cookies are Secure only over TLS (or a trusted proxy's HTTPS), so
	// that the local stack works over plain http://127.0.0.1. Outside dev mode they are
	// Secure by default.
	Dev bool
	// Heartbeat is how often the events stream sends a comment and checks that its session is
	// still live; live.DefaultHeartbeat when zero.
	Heartbeat time.Duration
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
	pages *page.Pages
	// base is the path the console is mounted at.
	base     string
	sessions *session.Manager
	// stream is the live-update stream at eventsPath.
	stream *live.Stream
}

// Base is the path the starter mounts the console at.
const Base = "/admin"

// eventsPath is where the live-update stream is served, below Base.
const eventsPath = "/events"

// New returns the console's handler, to be mounted at Base.
func New(svc *service.Service, log *zap.Logger, opts Options) http.Handler {
	if opts.TemporalUIURL == "" {
		opts.TemporalUIURL = DefaultTemporalUIURL
	}
	opts.TemporalUIURL = strings.TrimRight(opts.TemporalUIURL, "/")
	if opts.Namespace == "" {
		opts.Namespace = "default"
	}
	c := &Console{svc: svc, log: log, opts: opts, base: Base}
	c.pages = page.New(page.Config{Base: Base, Log: log, Secure: c.secure, Admin: session.Admin})
	c.sessions = session.New(svc, c.pages, log, c.base, c.secure)
	var changes func(context.Context) <-chan int64
	if svc != nil {
		changes = svc.OrderChanges
	}
	c.stream = live.New(changes, c.sessions.Live, opts.Heartbeat)
	return c.routes()
}

func (c *Console) routes() http.Handler {
	r := chi.NewRouter()
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(c.forbidden))
	r.Use(page.SecurityHeaders, cop.Handler)
	r.Handle("/static/*", http.StripPrefix(c.base+"/static/", page.Static()))
	r.Get("/login", c.sessions.LoginPage)
	r.Post("/login", c.sessions.Login)
	// The stream is opened by the page, not by the admin: it never extends the session.
	r.With(c.sessions.RequireBackground).Get(eventsPath, c.stream.ServeHTTP)
	r.Group(func(r chi.Router) {
		r.Use(c.sessions.Require)
		r.Post("/logout", c.sessions.Logout)
		r.Get("/", c.dashboard)
		r.Get("/clients", c.clientList)
		r.Get("/clients/options", c.clientOptions)
		c.clientRoutes(r)
		r.Get("/orders", c.orderList)
		r.Post("/orders/bulk", c.bulk)
		r.Get("/orders/new", c.newOrderPage)
		r.Post("/orders/new", c.placeNewOrder)
		r.Get("/orders/{id}", c.orderPage)
		r.Post("/orders/{id}/notes", c.saveNotes)
		r.Post("/invoices/{id}/payments", c.addPayment)
		c.refundRoutes(r)
		c.invoiceRoutes(r)
		c.itemRoutes(r)
		r.Get("/orders/{id}/accept", c.acceptPage)
		r.Get("/orders/{id}/{action}", c.confirmPage)
		r.Post("/orders/{id}/{action}", c.act)
		c.emailRoutes(r)
		c.setupRoutes(r)
	})
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		c.pages.Error(w, r, http.StatusNotFound, "No such page: "+r.URL.Path)
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		c.pages.Error(w, r, http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path)
	})
	return r
}

// liveURL is the events stream of one order's page, or of every order when id is 0.
func liveURL(id int64) string { return live.URL(Base+eventsPath, id) }

// forbidden answers a cross-site request that would change something; nothing was done.
func (c *Console) forbidden(w http.ResponseWriter, r *http.Request) {
	c.log.Warn("console: cross-origin request refused", zap.String("method", r.Method), zap.String("path", r.URL.Path),
		zap.String("origin", r.Header.Get("Origin")), zap.String("sec_fetch_site", r.Header.Get("Sec-Fetch-Site")))
	c.pages.Error(w, r, http.StatusForbidden, "Cross-site request refused: nothing was changed. Submit the form from the console itself.")
}

// logFailure logs an unexpected error and says what the admin is told of it: that it failed,
// and the request id to find it by in the log.
func (c *Console) logFailure(r *http.Request, what string, err error) string {
	rid := middleware.GetReqID(r.Context())
	c.log.Error(what, zap.String("path", r.URL.Path), zap.String("request_id", rid), zap.Error(err))
	return "failed unexpectedly; request id " + rid
}

// path builds a console path: path("/orders/", id) is "/admin/orders/<id>".
func (c *Console) path(parts ...string) string { return c.base + strings.Join(parts, "") }

// redirect answers a form's post with a 303 to a console path.
func (c *Console) redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// secure reports whether cookies must be Secure: always when the request came over TLS, a
// trusted proxy says the client spoke HTTPS to it, or admins reach the console at an https
// public URL; otherwise unless in dev mode or the public URL says plain http.
func (c *Console) secure(r *http.Request) bool {
	if r.TLS != nil || web.ForwardedHTTPS(r) {
		return true
	}
	switch u, err := url.Parse(c.opts.PublicURL); {
	case err == nil && u.Scheme == "https":
		return true
	case err == nil && u.Scheme == "http":
		return false
	}
	return !c.opts.Dev
}

// timeout bounds a page's reads; actions wait as long as the service lets them.
const pageTimeout = 10 * time.Second

func pageContext(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), pageTimeout)
}

// pathID reads the path's {id}, a positive number, or answers a 404 page saying there is no
// such noun.
func (c *Console) pathID(w http.ResponseWriter, r *http.Request, noun string) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		c.pages.Error(w, r, http.StatusNotFound, "No such "+noun+": "+chi.URLParam(r, "id"))
		return 0, false
	}
	return id, true
}

// notFoundOr answers a page whose subject could not be read: a refusal (it does not exist) is
// a 404 page in its words, anything else a 500.
func (c *Console) notFoundOr(w http.ResponseWriter, r *http.Request, err error) {
	if msg := page.Refusal(err); msg != "" {
		c.pages.Error(w, r, http.StatusNotFound, msg)
		return
	}
	c.pages.ServerError(w, r, err)
}
