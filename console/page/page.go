// Package page is how a console page reaches the browser: the templates (the layout and
// partials of templates/common, one file a page in templates/views) and the functions they
// use, the message a redirect carries to the page it lands on, error pages, the stylesheet and
// scripts the layout loads, and the headers every answer carries (a CSP that lets only those
// in). The console's handlers, sign-in among them, decide what a page shows; this package how
// it is written, so that every page has the same layout, escaping and headers.
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

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/web"
)

//go:embed templates
var templateFS embed.FS

// Config is what the pages need from the console that serves them.
type Config struct {
	// Base is the path the console is mounted at: its links and cookies are below it.
	Base string
	Log  *zap.Logger
	// Secure reports whether the cookies of an answer to r must be Secure; nil is never.
	Secure func(*http.Request) bool
	// Admin is r's signed-in admin, for the layout; nil, or nil returned, is nobody. It is
	// handed in because package session, which knows, renders its sign-in page with these pages.
	Admin func(*http.Request) *access.Admin
}

// View is what every page's template gets: the layout's parts and the page's own Data.
type View struct {
	Title string
	// Nav names the navigation entry the page belongs to.
	Nav   string
	Admin *access.Admin
	Flash *Flash
	// Live is the events stream the page follows to refresh its live parts (live.js); "" for
	// a page that does not change under the admin.
	Live string
	Data any
}

// Pages are the console's templates, one set per page: the layout and partials of
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
	p, err := parse(templateFS, funcs(cfg.Base))
	if err != nil {
		panic(err)
	}
	p.cfg = cfg
	return p
}

func parse(fsys fs.FS, funcs template.FuncMap) (*Pages, error) {
	byName, err := web.ParseTemplates(fsys, funcs)
	if err != nil {
		return nil, err
	}
	return &Pages{byName: byName}, nil
}

// Render writes page name with v, into a buffer first so that a template error is a clean 500
// rather than half a page. A message a redirect carried is shown on the page it lands on.
func (p *Pages) Render(w http.ResponseWriter, r *http.Request, status int, name string, v *View) {
	t, ok := p.byName[name]
	if !ok {
		panic("console: no page " + name)
	}
	if v.Admin == nil {
		v.Admin = p.admin(r)
	}
	if v.Flash == nil && r.Method == http.MethodGet {
		v.Flash = p.takeFlash(w, r)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		p.cfg.Log.Error("console: template failed: " + name + ": " + err.Error())
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// Error answers with a page that says what went wrong, inside the console's layout.
func (p *Pages) Error(w http.ResponseWriter, r *http.Request, status int, msg string) {
	p.Render(w, r, status, "error", &View{Title: http.StatusText(status), Admin: p.admin(r), Data: msg})
}

// ServerError logs an unexpected error and shows a page naming the request, never the error.
// PostgreSQL or Temporal out of reach is a 503 with a Retry-After: the admin waits, nothing
// is wrong with the request.
func (p *Pages) ServerError(w http.ResponseWriter, r *http.Request, err error) {
	id := middleware.GetReqID(r.Context())
	if web.Unavailable(err) {
		p.cfg.Log.Warn("console request failed: a dependency is unavailable", zap.String("path", r.URL.Path), zap.String("request_id", id), zap.Error(err))
		web.SetRetryAfter(w)
		p.Error(w, r, http.StatusServiceUnavailable, "hostflow cannot reach its database or Temporal just now; try again in a moment")
		return
	}
	p.cfg.Log.Error("console request failed", zap.String("path", r.URL.Path), zap.String("request_id", id), zap.Error(err))
	p.Error(w, r, http.StatusInternalServerError, "Something went wrong; request id "+id)
}

func (p *Pages) admin(r *http.Request) *access.Admin {
	if p.cfg.Admin == nil {
		return nil
	}
	return p.cfg.Admin(r)
}

func (p *Pages) secure(r *http.Request) bool { return p.cfg.Secure != nil && p.cfg.Secure(r) }

// Refusal is a service error's message for an admin, or "" for an unexpected error.
func Refusal(err error) string {
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
