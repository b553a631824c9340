package console

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/hostflow/hostflow/web"
)

// TestCookiesSecure: Secure by default; in dev mode, or with an http public URL, only when the
// request came over TLS or a trusted proxy says the client spoke HTTPS.
func TestCookiesSecure(t *testing.T) {
	proxy := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	for _, tc := range []struct {
		name      string
		opts      Options
		tls       bool
		peer      string
		forwarded string // X-Forwarded-Proto
		want      bool
	}{
		{"by default", Options{}, false, "192.0.2.1:1", "", true},
		{"dev over plain http", Options{Dev: true}, false, "192.0.2.1:1", "", false},
		{"dev over TLS", Options{Dev: true}, true, "192.0.2.1:1", "", true},
		{"dev behind a trusted proxy speaking https", Options{Dev: true}, false, "10.0.0.1:1", "https", true},
		{"dev behind a trusted proxy speaking http", Options{Dev: true}, false, "10.0.0.1:1", "http", false},
		{"dev, https claimed by a client", Options{Dev: true}, false, "192.0.2.1:1", "https", false},
		{"dev with an https public URL", Options{Dev: true, PublicURL: "https://billing.example.com"}, false, "192.0.2.1:1", "", true},
		{"an http public URL says plain http", Options{PublicURL: "http://10.1.2.3:8080"}, false, "192.0.2.1:1", "", false},
		{"an http public URL behind a proxy speaking https", Options{PublicURL: "http://billing.example.com"}, false, "10.0.0.1:1", "https", true},
		{"an unreadable public URL is no opinion", Options{PublicURL: "://"}, false, "192.0.2.1:1", "", true},
	} {
		c := &Console{opts: tc.opts}
		var got bool
		h := web.ClientAddress(proxy)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = c.secure(r) }))
		req := httptest.NewRequest("GET", "/admin/login", nil)
		req.RemoteAddr = tc.peer
		if tc.tls {
			req.TLS = &tls.ConnectionState{}
		}
		if tc.forwarded != "" {
			req.Header.Set("X-Forwarded-Proto", tc.forwarded)
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
		if got != tc.want {
			t.Errorf("%s: Secure %v, want %v", tc.name, got, tc.want)
		}
	}
}
