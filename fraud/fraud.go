// Package fraud scores orders. A Checker asks a provider (MaxMind, FraudLabs Pro, ...); the
// threshold decides, the same way for every provider.
package fraud

import (
	"context"
	"encoding/json"
)

// DefaultThreshold is WHMCS's default MaxMind risk score threshold.
const DefaultThreshold = 20.0

// Request is what a provider gets to score an order.
type Request struct {
	OrderID   int64
	ClientID  int64
	ClientIP  string
	Email     string
	FirstName string
	LastName  string
	Company   string
	Address   string
	City      string
	State     string
	Postcode  string
	Country   string
	Phone     string
	Amount    string // decimal
	Currency  string
}

// Report is what hostflow keeps of a check, whatever the provider: the admin's "Fraud Check
// Results". A Checker puts it, as JSON, in Result.Raw.
type Report struct {
	ID          string          `json:"id,omitempty"` // the provider's id for the check
	RiskScore   float64         `json:"risk_score"`
	IPRisk      *float64        `json:"ip_risk,omitempty"`
	Disposition string          `json:"disposition,omitempty"`
	Warnings    []string        `json:"warnings,omitempty"`
	Response    json.RawMessage `json:"response,omitempty"` // the provider's whole answer
}

// Result is one provider's answer: a risk score from 0 to 100 and its whole raw response, kept
// for the admin's "Fraud Check Results".
type Result struct {
	Module string          `json:"module"`
	Score  float64         `json:"score"`
	Raw    json.RawMessage `json:"raw,omitempty"`
}

// Checker scores an order. Errors are retried and finally left to an admin's review; a
// Checker never decides on its own that an order is fraud.
type Checker interface {
	Check(ctx context.Context, r Request) (Result, error)
}

// Exceeds reports whether score is over threshold. A threshold of 0 turns the check off, as in
// WHMCS.
func Exceeds(score, threshold float64) bool {
	return threshold > 0 && score > threshold
}

// The fraud modules an admin chooses from (WHMCS's Fraud Protection module): MaxMind, which
// only an environment with its account can run, or none, which checks nothing.
const (
	ModuleMaxMind = "maxmind"
	ModuleNone    = "none"
)

// PassAll is the checker used when no provider is configured, or the admin chose none: every
// order scores 0.
type PassAll struct{}

// Check returns a zero score.
func (PassAll) Check(context.Context, Request) (Result, error) {
	return Result{Module: ModuleNone, Score: 0}, nil
}
