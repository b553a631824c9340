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
	ClientIP  string
	Email     string
	Country   string
	Postcode  string
	City      string
	Amount    string
	Currency  string
	FirstName string
	LastName  string
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

// PassAll is the checker used when no provider is configured: every order scores 0.
type PassAll struct{}

// Check returns a zero score.
func (PassAll) Check(context.Context, Request) (Result, error) {
	return Result{Module: "none", Score: 0}, nil
}
