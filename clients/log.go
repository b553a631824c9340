package clients

import (
	"context"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// The client's Log (WHMCS's client Log tab): what was done to the client itself, kept in
// client_log and written in the transaction of the change, and what was done to their orders,
// their orders' audit trails (order_events), read together newest first.

// What the client's own log records.
const (
	LogDetailsEdited = "client-edit"
	LogClosed        = "client-close"
	LogNoteAdded     = "note-add"
	LogNoteEdited    = "note-edit"
	LogNoteDeleted   = "note-delete"
)

// LogEntry is a line of the client's Log.
type LogEntry struct {
	Date time.Time
	// OrderID and OrderNumber name the order of a line of its audit trail; 0 for the client's own.
	OrderID     int64
	OrderNumber int64
	Actor       order.Actor
	// Action is the stored name (an order action, a workflow step, or a Log* above); the
	// console puts it in words.
	Action     string
	FromStatus string
	ToStatus   string
	Detail     string
}

// ClientLog reads a page of the client's Log, newest first, and whether an older page follows.
// An unknown client is NotFound.
func (s *Clients) ClientLog(ctx context.Context, clientID int64, p dbtx.Page) ([]LogEntry, bool, error) {
	q := s.q()
	if _, err := q.GetClient(ctx, clientID); err != nil {
		return nil, false, fault.Wrap(fault.OrAbsent(err, "Client Not Found"), "read client %d", clientID)
	}
	lim, off := p.Query()
	rows, err := q.ClientActivity(ctx, db.ClientActivityParams{ClientID: clientID, Lim: lim, Off: off})
	if err != nil {
		return nil, false, fault.Wrap(err, "read the log of client %d", clientID)
	}
	rows, more := dbtx.Cut(p, rows)
	return dbtx.Views(rows, func(r db.ClientActivityRow) LogEntry {
		return LogEntry{Date: r.CreatedAt.Time, OrderID: r.OrderID, OrderNumber: r.OrderNumber, Actor: order.Actor(r.Actor),
			Action: r.Action, FromStatus: r.FromStatus, ToStatus: r.ToStatus, Detail: r.Detail}
	}), more, nil
}

// logChange writes a line of the client's own log, in the caller's transaction, so that a
// change and its line are written together or not at all.
func logChange(ctx context.Context, q *db.Queries, clientID int64, actor order.Actor, action, detail string) error {
	return q.AddClientLog(ctx, db.AddClientLogParams{ClientID: clientID, Actor: string(actor.OrOperator()), Action: action, Detail: detail})
}
