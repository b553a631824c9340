// Package page is how a storefront page reaches the browser: the templates (the layout and
// partials of templates/common, one file a page in templates/views) and the functions they
// use, the message a redirect carries to the page it lands on, error pages and how a refusal is
// shown, and the stylesheet and script the layout loads; and what the store's pages and the
// client area's (storefront/clientarea) both read of a request (its id in the path, the
// client's address, a bounded context) and of the account form (account.go). It follows the
// console's (console/page); the headers every answer carries and the parsing of template sets
// are package web's. The look is the hosting company's, not the admin's: its own layout,
// stylesheet and script. The storefront's handlers decide what a page shows; this package how
// it is written.
package page

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"net/http"

	"github.com/go-chi/chi/v5/middleware"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/web"
)

//go:embed templates
var templateFS embed.FS

// Config is what the pages need from the storefront that serves them.
type Config struct {
	// Company is the hosting company's name every page carries.
	Company string
	Log     *zap.Logger
	// Secure reports whether the cookies of an answer to r must be Secure; nil is never.
	Secure func(*http.Request) bool
}

// View is what every page's template gets: the layout's parts and the page's own Data.
type View struct {
	Title string
	// Nav names the navigation entry the page belongs to: store, cart, checkout, client, signin,
	// register; a client-area page names its section (home, services, domains, invoices, orders,
	// emails, details), which the client-area navigation marks.
	Nav     string
	Company string
	// Client is the signed-in client, nil for a visitor.
	Client *clients.Client
	Flash  *Flash
	Data   any
}

// Pages are the storefront's templates, one set per page: the layout and partials of
// templates/common with the page's own file from templates/views.
type Pages struct {
	cfg    Config
	byName map[string]*template.Template
}

// New parses the embedded templates; it panics on an error, which a test would have caught.
func New(cfg Config) *Pages {
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	p, err := parse(templateFS)
	if err != nil {
		panic(err) // the embedded templates: a test would have caught it
	}
	p.cfg = cfg
	return p
}

func parse(fsys fs.FS) (*Pages, error) {
	byName, err := web.ParseTemplates(fsys, funcs)
	if err != nil {
		return nil, err
	}
	return &Pages{byName: byName}, nil
}

// Render writes page name with v, into a buffer first so that a template error is a clean 500
// rather than half a page. Pages show a cart or an account: no cache keeps them.
func (p *Pages) Render(w http.ResponseWriter, r *http.Request, status int, name string, v *View) {
	t, ok := p.byName[name]
	if !ok {
		panic("storefront: no page " + name)
	}
	v.Company = p.cfg.Company
	if v.Flash == nil && r.Method == http.MethodGet {
		v.Flash = p.takeFlash(w, r)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		p.cfg.Log.Error("storefront: template failed: " + name + ": " + err.Error())
		http.Error(w, "the page could not be shown", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// Error answers with a page that says what went wrong, inside the store's layout.
func (p *Pages) Error(w http.ResponseWriter, r *http.Request, status int, msg string) {
	title := http.StatusText(status)
	if status == http.StatusNotFound {
		title = "Page not found"
	}
	p.Render(w, r, status, "error", &View{Title: title, Data: msg})
}

// ServerError logs an unexpected error and shows a page naming the request, never the error.
// PostgreSQL or Temporal out of reach is a 503: the customer waits, nothing is wrong.
func (p *Pages) ServerError(w http.ResponseWriter, r *http.Request, err error) {
	id := middleware.GetReqID(r.Context())
	if web.Unavailable(err) {
		p.cfg.Log.Warn("storefront request failed: a dependency is unavailable", zap.String("path", r.URL.Path), zap.String("request_id", id), zap.Error(err))
		web.SetRetryAfter(w)
		p.Error(w, r, http.StatusServiceUnavailable, "We cannot reach our systems just now. Please try again in a moment.")
		return
	}
	p.cfg.Log.Error("storefront request failed", zap.String("path", r.URL.Path), zap.String("request_id", id), zap.Error(err))
	p.Error(w, r, http.StatusInternalServerError, "Something went wrong on our side. If it happens again, quote reference "+id+".")
}

// ReadForm parses a posted form of at most 64 KiB; false has answered already.
func (p *Pages) ReadForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		p.Error(w, r, http.StatusBadRequest, "The form could not be read. Please go back and try again.")
		return false
	}
	return true
}

// Refusal is a service refusal's field and message for the customer; ok is false for an
// unexpected error, which the caller answers with ServerError.
func Refusal(err error) (field, msg string, ok bool) {
	var f *fault.Error
	if !errors.As(err, &f) || f.Kind == fault.Unavailable && f.Message == "" {
		return "", "", false
	}
	return f.Field, f.Message, true
}

// RefusalStatus is the HTTP status a refused form is answered with.
func RefusalStatus(err error) int {
	var f *fault.Error
	if errors.As(err, &f) {
		if f.Kind == fault.Invalid {
			return http.StatusUnprocessableEntity
		}
		return web.Status(f.Kind)
	}
	return http.StatusInternalServerError
}

func (p *Pages) secure(r *http.Request) bool { return p.cfg.Secure != nil && p.cfg.Secure(r) }
