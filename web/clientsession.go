package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/hostflow/hostflow/clients"
)

// ClientSessionCookie holds a signed-in client's session token (package clients), nothing else.
// Its name is not the console's (hostflow_session) and its token names a row of
// client_sessions, which neither the console nor the APIs read: a client's cookie opens
// nothing under /admin or /api.
const ClientSessionCookie = "hostflow_client_session"

// NewClientSessionCookie is the cookie a client-area sign-in sets: the whole site (the store,
// the cart and the client area need it), HttpOnly, SameSite=Lax, Secure as secure says (the
// console's rule: SecureCookies), kept no longer than a session may live.
func NewClientSessionCookie(token string, secure bool) *http.Cookie {
	return &http.Cookie{Name: ClientSessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(clients.ClientSessionMax / time.Second)}
}

// ClearClientSessionCookie is the cookie sign-out sets: the browser forgets the session's.
func ClearClientSessionCookie(secure bool) *http.Cookie {
	return &http.Cookie{Name: ClientSessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure,
		SameSite: http.SameSiteLaxMode}
}

// SecureCookies is the console's rule for when a cookie must be Secure: the request came over
// TLS, or visitors reach hostflow at an https public URL (HOSTFLOW_PUBLIC_URL) through a proxy
// that speaks plain HTTP to it.
func SecureCookies(publicURL string) func(*http.Request) bool {
	u, err := url.Parse(publicURL)
	https := err == nil && u.Scheme == "https"
	return func(r *http.Request) bool { return r.TLS != nil || https }
}
