package service

import (
	"context"

	"github.com/hostflow/hostflow/fault"
)

// PayNow is a TEMPORARY stand-in for the client area's Pay Now, which the lead is writing in
// parallel (a Stripe Checkout Session for the client's own unpaid invoice): the storefront's
// handler is written against this signature. Replace this file with the real call.
func (s *Service) PayNow(ctx context.Context, clientID, invoiceID int64) (redirectURL string, err error) {
	return "", &fault.Error{Kind: fault.Unavailable, Field: "payment", Message: "online payment not available yet"}
}
