package web

import (
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// ContentSecurityPolicy is the policy of every page hostflow renders (the console, the
// storefront): their own scripts, styles and images only, no inline script or style, no
// framing, forms posted only to hostflow. The templates are written for it (each package's test
// keeps inline script and style out of them).
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// SecurityHeaders sets the headers every answer of a rendered site carries, pages, assets and
// errors alike.
func SecurityHeaders(next http.Handler) http.Handler {
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

// ParseTemplates parses a site's pages from fsys, laid out as miniflux's are: the layout and
// partials in templates/common/*.html, and each page in templates/views/*.html parsed over a
// clone of them, keyed by its file name without .html.
func ParseTemplates(fsys fs.FS, funcs template.FuncMap) (map[string]*template.Template, error) {
	common, err := template.New("").Funcs(funcs).ParseFS(fsys, "templates/common/*.html")
	if err != nil {
		return nil, err
	}
	views, err := fs.Glob(fsys, "templates/views/*.html")
	if err != nil {
		return nil, err
	}
	byName := map[string]*template.Template{}
	for _, v := range views {
		t, err := template.Must(common.Clone()).ParseFS(fsys, v)
		if err != nil {
			return nil, err
		}
		byName[strings.TrimSuffix(path.Base(v), ".html")] = t
	}
	return byName, nil
}

// Static serves a site's stylesheets and scripts from fsys by name, the prefix they are
// mounted at stripped: the only scripts and styles the CSP lets a page load. No directory is
// listed.
func Static(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}
