// Package maxmind is the MaxMind minFraud fraud module: one JSON POST to the Score (or
// Insights) web service with HTTP Basic auth (account ID, license key). MaxMind publishes no Go
// client, and the API is small enough not to need one.
package maxmind

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/permanent"
)

// Name is the module's name in an order's fraud results.
const Name = fraud.ModuleMaxMind

// DefaultURL is MaxMind's minFraud host.
const DefaultURL = "https://minfraud.maxmind.com"

// Config is a MaxMind account.
type Config struct {
	URL        string // DefaultURL, https://sandbox.maxmind.com, or a local sandbox
	AccountID  string
	LicenseKey string
	// Service is "score" (the default) or "insights", which adds IP, email and device detail.
	Service string
}

// Checker scores orders with minFraud.
type Checker struct {
	cfg  Config
	http *http.Client
}

// New returns a Checker for an account.
func New(cfg Config) *Checker {
	if cfg.URL == "" {
		cfg.URL = DefaultURL
	}
	if cfg.Service == "" {
		cfg.Service = "score"
	}
	return &Checker{cfg: cfg, http: &http.Client{Timeout: 20 * time.Second}}
}

// reply is the part of a Score or Insights answer hostflow reads; the rest is kept raw.
type reply struct {
	ID        string  `json:"id"`
	RiskScore float64 `json:"risk_score"`
	IPAddress *struct {
		Risk float64 `json:"risk"`
	} `json:"ip_address"`
	Disposition *struct {
		Action string `json:"action"`
	} `json:"disposition"`
	Warnings []struct {
		Code    string `json:"code"`
		Warning string `json:"warning"`
	} `json:"warnings"`
}

// apiError is minFraud's error body.
type apiError struct {
	Code  string `json:"code"`
	Error string `json:"error"`
}

// Check asks minFraud for the order's risk. A refusal of the account (credentials, funds,
// permission) is not retried: the order goes to an admin's review at once.
func (c *Checker) Check(ctx context.Context, r fraud.Request) (fraud.Result, error) {
	body, err := json.Marshal(request(r))
	if err != nil {
		return fraud.Result{}, err
	}
	url := strings.TrimRight(c.cfg.URL, "/") + "/minfraud/v2.0/" + c.cfg.Service
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fraud.Result{}, err
	}
	req.SetBasicAuth(c.cfg.AccountID, c.cfg.LicenseKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fraud.Result{}, fmt.Errorf("minfraud: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fraud.Result{}, fmt.Errorf("minfraud: read reply: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fraud.Result{}, replyError(resp, raw)
	}
	var rep reply
	if !isJSON(resp.Header.Get("Content-Type")) || json.Unmarshal(raw, &rep) != nil {
		return fraud.Result{}, fmt.Errorf("minfraud: the reply is not minFraud JSON (%s)", resp.Header.Get("Content-Type"))
	}
	report := fraud.Report{ID: rep.ID, RiskScore: rep.RiskScore, Response: raw}
	if rep.IPAddress != nil {
		report.IPRisk = &rep.IPAddress.Risk
	}
	if rep.Disposition != nil {
		report.Disposition = rep.Disposition.Action
	}
	for _, w := range rep.Warnings {
		report.Warnings = append(report.Warnings, w.Code+": "+w.Warning)
	}
	out, err := json.Marshal(report)
	return fraud.Result{Module: Name, Score: rep.RiskScore, Raw: out}, err
}

// replyError reads minFraud's error: the body is JSON only if the Content-Type says so.
func replyError(resp *http.Response, raw []byte) error {
	var e apiError
	if isJSON(resp.Header.Get("Content-Type")) && json.Unmarshal(raw, &e) == nil && e.Code != "" {
		err := fmt.Errorf("minfraud %s: %s", e.Code, e.Error)
		switch {
		case resp.StatusCode == http.StatusUnauthorized, e.Code == "INSUFFICIENT_FUNDS", e.Code == "PERMISSION_REQUIRED":
			return permanent.Wrap(err) // the account needs a person
		case resp.StatusCode >= 400 && resp.StatusCode < 500:
			return permanent.Wrap(err) // hostflow sent something minFraud will never take
		}
		return err
	}
	if resp.StatusCode >= 500 {
		return fmt.Errorf("minfraud: HTTP %d", resp.StatusCode)
	}
	return permanent.Wrap(fmt.Errorf("minfraud: unexpected HTTP %d", resp.StatusCode))
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasPrefix(mt, "application/vnd.maxmind.com-") && strings.HasSuffix(mt, "+json"))
}

var region = regexp.MustCompile(`^[0-9A-Z]{1,4}$`)

// request builds the minFraud body from an order, leaving out what minFraud would reject.
func request(r fraud.Request) map[string]any {
	body := map[string]any{
		"event":   map[string]any{"transaction_id": strconv.FormatInt(r.OrderID, 10), "type": "purchase"},
		"account": map[string]any{"user_id": strconv.FormatInt(r.ClientID, 10)},
	}
	// minFraud refuses private and reserved addresses; an order from one is scored without it.
	if ip, err := netip.ParseAddr(r.ClientIP); err == nil && ip.IsGlobalUnicast() && !ip.IsPrivate() {
		body["device"] = map[string]any{"ip_address": ip.String()}
	}
	if email := strings.ToLower(strings.TrimSpace(r.Email)); email != "" {
		// The address goes as its MD5, as MaxMind recommends; the domain in clear.
		sum := md5.Sum([]byte(email))
		e := map[string]any{"address": hex.EncodeToString(sum[:])}
		if _, domain, ok := strings.Cut(email, "@"); ok {
			e["domain"] = domain
		}
		body["email"] = e
	}
	billing := map[string]any{}
	for k, v := range map[string]string{"first_name": r.FirstName, "last_name": r.LastName, "company": r.Company,
		"address": r.Address, "city": r.City, "postal": r.Postcode, "phone_number": r.Phone} {
		if v != "" {
			billing[k] = v
		}
	}
	if c := strings.ToUpper(r.Country); len(c) == 2 {
		billing["country"] = c
	}
	if s := strings.ToUpper(r.State); region.MatchString(s) {
		billing["region"] = s
	}
	if len(billing) > 0 {
		body["billing"] = billing
	}
	if amount, err := strconv.ParseFloat(r.Amount, 64); err == nil && amount > 0 && len(r.Currency) == 3 {
		body["order"] = map[string]any{"amount": amount, "currency": r.Currency}
	}
	return body
}
