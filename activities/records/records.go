// Package records is what an order's workflow writes and reads in PostgreSQL, the system of
// record: the order's first write, its transitions, items, audit trail and invoice, each an
// activity run in one transaction. Package activities embeds it, so the worker registers
// these with the calls to the outside world.
package records

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/secrets"
)

// Created is what CreateOrder wrote: the ids the workflow refers to from then on.
type Created struct {
	InvoiceID   int64   `json:"invoice_id"`
	InvoicePaid bool    `json:"invoice_paid"`
	ServiceIDs  []int64 `json:"service_ids"`
	DomainIDs   []int64 `json:"domain_ids"`
	OrderNumber int64   `json:"order_number"`
	// CancelUnpaidAfterDays is the unpaid-cancel setting as the write found it, under the lock
	// a change of it takes: the workflow's input may predate a change made meanwhile.
	CancelUnpaidAfterDays int `json:"cancel_unpaid_after_days,omitempty"`
}

// CreateOrder writes an order, its items and its invoice in one transaction. Run again for the
// same order id it writes nothing and returns what the first run wrote.
func (r *Records) CreateOrder(ctx context.Context, o order.NewOrder) (Created, error) {
	for attempt := 1; ; attempt++ {
		var days int
		err := r.inTx(ctx, func(q *db.Queries) error {
			if err := q.LockOrderWrite(ctx, o.ID); err != nil {
				return fault.Wrap(err, "lock order %d", o.ID)
			}
			var err error
			if days, err = unpaidDays(ctx, q); err != nil {
				return err
			}
			_, err = q.InsertOrder(ctx, db.InsertOrderParams{
				ID: o.ID, OrderNumber: o.Number, ClientID: o.ClientID, PaymentMethod: o.PaymentMethod,
				Currency: o.Currency, Amount: o.Amount, ClientIp: o.ClientIP, PromoCode: o.PromoCode, Notes: o.Notes,
				WorkflowID: cmp.Or(o.WorkflowID, fmt.Sprintf("order-%d", o.ID)), // the id before installations had one
				WaitingFor: o.WaitingFor, FraudRule: o.FraudRule,
			})
			if errors.Is(err, pgx.ErrNoRows) {
				return nil // written by an earlier attempt
			}
			if err != nil {
				return fault.Wrap(err, "insert order %d", o.ID)
			}
			if o.AffiliateID != 0 {
				if err := q.SetOrderAffiliate(ctx, db.SetOrderAffiliateParams{ID: o.ID, AffiliateID: o.AffiliateID}); err != nil {
					return fault.Wrap(err, "set the affiliate of order %d", o.ID)
				}
			}
			return r.insertItems(ctx, q, o)
		})
		var pgErr *pgconn.PgError
		switch {
		case err == nil:
			c, err := r.loadCreated(ctx, o.ID)
			c.CancelUnpaidAfterDays = days
			return c, err
		case errors.As(err, &pgErr) && pgErr.ConstraintName == "orders_order_number_key" && attempt < 3:
			// The random 10-digit number collided: draw another. Nothing has shown the number
			// to anyone yet, and the caller reads the final one from the result.
			o.Number = order.RandomNumber()
		default:
			// inTx made what retrying cannot fix permanent: a client or product that vanished
			// since the API checked (a foreign key), a domain another order holds.
			return Created{}, err
		}
	}
}

func (r *Records) insertItems(ctx context.Context, q *db.Queries, o order.NewOrder) error {
	paid := o.PaidAtOnce()
	status := order.InvoiceUnpaid
	if paid {
		status = order.InvoicePaid // nothing to pay: paid at once
	}
	inv := db.InsertInvoiceParams{
		OrderID: o.ID, ClientID: o.ClientID, Status: status, Currency: o.Currency, Total: o.Total(), Paid: paid, Subtotal: o.Subtotal(),
	}
	if t := o.Tax; t != nil { // as pricing worked it out: the invoice keeps its rates and names
		inv.Tax, inv.Tax2 = t.Tax1, t.Tax2
		inv.TaxRateThousandths, inv.TaxRate2Thousandths = t.Rate1, t.Rate2
		inv.TaxName, inv.TaxName2 = t.Name1, t.Name2
		inv.ReverseCharge = t.ReverseCharge
	}
	invoiceID, err := q.InsertInvoice(ctx, inv)
	if err != nil {
		return fault.Wrap(err, "insert invoice of order %d", o.ID)
	}
	for i, s := range o.Services {
		switch left, err := q.TakeStock(ctx, s.ProductID); {
		case errors.Is(err, pgx.ErrNoRows): // its stock is not counted
		case err != nil:
			return fault.Wrap(err, "take the stock of product %d", s.ProductID)
		case left != nil && *left < 0:
			// Sold out since pricing checked: refused for good, and nothing of the order written.
			return permanent.Wrap(fault.Invalidf(fmt.Sprintf("items[%d].product_id", i), "%s is out of stock", s.ProductName))
		}
		id, err := q.InsertService(ctx, db.InsertServiceParams{
			OrderID: o.ID, Position: int32(i), ProductID: s.ProductID, Domain: s.Domain,
			BillingCycle: s.BillingCycle, SetupFee: s.SetupFee, Amount: s.Amount,
		})
		if err != nil {
			return fault.Wrap(err, "insert service %d of order %d", i, o.ID)
		}
		desc := s.ProductName
		if s.Domain != "" {
			desc += " - " + s.Domain
		}
		if err := q.InsertInvoiceItem(ctx, db.InsertInvoiceItemParams{InvoiceID: invoiceID, Type: string(order.LineHosting), RelID: id,
			Description: fmt.Sprintf("%s (%s)", desc, s.BillingCycle), Amount: s.Amount, Taxed: s.Taxed}); err != nil {
			return fault.Wrap(err, "insert invoice item")
		}
		if s.SetupFee > 0 {
			if err := q.InsertInvoiceItem(ctx, db.InsertInvoiceItemParams{InvoiceID: invoiceID, Type: string(order.LineSetup), RelID: id,
				Description: desc + " setup fee", Amount: s.SetupFee, Taxed: s.Taxed}); err != nil {
				return fault.Wrap(err, "insert invoice item")
			}
		}
		if err := r.keepServerFields(ctx, q, id, o.ClientID, i, s); err != nil {
			return err
		}
	}
	if err := holdDomains(ctx, q, o.Domains); err != nil {
		return err
	}
	for i, d := range o.Domains {
		id, err := q.InsertDomain(ctx, db.InsertDomainParams{
			OrderID: o.ID, Position: int32(i), Domain: d.Domain, Type: d.Type, Period: int32(d.Period),
			Nameservers: emptyIfNil(d.Nameservers), Registrar: d.AutoRegistrar, Amount: d.Amount,
		})
		if err != nil {
			return fault.Wrap(err, "insert domain %d of order %d", i, o.ID)
		}
		if err := r.keepEPPCode(ctx, q, id, d); err != nil {
			return err
		}
		if d.DNSManagement || d.EmailForwarding || d.IDProtection {
			if err := q.SetDomainAddons(ctx, db.SetDomainAddonsParams{ID: id, DnsManagement: d.DNSManagement,
				EmailForwarding: d.EmailForwarding, IDProtection: d.IDProtection}); err != nil {
				return fault.Wrap(err, "save the addons of domain %d", id)
			}
		}
		kind := order.LineDomainRegister
		if d.Type == order.DomainTransfer {
			kind = order.LineDomainTransfer
		}
		if err := q.InsertInvoiceItem(ctx, db.InsertInvoiceItemParams{InvoiceID: invoiceID, Type: string(kind), RelID: id,
			Description: fmt.Sprintf("Domain %s - %s - %d Year/s", d.Type.Label(), d.Domain, d.Period), Amount: d.Amount, Taxed: d.Taxed}); err != nil {
			return fault.Wrap(err, "insert invoice item")
		}
	}
	if err := usePromotion(ctx, q, invoiceID, o.Discount); err != nil {
		return err
	}
	return q.InsertEvent(ctx, db.InsertEventParams{OrderID: o.ID, Key: "placed", Actor: o.Actor, Action: "placed",
		ToStatus: string(order.Pending), Detail: fmt.Sprintf("order #%d, invoice %d", o.Number, invoiceID)})
}

// usePromotion writes an order's discount as its invoice line and counts the code's use, in
// the transaction that writes the order: a retried write inserts no order and so counts
// nothing again. A code used up since pricing refuses the order rather than place it at a
// price nobody quoted.
func usePromotion(ctx context.Context, q *db.Queries, invoiceID int64, d *order.Discount) error {
	if d == nil {
		return nil
	}
	if _, err := q.UsePromotion(ctx, d.PromotionID); errors.Is(err, pgx.ErrNoRows) {
		return permanent.Wrap(fmt.Errorf("%s", order.ReasonPromoUsedUp)) // WHMCS's words, as the API answers them
	} else if err != nil {
		return fault.Wrap(err, "count the use of promotion %d", d.PromotionID)
	}
	return fault.Wrap(q.InsertInvoiceItem(ctx, db.InsertInvoiceItemParams{InvoiceID: invoiceID, Type: string(order.LinePromotion), RelID: d.PromotionID,
		Description: d.Description, Amount: -d.Amount, Taxed: d.Taxed}), "insert the discount line")
}

// keepServerFields stores a new service's server fields; its root password, sealed at pricing
// for the order's client and the service's position, is bound to the service's row.
func (r *Records) keepServerFields(ctx context.Context, q *db.Queries, id, clientID int64, position int, s order.NewService) error {
	if s.Hostname == "" && s.RootPasswordSealed == nil && s.NS1Prefix == "" && s.NS2Prefix == "" {
		return nil
	}
	var root []byte
	if s.RootPasswordSealed != nil {
		var err error
		root, _, err = r.Secrets.Rebind(s.RootPasswordSealed, secrets.NewServiceRootPassword(clientID, position), secrets.ServiceRootPassword(id))
		if err != nil {
			return permanent.Wrap(fmt.Errorf("the root password of service %d could not be opened: %w", position, err))
		}
	}
	return fault.Wrap(q.SetServiceServerFields(ctx, db.SetServiceServerFieldsParams{ID: id, Hostname: s.Hostname, RootPassword: root,
		Ns1Prefix: s.NS1Prefix, Ns2Prefix: s.NS2Prefix}), "save the server fields of service %d", id)
}

// keepEPPCode stores a new domain's EPP code, sealed at pricing for the domain's name, bound
// to the domain's row.
func (r *Records) keepEPPCode(ctx context.Context, q *db.Queries, id int64, d order.NewDomain) error {
	if d.EPPCodeSealed == nil {
		return nil
	}
	epp, _, err := r.Secrets.Rebind(d.EPPCodeSealed, secrets.NewDomainEPPCode(d.Domain), secrets.DomainEPPCode(id))
	if err != nil {
		return permanent.Wrap(fmt.Errorf("the EPP code of %s could not be opened: %w", d.Domain, err))
	}
	return fault.Wrap(q.SetDomainEPPCode(ctx, db.SetDomainEPPCodeParams{ID: id, EppCode: epp}), "save the EPP code of domain %d", id)
}

// holdDomains makes sure no other order holds a domain this order registers or transfers.
// Placements of one name wait for each other (names locked in order, so that two orders never
// wait on each other), so two clients can never both get it.
func holdDomains(ctx context.Context, q *db.Queries, domains []order.NewDomain) error {
	names := make([]string, len(domains))
	for i, d := range domains {
		names[i] = d.Domain
	}
	slices.Sort(names)
	for _, name := range slices.Compact(names) {
		if err := q.LockDomainName(ctx, name); err != nil {
			return fault.Wrap(err, "lock domain %s", name)
		}
		held, err := q.DomainHeld(ctx, name)
		if err != nil {
			return fault.Wrap(err, "look up domain %s", name)
		}
		if held {
			return permanent.Wrap(fmt.Errorf("%s is already ordered in another order", name))
		}
	}
	return nil
}

func (r *Records) loadCreated(ctx context.Context, orderID int64) (Created, error) {
	q := r.q()
	o, err := q.GetOrder(ctx, orderID)
	if err != nil {
		return Created{}, fault.Wrap(err, "load order %d", orderID)
	}
	services, err := q.ListServices(ctx, orderID)
	if err != nil {
		return Created{}, fault.Wrap(err, "load services of order %d", orderID)
	}
	domains, err := q.ListDomains(ctx, orderID)
	if err != nil {
		return Created{}, fault.Wrap(err, "load domains of order %d", orderID)
	}
	c := Created{InvoiceID: o.InvoiceID, InvoicePaid: order.InvoiceStatus(o.PaymentStatus) == order.InvoicePaid, OrderNumber: o.OrderNumber,
		ServiceIDs: make([]int64, len(services)), DomainIDs: make([]int64, len(domains))}
	for i, s := range services {
		c.ServiceIDs[i] = s.ID
	}
	for i, d := range domains {
		c.DomainIDs[i] = d.ID
	}
	return c, nil
}

func emptyIfNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Event is one line of an order's audit trail. Key makes a retried write a no-op.
type Event struct {
	OrderID int64       `json:"order_id"`
	Key     string      `json:"key"`
	Actor   order.Actor `json:"actor"`
	Action  string      `json:"action"`
	From    string      `json:"from,omitempty"`
	To      string      `json:"to,omitempty"`
	Detail  string      `json:"detail,omitempty"`
	// Waiting, when set, is written as what the order waits for, with the event.
	Waiting *order.WaitingFor `json:"waiting,omitempty"`
}

// InsertEvent writes an audit line, and what the order waits for when the event carries it.
func InsertEvent(ctx context.Context, q *db.Queries, e Event) error {
	if e.Waiting != nil {
		if err := q.SetWaitingFor(ctx, db.SetWaitingForParams{ID: e.OrderID, WaitingFor: *e.Waiting}); err != nil {
			return fault.Wrap(err, "record waiting of order %d", e.OrderID)
		}
	}
	return fault.Wrap(q.InsertEvent(ctx, db.InsertEventParams{OrderID: e.OrderID, Key: e.Key, Actor: e.Actor,
		Action: e.Action, FromStatus: e.From, ToStatus: e.To, Detail: e.Detail}), "record event %s of order %d", e.Key, e.OrderID)
}

// Stamped is a write that may carry what its order waits for once the step is done (Event's
// Waiting), so that the workflow writes it with the step and not on its own after.
type Stamped interface{ Stamp() *order.WaitingFor }

// Stamp is what the event's write records the order as waiting for; nil leaves it.
func (e Event) Stamp() *order.WaitingFor { return e.Waiting }

// Transition is an order status change with what goes with it: every item to ItemStatus (but
// Keep), the invoice from InvoiceFrom to InvoiceTo. With Settle, the invoice is instead decided
// from the ledger under its lock, as the order is closed (InvoiceTo Cancelled) or reopened
// (InvoiceTo Unpaid): see order.InvoiceOnClose and order.InvoiceOnReopen.
type Transition struct {
	Event
	// Items are changes to single items that go with the transition, written first (Accept's
	// items set up by hand).
	Items       ItemChanges         `json:"items,omitempty"`
	ItemStatus  order.Status        `json:"item_status,omitempty"`
	KeepItems   []int64             `json:"keep_items,omitempty"` // service ids whose status must not change
	InvoiceFrom order.InvoiceStatus `json:"invoice_from,omitempty"`
	InvoiceTo   order.InvoiceStatus `json:"invoice_to,omitempty"`
	Settle      bool                `json:"settle,omitempty"`
}

// Settled is what a transition left of the order's invoice.
type Settled struct {
	Status order.InvoiceStatus `json:"status,omitempty"` // "" when the transition did not touch the invoice
	Paid   int64               `json:"paid,omitempty"`   // with Settle: what the ledger holds, refunds taken off
	// CancelUnpaidAfterDays is the unpaid-cancel setting, read as a reopened order starts to
	// wait for its payment again.
	CancelUnpaidAfterDays int `json:"cancel_unpaid_after_days,omitempty"`
}

// RecordTransition writes an order's status change, its items' and its invoice's, and the
// event, in one transaction, and answers with what it left of the invoice.
func (r *Records) RecordTransition(ctx context.Context, t Transition) (Settled, error) {
	var res Settled
	err := r.inTx(ctx, func(q *db.Queries) error {
		if err := writeItems(ctx, q, t.Items); err != nil {
			return err
		}
		if err := q.SetOrderStatus(ctx, db.SetOrderStatusParams{ID: t.OrderID, Status: order.Status(t.To)}); err != nil {
			return fault.Wrap(err, "set order %d %s", t.OrderID, t.To)
		}
		if t.ItemStatus != "" {
			if err := q.SetServicesStatus(ctx, db.SetServicesStatusParams{OrderID: t.OrderID, Status: t.ItemStatus, Keep: emptyIDs(t.KeepItems)}); err != nil {
				return fault.Wrap(err, "set services of order %d %s", t.OrderID, t.ItemStatus)
			}
			if err := q.SetDomainsStatus(ctx, db.SetDomainsStatusParams{OrderID: t.OrderID, Status: t.ItemStatus}); err != nil {
				return fault.Wrap(err, "set domains of order %d %s", t.OrderID, t.ItemStatus)
			}
		}
		var err error
		switch {
		case t.Settle:
			res, err = settleInvoice(ctx, q, t)
		case t.InvoiceTo != "":
			res.Status = t.InvoiceTo
			err = q.SetInvoiceStatus(ctx, db.SetInvoiceStatusParams{OrderID: t.OrderID, OldStatus: t.InvoiceFrom, NewStatus: t.InvoiceTo})
		}
		if err != nil {
			return fault.Wrap(err, "set invoice of order %d", t.OrderID)
		}
		return InsertEvent(ctx, q, t.Event)
	})
	return res, err
}

// settleInvoice decides an order's invoice from its ledger: the invoice is locked first, so a
// payment being recorded waits for this, or this for it. A reopened order also reads the
// unpaid-cancel setting, as its wait for payment starts again.
func settleInvoice(ctx context.Context, q *db.Queries, t Transition) (Settled, error) {
	inv, paid, err := lockInvoice(ctx, q, t.OrderID)
	if err != nil {
		return Settled{}, err
	}
	res := Settled{Paid: paid}
	if t.InvoiceTo == order.InvoiceCancelled {
		res.Status = order.InvoiceOnClose(inv.Status, res.Paid, inv.Total)
	} else {
		res.Status = order.InvoiceOnReopen(inv.Status, res.Paid, inv.Total)
		if res.CancelUnpaidAfterDays, err = unpaidDays(ctx, q); err != nil {
			return Settled{}, err
		}
	}
	if res.Status != inv.Status {
		err = q.SetInvoiceStatusByID(ctx, db.SetInvoiceStatusByIDParams{ID: inv.ID, NewStatus: res.Status})
	}
	return res, err
}

// lockInvoice locks an order's invoice, so that no payment is recorded on it until the caller's
// transaction ends, and answers it with what its ledger holds, refunds taken off.
func lockInvoice(ctx context.Context, q *db.Queries, orderID int64) (db.Invoice, int64, error) {
	inv, err := q.LockOrderInvoice(ctx, orderID)
	if err != nil {
		return inv, 0, err
	}
	paid, err := q.InvoicePaidAmount(ctx, &inv.ID)
	return inv, paid, fault.Wrap(err, "sum the payments of invoice %d", inv.ID)
}

// Invoice is where an order's invoice stands in PostgreSQL.
type Invoice struct {
	Status order.InvoiceStatus `json:"status"`
	Paid   int64               `json:"paid"` // what the ledger holds, refunds taken off
	Total  int64               `json:"total"`
}

// ReadInvoice reads an order's invoice: what the workflow believes of a payment is what
// PostgreSQL says, not what a signal claims.
func (r *Records) ReadInvoice(ctx context.Context, orderID int64) (Invoice, error) {
	inv, err := r.q().OrderInvoice(ctx, orderID)
	return Invoice{Status: inv.Status, Paid: inv.Paid, Total: inv.Total}, fault.Wrap(err, "read the invoice of order %d", orderID)
}

func emptyIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// ItemChange is a change to one service or domain: its status and its last module error.
type ItemChange struct {
	Event
	ServiceID int64        `json:"service_id,omitempty"`
	DomainID  int64        `json:"domain_id,omitempty"`
	Status    order.Status `json:"status"`
	Registrar string       `json:"registrar,omitempty"`
	Error     string       `json:"error,omitempty"`
}

// ItemChanges are the changes a step made to its items, written in one transaction.
type ItemChanges []ItemChange

// Stamp is what the last change's write records the order as waiting for.
func (cs ItemChanges) Stamp() *order.WaitingFor {
	if len(cs) == 0 {
		return nil
	}
	return cs[len(cs)-1].Stamp()
}

// RecordItems writes each item's status and error, and its event.
func (r *Records) RecordItems(ctx context.Context, cs ItemChanges) error {
	return r.inTx(ctx, func(q *db.Queries) error { return writeItems(ctx, q, cs) })
}

func writeItems(ctx context.Context, q *db.Queries, cs ItemChanges) error {
	for _, c := range cs {
		var err error
		if c.ServiceID != 0 {
			err = q.SetServiceStatus(ctx, db.SetServiceStatusParams{ID: c.ServiceID, Status: c.Status, LastError: c.Error})
		} else {
			err = q.SetDomainStatus(ctx, db.SetDomainStatusParams{ID: c.DomainID, Status: c.Status, Registrar: c.Registrar, LastError: c.Error})
		}
		if err != nil {
			return fault.Wrap(err, "record item of order %d", c.OrderID)
		}
		if err := InsertEvent(ctx, q, c.Event); err != nil {
			return err
		}
	}
	return nil
}

// RecordEvent writes one audit line.
func (r *Records) RecordEvent(ctx context.Context, e Event) error {
	return ActivityError(InsertEvent(ctx, r.q(), e))
}

// Waiting is what an order's workflow waits for now.
type Waiting struct {
	OrderID    int64            `json:"order_id"`
	WaitingFor order.WaitingFor `json:"waiting_for"`
}

// RecordWaiting writes what the order waits for, for lists and the order's detail.
func (r *Records) RecordWaiting(ctx context.Context, w Waiting) error {
	return ActivityError(fault.Wrap(r.q().SetWaitingFor(ctx, db.SetWaitingForParams{ID: w.OrderID, WaitingFor: w.WaitingFor}),
		"record waiting of order %d", w.OrderID))
}

// FraudRecord is a fraud check's result for an order.
type FraudRecord struct {
	Event
	Module string          `json:"module"`
	Score  float64         `json:"score"`
	Raw    json.RawMessage `json:"raw,omitempty"`
}

// RecordFraud writes a fraud check's result on the order.
func (r *Records) RecordFraud(ctx context.Context, f FraudRecord) error {
	return r.inTx(ctx, func(q *db.Queries) error {
		raw := []byte(f.Raw)
		if len(raw) == 0 {
			raw = nil
		}
		if err := q.SetFraudResult(ctx, db.SetFraudResultParams{ID: f.OrderID, FraudModule: f.Module, FraudScore: &f.Score, FraudOutput: raw}); err != nil {
			return fault.Wrap(err, "record fraud result of order %d", f.OrderID)
		}
		return InsertEvent(ctx, q, f.Event)
	})
}

// DeleteOrder removes an order with its services, domains and invoice; the audit trail and the
// payment ledger stay. It refuses while money sits on the invoice (payments not refunded),
// checked under the invoice's lock so that a payment being recorded cannot slip in between:
// the money would be left on no invoice, where nobody looks for it.
func (r *Records) DeleteOrder(ctx context.Context, e Event) error {
	return r.inTx(ctx, func(q *db.Queries) error {
		if _, err := checkNoMoney(ctx, q, e.OrderID); err != nil {
			return err
		}
		if err := InsertEvent(ctx, q, e); err != nil {
			return err
		}
		return fault.Wrap(q.DeleteOrder(ctx, e.OrderID), "delete order %d", e.OrderID)
	})
}

// checkNoMoney locks an order's invoice and refuses, for good, if its ledger holds money (a
// ledger below zero, more refunded than paid, holds none of the client's). It answers with the
// invoice's id, 0 if the order has none.
func checkNoMoney(ctx context.Context, q *db.Queries, orderID int64) (int64, error) {
	inv, paid, err := lockInvoice(ctx, q, orderID)
	if dbtx.IsNoRows(err) {
		return 0, nil // no invoice: nothing to keep
	}
	if err != nil {
		return 0, fault.Wrap(err, "lock the invoice of order %d", orderID)
	}
	if paid > 0 {
		return inv.ID, permanent.Wrap(fmt.Errorf("%s", order.ReasonMoneyOnInvoice)) // the words the admin reads
	}
	return inv.ID, nil
}

// DiscardOrder removes what an order's first write left when the workflow could not learn
// that it committed (its answer was lost, PostgreSQL stalled past the write's budget): the
// caller was told the order failed, so its rows must not stay to hold its domains and its
// promotion use, or to take payments nobody watches. It waits for a first write whose commit
// is still under way (the order's write lock), so that it sees what that write leaves. Its own
// audit line (e) stays, the discarded order's go: a retry of the placement writes the order
// afresh. It answers false, and keeps the order, if money is on its invoice already: the
// workflow then runs the order after all.
func (r *Records) DiscardOrder(ctx context.Context, e Event) (bool, error) {
	discarded := true
	err := r.inTx(ctx, func(q *db.Queries) error {
		if err := q.LockOrderWrite(ctx, e.OrderID); err != nil {
			return fault.Wrap(err, "lock order %d", e.OrderID)
		}
		invoiceID, err := checkNoMoney(ctx, q, e.OrderID)
		switch {
		case permanent.Is(err):
			discarded = false
			return nil
		case err != nil:
			return err
		case invoiceID == 0:
			return nil // never written
		}
		if err := q.UnusePromotions(ctx, invoiceID); err != nil {
			return fault.Wrap(err, "give back the promotion of order %d", e.OrderID)
		}
		if err := q.DeleteOrderEvents(ctx, e.OrderID); err != nil {
			return fault.Wrap(err, "remove the audit lines of order %d", e.OrderID)
		}
		if err := InsertEvent(ctx, q, e); err != nil {
			return err
		}
		return fault.Wrap(q.DeleteOrder(ctx, e.OrderID), "discard order %d", e.OrderID)
	})
	return discarded, err
}

// RenewalRecord is a renewal done: the domain's new expiry date and the audit line.
type RenewalRecord struct {
	Event
	DomainID int64     `json:"domain_id"`
	Expiry   time.Time `json:"expiry"`
}

// RecordRenewal writes a renewal's new expiry date (and next due date) with its audit line.
func (r *Records) RecordRenewal(ctx context.Context, rr RenewalRecord) error {
	return r.inTx(ctx, func(q *db.Queries) error {
		if err := q.SetDomainExpiry(ctx, db.SetDomainExpiryParams{ID: rr.DomainID,
			ExpiryDate: pgtype.Date{Time: rr.Expiry, Valid: !rr.Expiry.IsZero()}}); err != nil {
			return fault.Wrap(err, "record the expiry date of domain %d", rr.DomainID)
		}
		return InsertEvent(ctx, q, rr.Event)
	})
}
