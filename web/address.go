package web

import (
	"net/http"
	"net/netip"
	"strings"
)

// ClientAddress sets RemoteAddr to the client's address when the peer is a trusted proxy: the
// nearest address in X-Forwarded-For that is not itself a trusted proxy. Not chi's RealIP,
// which believes any client's header: the WHMCS IP allow-list and the console's sign-in
// lockout rely on the address.
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
			xff := r.Header.Values("X-Forwarded-For")
			if len(trusted) == 0 || err != nil || len(xff) == 0 || !isTrusted(peer.Addr()) {
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
