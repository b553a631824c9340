package page

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"time"
)

// What every storefront page reads of its request and how a form's post is answered, the same
// for the store's pages and the client area's.

// readTimeout bounds a page's reads; placing waits as long as the service lets it.
const readTimeout = 10 * time.Second

// Context is the context of a page's reads: the request's, bounded by readTimeout.
func Context(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), readTimeout)
}

// PathID reads a positive id from the path; 0 for anything else, which is no page.
func PathID(r *http.Request) int64 {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// Redirect answers a form's post with a 303.
func Redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// ClientIP is the client's address without its port; the router's middleware has already
// replaced a trusted proxy's address with the client's.
func ClientIP(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
