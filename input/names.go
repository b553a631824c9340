package input

import (
	"fmt"
	"net"
	"net/mail"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/fault"
)

// ServerAddress accepts a hostname or IP address, with or without a port.
func ServerAddress(a string) bool {
	host := a
	if h, port, err := net.SplitHostPort(a); err == nil {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return false
		}
		host = h
	}
	return net.ParseIP(host) != nil || Hostname(host)
}

// Hostname accepts LDH labels of 1 to 63 characters, at least two labels, 253 at most.
func Hostname(h string) bool {
	if len(h) == 0 || len(h) > 253 {
		return false
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// Email accepts one plain address, with a dot in its domain.
func Email(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

// Domain puts a domain name in its one form, lower case without a trailing dot, or refuses it.
func Domain(d string) (string, error) {
	d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
	if !Hostname(d) {
		return "", fmt.Errorf("%q is not a domain name", d)
	}
	return d, nil
}

// Nameserver counts: WHMCS's commands on a domain take ns1 and ns2 at least; an order's domain
// may have none (the registrar's defaults), and none has more than five.
const (
	MinDomainNameservers = 2
	MaxNameservers       = 5
)

// Nameservers is the rule for a domain's nameservers, wherever they come from: each a
// hostname, stored lower case without surrounding space or a trailing dot; at least `least` and at
// most MaxNameservers of them. field names them in a refusal. ns is not changed.
func Nameservers(field string, ns []string, least int) ([]string, error) {
	if len(ns) < least {
		return nil, fault.Invalidf(field, "at least %d nameservers required", least)
	}
	if len(ns) > MaxNameservers {
		return nil, fault.Invalidf(field, "at most %d nameservers", MaxNameservers)
	}
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(n), "."))
		if !Hostname(out[i]) {
			return nil, fault.Invalidf(fmt.Sprintf("%s[%d]", field, i), "%q is not a hostname", n)
		}
	}
	return out, nil
}

// List lists words as a refusal offers them: "a, b, c".
func List[T ~string](words []T) string {
	s := make([]string, len(words))
	for i, w := range words {
		s[i] = string(w)
	}
	return strings.Join(s, ", ")
}
