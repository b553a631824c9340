package storefront

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/web"
)

// How a storefront page is written follows the console's (console/page): one template set a
// page (the layout and partials of templates/common with the page's file of templates/views),
// rendered into a buffer first, under a CSP that lets in only the embedded assets. The look is
// the hosting company's, not the admin's: its own layout, stylesheet and script.

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// staticFiles serves static/ by name: the only scripts and styles the CSP lets a page load.
func staticFiles() http.Handler {
	static, _ := fs.Sub(staticFS, "static")
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

// view is what every page's template gets: the layout's parts and the page's own Data.
type view struct {
	Title string
	// Nav names the navigation entry the page belongs to: store, cart, checkout, client.
	Nav     string
	Company string
	// Client is the signed-in client, nil for a visitor.
	Client *clients.Client
	Flash  *flash
	Data   any
}

type pages struct {
	s      *Store
	byName map[string]*template.Template
}

func newPages(s *Store) *pages {
	p, err := parseTemplates(templateFS)
	if err != nil {
		panic(err) // the embedded templates: a test would have caught it
	}
	p.s = s
	return p
}

func parseTemplates(fsys fs.FS) (*pages, error) {
	byName, err := web.ParseTemplates(fsys, funcs)
	if err != nil {
		return nil, err
	}
	return &pages{byName: byName}, nil
}

// render writes page name with v, into a buffer first so that a template error is a clean 500
// rather than half a page. Pages show a cart or an account: no cache keeps them.
func (p *pages) render(w http.ResponseWriter, r *http.Request, status int, name string, v *view) {
	t, ok := p.byName[name]
	if !ok {
		panic("storefront: no page " + name)
	}
	if p.s != nil {
		v.Company = p.s.opts.Company
	}
	if v.Flash == nil && r.Method == http.MethodGet {
		v.Flash = p.takeFlash(w, r)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		if p.s != nil {
			p.s.log.Error("storefront: template failed: " + name + ": " + err.Error())
		}
		http.Error(w, "the page could not be shown", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// errorPage answers with a page that says what went wrong, inside the store's layout.
func (p *pages) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	title := http.StatusText(status)
	if status == http.StatusNotFound {
		title = "Page not found"
	}
	p.render(w, r, status, "error", &view{Title: title, Data: msg})
}

// flashCookie carries one message to the page a post redirects to.
const flashCookie = "hostflow_store_flash"

type flash struct {
	Kind string // ok or error
	Text string
}

func (p *pages) setFlash(w http.ResponseWriter, r *http.Request, kind, text string) {
	secure := p.s != nil && p.s.secure(r)
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(kind + ":" + text), Path: "/", HttpOnly: true,
		Secure: secure, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func (p *pages) takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	ck, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	secure := p.s != nil && p.s.secure(r)
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
	v, err := url.QueryUnescape(ck.Value)
	if err != nil {
		return nil
	}
	kind, text, ok := strings.Cut(v, ":")
	if !ok || kind != "ok" && kind != "error" || text == "" {
		return nil
	}
	return &flash{Kind: kind, Text: text}
}

// symbols are the signs of the currencies most customers know; others show their code only.
var symbols = map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "AUD": "A$", "CAD": "C$", "INR": "₹"}

// price shows an amount as a customer reads it: "$9.99 USD".
func price(minor int64, currency string) string {
	return symbols[currency] + money.Format(minor, currency) + " " + currency
}

var funcs = template.FuncMap{
	"price": price,
	"add":   func(a, b int64) int64 { return a + b },
	"cycle": func(c order.BillingCycle) string { return c.Name() },
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2 January 2006")
	},
	"years": func(n int) string {
		if n == 1 {
			return "1 year"
		}
		return fmt.Sprintf("%d years", n)
	},
	"slug": func(s any) string { return strings.ToLower(strings.ReplaceAll(fmt.Sprint(s), " ", "-")) },
	// err is a form's message for one field, "" for none.
	"err":       func(errs map[string]string, field string) string { return errs[field] },
	"countries": func() []country { return countries },
	// dict hands a partial several values: dict "N" "email" "V" value.
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	"methodName": methodName,
}

type country struct{ Code, Name string }

// methodNames are the payment methods' names as a customer reads them; another method shows its
// system name.
var methodNames = map[string]string{"banktransfer": "Bank Transfer", "mailin": "Mail In Payment", "stripe": "Credit or debit card (Stripe)",
	"paypal": "PayPal"}

func methodName(m string) string {
	if n, ok := methodNames[m]; ok {
		return n
	}
	return m
}
