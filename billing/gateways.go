package billing

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/secrets"
)

// ApplyGatewayEvent applies a verified gateway callback exactly once: its event id and its
// transaction id are both unique, and the event is stored in the same transaction as the
// payment it carries, so a redelivery finds it and changes nothing. Money that matches no
// invoice (unknown or deleted, or in another currency) is kept in unmatched_payments, in the
// same transaction, and the callback is answered as received: the gateway stops resending,
// and an admin finds it (UnmatchedPayments).
func (s *Billing) ApplyGatewayEvent(ctx context.Context, ev gateway.Event) (PaymentResult, error) {
	if err := input.Check(ev); err != nil {
		return PaymentResult{}, err
	}
	var res PaymentResult
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) (err error) {
		res, err = s.applyGatewayEvent(ctx, q, ev)
		return err
	})
	if err != nil {
		return PaymentResult{}, fault.Wrap(err, "apply %s event %s", ev.Gateway, ev.ID)
	}
	s.outbox.Kick()
	return res, nil
}

func (s *Billing) applyGatewayEvent(ctx context.Context, q *db.Queries, ev gateway.Event) (PaymentResult, error) {
	e := entry{invoiceID: ev.InvoiceID, kind: ev.Kind, gateway: ev.Gateway, txnID: ev.TransactionID, parentID: ev.ParentID,
		amount: ev.Amount, currency: ev.Currency, actor: order.Gateway(ev.Gateway), captured: true}
	var unmatched string
	if e.invoiceID == 0 && e.parentID != "" {
		parent, err := q.GetTransaction(ctx, db.GetTransactionParams{Gateway: e.gateway, Type: gateway.Payment, TransactionID: e.parentID})
		switch {
		case dbtx.IsNoRows(err):
			unmatched = fmt.Sprintf("no %s payment %s to refund", e.gateway, e.parentID)
		case err != nil:
			return PaymentResult{}, err
		case parent.InvoiceID == nil:
			unmatched = fmt.Sprintf("the invoice of %s payment %s was deleted", e.gateway, e.parentID)
		default:
			e.invoiceID = *parent.InvoiceID
		}
	}
	var invoiceID *int64
	if e.invoiceID != 0 {
		invoiceID = &e.invoiceID
	}
	if _, err := q.InsertGatewayEvent(ctx, db.InsertGatewayEventParams{Gateway: ev.Gateway, EventID: ev.ID, Type: ev.Type,
		InvoiceID: invoiceID}); err != nil {
		if !dbtx.IsNoRows(err) {
			return PaymentResult{}, err
		}
		res := PaymentResult{InvoiceID: e.invoiceID, TransactionID: e.txnID, Duplicate: true}
		reason, err := q.UnmatchedReason(ctx, db.UnmatchedReasonParams{Gateway: ev.Gateway, Kind: ev.Kind, TransactionID: ev.TransactionID})
		if dbtx.IsNoRows(err) {
			return res, nil
		}
		res.Unmatched = reason
		return res, err
	}
	if unmatched == "" {
		// The invoice is locked before anything about its money is read: two refunds of one
		// payment, each reporting the total refunded so far, must not both see the old total.
		inv, err := q.LockInvoice(ctx, e.invoiceID)
		switch {
		case dbtx.IsNoRows(err):
			unmatched = fmt.Sprintf("no invoice %d", e.invoiceID)
		case err != nil:
			return PaymentResult{}, err
		case e.currency != "" && e.currency != inv.Currency:
			unmatched = fmt.Sprintf("in %s, but invoice %d is in %s", e.currency, inv.ID, inv.Currency)
		}
	}
	if unmatched != "" {
		return s.keepUnmatched(ctx, q, ev, unmatched)
	}
	if ev.CumulativeRefund {
		// The gateway reports the total refunded so far; what is new is the difference.
		// An older report arriving late (smaller total) has nothing new.
		before, err := q.RefundedAmount(ctx, db.RefundedAmountParams{Gateway: e.gateway, ParentID: e.parentID})
		if err != nil {
			return PaymentResult{}, err
		}
		// A refund hostflow sent and has not yet recorded is in the total too: it is recorded
		// by the step that sent it (RecordGatewayRefund), once.
		sending, err := q.PendingGatewayRefunds(ctx, db.PendingGatewayRefundsParams{Gateway: e.gateway, PaymentID: e.parentID})
		if err != nil {
			return PaymentResult{}, err
		}
		before += sending
		if e.amount -= before; e.amount <= 0 {
			return PaymentResult{InvoiceID: e.invoiceID, TransactionID: e.txnID, Duplicate: true}, nil
		}
	}
	return s.apply(ctx, q, e)
}

var gatewayName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// ValidGatewayName reports whether name can name a gateway in a URL and an environment variable.
func ValidGatewayName(name string) bool { return gatewayName.MatchString(name) }

// GatewaySecret returns the webhook signing secret of a gateway: from the environment
// (the environment's, given to New) if set there, else as an admin stored it.
func (s *Billing) GatewaySecret(ctx context.Context, name string) ([]byte, error) {
	if v := s.gatewaySecrets[name]; v != "" {
		return []byte(v), nil
	}
	sealed, err := s.q().GetGatewaySecret(ctx, name)
	if err != nil {
		return nil, fault.OrAbsent(err, fmt.Sprintf("gateway %q has no webhook secret", name))
	}
	secret, err := s.secrets.OpenFor(sealed, secrets.GatewaySecret(name))
	return []byte(secret), fault.Wrap(err, "open gateway secret %s", name)
}

// Gateway is a configured gateway; its secret is never shown. DisplayName and Enabled are its
// payment method's (Method).
type Gateway struct {
	Name        string     `json:"name"`
	DisplayName string     `json:"display_name"`
	Enabled     bool       `json:"enabled"`
	Source      string     `json:"source"` // environment or api
	UpdatedAt   *time.Time `json:"updated_at,omitempty"`
}

// SetGatewaySecret stores a gateway's webhook secret, sealed. A secret the environment sets
// cannot be overridden here: the two would disagree after the next restart.
func (s *Billing) SetGatewaySecret(ctx context.Context, name, secret string) error {
	if !ValidGatewayName(name) {
		return fault.Invalidf("name", "must be lower-case letters, digits and _, starting with a letter, at most 32")
	}
	if len(secret) < 16 {
		return fault.Invalidf("secret", "must be at least 16 characters")
	}
	if s.gatewaySecrets[name] != "" {
		return &fault.Error{Kind: fault.Conflict, Field: "secret", Message: "this gateway's secret is set in the environment; change it there"}
	}
	err := s.q().PutGateway(ctx, db.PutGatewayParams{Name: name, Secret: s.secrets.SealFor(secret, secrets.GatewaySecret(name))})
	return fault.Wrap(err, "store gateway %s", name)
}

// Gateways lists the gateways that have a webhook secret, with their display names and
// whether they are offered.
func (s *Billing) Gateways(ctx context.Context) ([]Gateway, error) {
	out, err := s.gateways(ctx)
	if err != nil {
		return nil, err
	}
	set, err := s.methodSettings(ctx)
	if err != nil {
		return nil, err
	}
	for i, g := range out {
		out[i].DisplayName, out[i].Enabled = defaultMethodName(g.Name), true
		if r, ok := set[g.Name]; ok {
			out[i].Enabled = r.Enabled
			if r.DisplayName != "" {
				out[i].DisplayName = r.DisplayName
			}
		}
	}
	return out, nil
}

// gatewayNames are the names of the gateways, for Methods.
func (s *Billing) gatewayNames(ctx context.Context) ([]string, error) {
	gws, err := s.gateways(ctx)
	names := make([]string, len(gws))
	for i, g := range gws {
		names[i] = g.Name
	}
	return names, err
}

func (s *Billing) gateways(ctx context.Context) ([]Gateway, error) {
	rows, err := s.q().ListGateways(ctx)
	if err != nil {
		return nil, fault.Wrap(err, "list gateways")
	}
	out := []Gateway{}
	for name := range s.gatewaySecrets {
		out = append(out, Gateway{Name: name, Source: "environment"})
	}
	for _, r := range rows {
		if s.gatewaySecrets[r.Name] == "" {
			out = append(out, Gateway{Name: r.Name, Source: "api", UpdatedAt: &r.UpdatedAt.Time})
		}
	}
	slices.SortFunc(out, func(a, b Gateway) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}
