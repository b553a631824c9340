package web

import (
	"context"
	"net/http"
	"net/netip"
	"strings"
	"sync"

	"go.uber.org/zap"
)

// forwarding is what ClientAddress learnt of a request's proxies, for the handlers after it.
type forwarding int

const (
	// forwardedHTTPS: a trusted proxy says the client spoke HTTPS to it.
	forwardedHTTPS forwarding = iota + 1
	// untrustedForward: X-Forwarded-For came from a peer that is not a trusted proxy.
	untrustedForward
)

type forwardingKey struct{}

// ClientAddress sets RemoteAddr to the client's address when the peer is a trusted proxy: the
// nearest address in X-Forwarded-For that is not itself a trusted proxy. Not chi's RealIP,
// which believes any client's header: the WHMCS IP allow-list and the console's sign-in
// lockout rely on the address. It also notes, for ForwardedHTTPS, a trusted proxy's
// X-Forwarded-Proto, and, for WarnUntrustedForward, an X-Forwarded-For it did not believe.
func ClientAddress(trusted []netip.Prefix) func(http.Handler) http.Handler {
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a.Unmap()) {
				return true
			}
		}
		return false
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			peer, err := netip.ParseAddrPort(r.RemoteAddr)
			fromProxy := len(trusted) > 0 && err == nil && isTrusted(peer.Addr())
			xff := r.Header.Values("X-Forwarded-For")
			if !fromProxy {
				if len(xff) > 0 {
					r = r.WithContext(context.WithValue(r.Context(), forwardingKey{}, untrustedForward))
				}
				next.ServeHTTP(w, r)
				return
			}
			// The nearest proxy's word is the last one: a client's own header comes before it.
			if protos := strings.Split(strings.Join(r.Header.Values("X-Forwarded-Proto"), ","), ","); strings.EqualFold(strings.TrimSpace(protos[len(protos)-1]), "https") {
				r = r.WithContext(context.WithValue(r.Context(), forwardingKey{}, forwardedHTTPS))
			}
			if len(xff) == 0 {
				next.ServeHTTP(w, r)
				return
			}
			hops := strings.Split(strings.Join(xff, ","), ",")
			for i := len(hops) - 1; i >= 0; i-- {
				a, ok := parseHop(hops[i])
				if !ok {
					break // a hop that is not an address: believe nothing further out
				}
				if !isTrusted(a) || i == 0 {
					r.RemoteAddr = netip.AddrPortFrom(a, 0).String()
					break
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// parseHop reads one X-Forwarded-For hop: an address, or an address with a port as some proxies
// write it ("203.0.113.7:4711", "[2001:db8::1]:443").
func parseHop(hop string) (netip.Addr, bool) {
	hop = strings.TrimSpace(hop)
	if a, err := netip.ParseAddr(hop); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(hop); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// ForwardedHTTPS reports whether a trusted proxy (HOSTFLOW_TRUSTED_PROXIES) said, in
// X-Forwarded-Proto, that the client reached it over HTTPS: TLS ends at the proxy.
func ForwardedHTTPS(r *http.Request) bool {
	f, _ := r.Context().Value(forwardingKey{}).(forwarding)
	return f == forwardedHTTPS
}

// untrustedWarning is logged once a process: behind a load balancer that is not a trusted proxy
// every client has the balancer's address, so one guesser's lockout is everyone's.
var untrustedWarning sync.Once

// WarnUntrustedForward logs, once a process, that X-Forwarded-For came from a peer that is not
// a trusted proxy. The handlers whose rules go by the client's address (the sign-in lockout,
// the WHMCS API's allow-list and lockout) call it.
func WarnUntrustedForward(r *http.Request, log *zap.Logger) {
	if f, _ := r.Context().Value(forwardingKey{}).(forwarding); f != untrustedForward || log == nil {
		return
	}
	untrustedWarning.Do(func() {
		log.Warn("X-Forwarded-For from a peer that is not a trusted proxy: its address is taken as the client's, so "+
			"behind a load balancer every client shares one address and one sign-in lockout; set HOSTFLOW_TRUSTED_PROXIES "+
			"to the load balancer's addresses", zap.String("peer", r.RemoteAddr))
	})
}
