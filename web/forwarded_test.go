package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// TestForwarding: only a trusted proxy's X-Forwarded-Proto says HTTPS, and the nearest proxy's
// word counts; X-Forwarded-For from anyone else is noted as untrusted.
func TestForwarding(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	for _, tc := range []struct {
		name       string
		trusted    []netip.Prefix
		peer       string
		proto, xff string
		https      bool
		untrusted  bool
	}{
		{"a trusted proxy's https", trusted, "10.0.0.1:1234", "https", "203.0.113.7", true, false},
		{"in any case, without X-Forwarded-For", trusted, "10.0.0.1:1234", "HTTPS", "", true, false},
		{"a trusted proxy's http", trusted, "10.0.0.1:1234", "http", "203.0.113.7", false, false},
		{"the client's https before the proxy's http", trusted, "10.0.0.1:1234", "https, http", "203.0.113.7", false, false},
		{"an untrusted peer's https", trusted, "192.0.2.1:1234", "https", "", false, false},
		{"an untrusted peer's X-Forwarded-For", trusted, "192.0.2.1:1234", "", "203.0.113.7", false, true},
		{"X-Forwarded-For with no trusted proxies", nil, "10.0.0.1:1234", "https", "203.0.113.7", false, true},
		{"no headers", nil, "10.0.0.1:1234", "", "", false, false},
	} {
		var https, untrusted bool
		h := ClientAddress(tc.trusted)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			https = ForwardedHTTPS(r)
			f, _ := r.Context().Value(forwardingKey{}).(forwarding)
			untrusted = f == untrustedForward
		}))
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = tc.peer
		if tc.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		if tc.xff != "" {
			req.Header.Set("X-Forwarded-For", tc.xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
		if https != tc.https || untrusted != tc.untrusted {
			t.Errorf("%s: https %v untrusted %v, want %v %v", tc.name, https, untrusted, tc.https, tc.untrusted)
		}
	}
}

// TestUntrustedForwardWarnsOnce: the warning is logged once a process, however many requests
// and handlers see the header.
func TestUntrustedForwardWarnsOnce(t *testing.T) {
	untrustedWarning = sync.Once{}
	core, logs := observer.New(zap.WarnLevel)
	log := zap.New(core)
	h := ClientAddress(nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { WarnUntrustedForward(r, log) }))
	for _, xff := range []string{"", "203.0.113.7", "203.0.113.8", ""} {
		req := httptest.NewRequest("GET", "/", nil)
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
		if xff == "" && logs.Len() == 0 {
			continue
		}
		if logs.Len() != 1 {
			t.Fatalf("%d warnings after %q, want 1", logs.Len(), xff)
		}
	}
}

func TestSetRetryAfterIn(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "1", time.Millisecond: "1", time.Second: "1", 1500 * time.Millisecond: "2", 15 * time.Minute: "900"} {
		rec := httptest.NewRecorder()
		SetRetryAfterIn(rec, d)
		if got := rec.Header().Get("Retry-After"); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
