package clients

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// Close Client, as WHMCS's CloseClient: the client is Closed (they cannot sign in, and no order
// can be placed for them) and what they hold is cancelled. hostflow cancels each of their
// Pending orders through the order's own workflow (the Cancel Order action), which terminates
// the order's accounts on their panels, cancels its items and domains and its unpaid invoice:
// no panel or registrar is called from the request itself. An Active order is one Cancel Order
// refuses (WHMCS's "Status not Pending"): it is left as it is, and named, for the admin to
// terminate its services from their Module Commands.

// Closed is the status of a closed client.
const Closed = "Closed"

// OrderCanceller cancels an order through its workflow (package ordering's Act with
// order.ActionCancel). It answers the words of each step that failed (an account whose
// terminate the panel refused: the order is Cancelled, the account waits for Retry).
// requestID, when given, makes a retried request the same cancel.
type OrderCanceller interface {
	CancelOrder(ctx context.Context, orderID int64, actor order.Actor, requestID string) (failed []string, err error)
}

// WithOrders gives s what Close Client cancels orders with, and returns it.
func (s *Clients) WithOrders(o OrderCanceller) *Clients {
	s.orders = o
	return s
}

// ClientOrder is one of a client's orders as Close Client sees it: what it holds that is live.
type ClientOrder struct {
	OrderID int64
	Number  int64
	Status  order.Status
	// LiveServices counts its Active or Suspended services (an account on a panel);
	// LiveDomains its domains registered or pending at a registrar.
	LiveServices  int
	LiveDomains   int
	InvoiceStatus string
	// Error says why its cancel failed, or which of its steps did.
	Error string
}

// Closing is what Close Client does to a client, or did.
type Closing struct {
	Client Client
	// Cancel are the Pending orders cancelled through their workflows (ClosePlan: to be).
	Cancel []ClientOrder
	// Failed are those whose cancel was refused or did not complete, or whose workflow could not
	// terminate an account (the order is Cancelled, the account waits for Retry); with Error.
	Failed []ClientOrder
	// Left are the Active orders, which Close Client leaves as they are: their services and
	// domains are the admin's to terminate or cancel.
	Left []ClientOrder
}

// ClosePlan says what CloseClient would do to the client now, for the admin to read before
// asking for it. Nothing is changed.
func (s *Clients) ClosePlan(ctx context.Context, clientID int64) (Closing, error) {
	c, err := s.q().GetClient(ctx, clientID)
	if err != nil {
		return Closing{}, fault.Wrap(fault.OrAbsent(err, "Client Not Found"), "read client %d", clientID)
	}
	out := Closing{Client: clientFrom(c)}
	if out.Cancel, err = s.clientOrders(ctx, clientID, order.Pending); err == nil {
		out.Left, err = s.clientOrders(ctx, clientID, order.Active)
	}
	return out, err
}

func (s *Clients) clientOrders(ctx context.Context, clientID int64, status order.Status) ([]ClientOrder, error) {
	rows, err := s.q().ClientOpenOrders(ctx, db.ClientOpenOrdersParams{ClientID: clientID, Status: status})
	return dbtx.Views(rows, func(r db.ClientOpenOrdersRow) ClientOrder {
		return ClientOrder{OrderID: r.ID, Number: r.OrderNumber, Status: r.Status, LiveServices: int(r.LiveServices),
			LiveDomains: int(r.LiveDomains), InvoiceStatus: r.InvoiceStatus}
	}), fault.Wrap(err, "list the %s orders of client %d", status, clientID)
}

// closeParallel bounds how many orders Close Client cancels at once: each waits for its
// workflow, which may be terminating accounts.
const closeParallel = 4

// CloseClient closes the client as actor: the client is Closed first, with a line on their Log,
// in one transaction, so that no order placed from then on is theirs; then each of their
// Pending orders is cancelled through its workflow. Closing a Closed client again cancels what
// is Pending still (a retry after a failure) and writes no second Log line. requestID, when
// given (the console form's, an Idempotency-Key), makes a retried request the same cancels.
func (s *Clients) CloseClient(ctx context.Context, clientID int64, actor order.Actor, requestID string) (Closing, error) {
	if s.orders == nil {
		return Closing{}, fmt.Errorf("close client %d: no order canceller configured", clientID)
	}
	var row db.Client
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		c, err := q.LockClient(ctx, clientID)
		if err != nil {
			return fault.OrAbsent(err, "Client Not Found")
		}
		if row = c; c.Status == Closed {
			return nil
		}
		if row, err = q.SetClientStatus(ctx, db.SetClientStatusParams{ID: clientID, Status: Closed}); err != nil {
			return err
		}
		// The client's sessions end at their next request: a Closed client's session is not
		// found (accounts.go), so none is deleted here.
		return logChange(ctx, q, clientID, actor, LogClosed, fmt.Sprintf("Status %s → %s", c.Status, Closed))
	})
	if err != nil {
		return Closing{}, fault.Wrap(err, "close client %d", clientID)
	}
	out := Closing{Client: clientFrom(row)}
	pending, err := s.clientOrders(ctx, clientID, order.Pending)
	if err != nil {
		return out, err
	}
	results := make([]ClientOrder, len(pending))
	slots := make(chan struct{}, closeParallel)
	var wg sync.WaitGroup
	for i, o := range pending {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			key := ""
			if requestID != "" {
				key = fmt.Sprintf("%s-close-%d", requestID, o.OrderID)
			}
			failed, err := s.orders.CancelOrder(ctx, o.OrderID, actor, key)
			switch {
			case err != nil:
				o.Error = err.Error()
			case len(failed) > 0:
				o.Error = strings.Join(failed, "; ")
			}
			results[i] = o
		}()
	}
	wg.Wait()
	for _, o := range results {
		if o.Error == "" {
			out.Cancel = append(out.Cancel, o)
		} else {
			out.Failed = append(out.Failed, o)
		}
	}
	out.Left, err = s.clientOrders(ctx, clientID, order.Active)
	return out, err
}
