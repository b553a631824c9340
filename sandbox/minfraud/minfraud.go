// Package minfraud is a local MaxMind minFraud web service (Score, Insights, Factors) for
// tests and `make run`. It checks Basic auth and the request as minFraud does, answers with
// minFraud's content types and error codes, and scores by rule: an email domain or IP the test
// set, else anything at a domain beginning with "fraud" is high risk.
package minfraud

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/hostflow/hostflow/sandbox/fault"
)

// Server is the sandbox.
type Server struct {
	AccountID, LicenseKey string
	fault.Injector        // Down: the next n requests answer 503 without a body

	mu        sync.Mutex
	scores    map[string]float64 // email domain or IP → risk score
	requests  []map[string]any
	funds     bool // false: INSUFFICIENT_FUNDS
	remaining float64
}

// New returns a sandbox for one account with funds.
func New(accountID, licenseKey string) *Server {
	return &Server{AccountID: accountID, LicenseKey: licenseKey, scores: map[string]float64{}, funds: true, remaining: 25}
}

// Score makes orders from an email domain or an IP score risk.
func (s *Server) Score(domainOrIP string, risk float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scores[domainOrIP] = risk
}

// OutOfFunds makes every request answer 402 INSUFFICIENT_FUNDS until funds are restored.
func (s *Server) OutOfFunds(out bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.funds = !out
}

// Requests returns the bodies received, oldest first.
func (s *Server) Requests() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]any(nil), s.requests...)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	service, ok := strings.CutPrefix(r.URL.Path, "/minfraud/v2.0/")
	if !ok || r.Method != http.MethodPost || service != "score" && service != "insights" && service != "factors" {
		writeError(w, http.StatusNotFound, "PATH_INVALID", "You have supplied an invalid path.")
		return
	}
	user, pass, hasAuth := r.BasicAuth()
	switch {
	case !hasAuth || user == "":
		writeError(w, http.StatusUnauthorized, "ACCOUNT_ID_REQUIRED", "You have not supplied a MaxMind account ID in the Authorization header.")
		return
	case pass == "":
		writeError(w, http.StatusUnauthorized, "LICENSE_KEY_REQUIRED", "You have not supplied a MaxMind license key in the Authorization header.")
		return
	case user != s.AccountID || pass != s.LicenseKey:
		writeError(w, http.StatusUnauthorized, "AUTHORIZATION_INVALID", "You have supplied an invalid MaxMind account ID and/or license key in the Authorization header.")
		return
	}
	delay, down := s.Next()
	s.mu.Lock()
	funds := s.funds
	s.mu.Unlock()
	time.Sleep(delay)
	if down {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if !funds {
		writeError(w, http.StatusPaymentRequired, "INSUFFICIENT_FUNDS", "The license key you have provided does not have sufficient funds to use this service.")
		return
	}
	var req map[string]any
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "JSON_INVALID", "Error decoding JSON: "+err.Error())
		return
	}
	var ip netip.Addr
	if dev, ok := req["device"].(map[string]any); ok {
		raw, _ := dev["ip_address"].(string)
		var err error
		if ip, err = netip.ParseAddr(raw); err != nil {
			writeError(w, http.StatusBadRequest, "IP_ADDRESS_INVALID", fmt.Sprintf("The value %q is not a valid IP address.", raw))
			return
		}
		if ip.IsPrivate() || ip.IsLoopback() || ip.IsUnspecified() || ip.IsLinkLocalUnicast() {
			writeError(w, http.StatusBadRequest, "IP_ADDRESS_RESERVED", fmt.Sprintf("The IP address supplied (%s) is in a reserved network.", ip))
			return
		}
	}
	domain := ""
	if e, ok := req["email"].(map[string]any); ok {
		domain, _ = e["domain"].(string)
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	risk := 0.5
	if v, ok := s.scores[domain]; ok {
		risk = v
	} else if v, ok := s.scores[ip.String()]; ok {
		risk = v
	} else if strings.HasPrefix(domain, "fraud") {
		risk = 90
	}
	s.remaining -= 0.005
	remaining := s.remaining
	s.mu.Unlock()

	out := map[string]any{"id": uuid(), "risk_score": risk, "funds_remaining": remaining, "queries_remaining": int(remaining / 0.005)}
	if ip.IsValid() {
		ipBlock := map[string]any{"risk": min(risk*1.2, 99)}
		if service != "score" {
			ipBlock["country"] = map[string]any{"iso_code": "US", "names": map[string]string{"en": "United States"}}
			ipBlock["risk_reasons"] = []any{}
		}
		out["ip_address"] = ipBlock
	}
	if billing, _ := req["billing"].(map[string]any); billing["country"] == nil {
		out["warnings"] = []any{map[string]any{"code": "BILLING_COUNTRY_MISSING",
			"warning": "No billing country was provided; the risk score is less accurate.", "input_pointer": "/billing/country"}}
	}
	if service != "score" && domain != "" {
		out["email"] = map[string]any{"is_free": domain == "gmail.com", "is_disposable": false, "is_high_risk": risk > 50,
			"domain": map[string]any{"first_seen": "2001-01-01"}}
	}
	w.Header().Set("Content-Type", "application/vnd.maxmind.com-minfraud-"+service+"+json; charset=UTF-8; version=2.0")
	_ = json.NewEncoder(w).Encode(out)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/vnd.maxmind.com-error+json; charset=UTF-8; version=2.0")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"code": code, "error": msg})
}

func uuid() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
