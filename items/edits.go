package items

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/token"
)

// ServiceEdit is what may change of a service by hand (WHMCS's UpdateClientProduct). Nil
// keeps what is there. Status is the lifecycle: it goes through the order's workflow as the
// module command that makes it true; the rest are plain fields, written here with an audit line.
type ServiceEdit struct {
	Status        order.Status `json:"status"`
	SuspendReason string       `json:"suspend_reason" input:"text"`
	Domain        *string      `json:"domain"`
	Username      *string      `json:"username" input:"max=16"`
	Password      *string      `json:"password"`
	ServerID      *int64       `json:"server_id"`
	Notes         *string      `json:"notes" input:"text"`
	NextDueDate   *time.Time   `json:"next_due_date"`
	Actor         order.Actor  `json:"-"`
}

// ServiceStatuses are the statuses a service can have: its order's, and its own.
var ServiceStatuses = append(slices.Clone(order.Statuses), order.Suspended, order.Terminated)

// statusActions are the module commands that take a service to a status; Active comes from
// Pending by a create and from Suspended by an unsuspend.
var statusActions = map[order.Status]order.Action{
	order.Suspended:  order.ActionModuleSuspend,
	order.Terminated: order.ActionModuleTerminate,
}

// EditService applies a ServiceEdit. Everything that can refuse it is checked before anything
// changes: the service, its domain, its server, its username free on that server and its status
// change. Then the lifecycle change runs, and when the module refuses it nothing else is written.
// Only a username taken by a concurrent edit between the check and the write is refused after
// the lifecycle change has run.
func (s *Items) EditService(ctx context.Context, id int64, e ServiceEdit) error {
	if err := input.Check(e); err != nil {
		return err
	}
	// A plain read: the transaction that writes the fields locks the row and reads it again.
	cur, err := s.q().GetServiceForEdit(ctx, id)
	if err != nil {
		return fault.OrAbsent(err, "Service ID Not Found")
	}
	if e.Domain != nil && *e.Domain != "" {
		d, err := input.Domain(*e.Domain)
		if err != nil {
			return fault.Invalidf("domain", "%v", err)
		}
		e.Domain = &d
	}
	serverID, username := e.account(cur.ServerID, cur.Username)
	if serverID != nil && !equalID(serverID, cur.ServerID) {
		if err := s.catalog.CheckServerFor(ctx, []db.ListServicesRow{{Module: cur.Module, ProductName: cur.ProductName}}, "server_id",
			*serverID); err != nil {
			return err
		}
	}
	action, err := lifecycleAction(cur.Status, e.Status)
	if err != nil {
		return err
	}
	if e.SuspendReason != "" && action != order.ActionModuleSuspend {
		// The reason goes to the panel with the suspension; hostflow keeps it nowhere else.
		return fault.Invalidf("suspend_reason", "is given only with a change of status to %s", order.Suspended)
	}
	if !equalID(serverID, cur.ServerID) || username != cur.Username {
		if err := s.checkUsername(ctx, id, serverID, username); err != nil {
			return err
		}
	}
	if action != "" {
		req, err := s.ItemRequest(e.Actor, id, ItemOptions{Reason: e.SuspendReason})
		if err != nil {
			return err
		}
		if _, err := s.ActOnItem(ctx, action, id, req, ""); err != nil {
			return err
		}
	}
	return s.editServiceFields(ctx, id, e)
}

// account is the server and username a service has after e, from the ones it has now.
func (e ServiceEdit) account(serverID *int64, username string) (*int64, string) {
	if e.ServerID != nil {
		serverID = nil
		if *e.ServerID != 0 {
			serverID = e.ServerID
		}
	}
	if e.Username != nil {
		username = *e.Username
	}
	return serverID, username
}

// errDryRun rolls back a transaction that only asked whether its writes would be refused.
var errDryRun = errors.New("dry run")

// checkUsername refuses a username another service holds on the server, by claiming it in a
// transaction that is rolled back: the statement that takes the name decides, so the check and
// the edit's own claim cannot disagree.
func (s *Items) checkUsername(ctx context.Context, id int64, serverID *int64, username string) error {
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		if err := claimUsername(ctx, q, id, serverID, username); err != nil {
			return err
		}
		return errDryRun
	})
	if errors.Is(err, errDryRun) {
		return nil
	}
	return err
}

// lifecycleAction is the module command that takes a service from one status to another: ""
// for none needed. A status that follows the order (Pending, Cancelled, Fraud) is refused with
// the order command that sets it.
func lifecycleAction(from, to order.Status) (order.Action, error) {
	switch {
	case to == "" || to == from:
		return "", nil
	case to == order.Active && from == order.Suspended:
		return order.ActionModuleUnsuspend, nil
	case to == order.Active:
		return order.ActionModuleCreate, nil
	case statusActions[to] != "":
		return statusActions[to], nil
	case to == order.Pending || to == order.Cancelled || to == order.Fraud:
		return "", &fault.Error{Kind: fault.Conflict, Field: "status", Message: fmt.Sprintf(
			"A service is %s with its order: use PendingOrder, CancelOrder or FraudOrder on the order", to)}
	}
	return "", fault.Invalidf("status", "%q is not a service status (%s)", to, input.List(ServiceStatuses))
}

// editServiceFields writes a service's plain fields and their audit line in one transaction.
// The password is sealed to the row and the audit line says only that it changed.
func (s *Items) editServiceFields(ctx context.Context, id int64, e ServiceEdit) error {
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		if err := q.LockService(ctx, id); err != nil {
			return fault.Wrap(err, "lock the service")
		}
		cur, err := q.GetServiceForEdit(ctx, id)
		if err != nil {
			return fault.OrAbsent(err, "Service ID Not Found")
		}
		next := db.EditServiceParams{ID: id, Domain: cur.Domain, ServerID: cur.ServerID, Username: cur.Username, Notes: cur.Notes,
			NextDueDate: cur.NextDueDate}
		var changed []string
		set := func(name string, differs bool, apply func()) {
			if differs {
				changed = append(changed, name)
				apply()
			}
		}
		if e.Domain != nil {
			set("domain", *e.Domain != cur.Domain, func() { next.Domain = *e.Domain })
		}
		sv, username := e.account(cur.ServerID, cur.Username)
		set("server", !equalID(sv, cur.ServerID), func() { next.ServerID = sv })
		set("username", username != cur.Username, func() { next.Username = username })
		if e.Notes != nil {
			set("notes", *e.Notes != cur.Notes, func() { next.Notes = *e.Notes })
		}
		if e.NextDueDate != nil {
			d := dbtx.Date(*e.NextDueDate)
			set("next due date", d != cur.NextDueDate, func() { next.NextDueDate = d })
		}
		if slices.Contains(changed, "username") || slices.Contains(changed, "server") {
			if err := claimUsername(ctx, q, id, next.ServerID, next.Username); err != nil {
				return err
			}
		}
		if e.Password != nil {
			var sealed []byte
			if *e.Password != "" {
				sealed = s.secrets.SealFor(*e.Password, secrets.ServicePassword(id))
			}
			if err := q.SetServicePassword(ctx, db.SetServicePasswordParams{ID: id, Password: sealed}); err != nil {
				return fault.Wrap(err, "set the service's password")
			}
			changed = append(changed, "password")
		}
		if len(changed) == 0 {
			return nil
		}
		if err := q.EditService(ctx, next); err != nil {
			return fault.Wrap(err, "edit the service")
		}
		return audit(ctx, q, cur.OrderID, e.Actor, "service-edit", fmt.Sprintf("service %d: changed %s", id, strings.Join(changed, ", ")))
	})
	return fault.Wrap(err, "edit service %d", id)
}

// claimUsername takes a service's username on its server, as hostflow keeps each name unique
// per server and one name per service: the old name is let go of first (the transaction undoes
// that if the new one is taken).
func claimUsername(ctx context.Context, q *db.Queries, serviceID int64, serverID *int64, username string) error {
	keep := db.ReleaseUsernamesParams{ServiceID: serviceID}
	if serverID != nil {
		keep.ServerID, keep.Username = *serverID, username
	}
	if err := q.ReleaseUsernames(ctx, keep); err != nil || serverID == nil || username == "" {
		return fault.Wrap(err, "release usernames")
	}
	_, err := q.ReserveChosenUsername(ctx, db.ReserveChosenUsernameParams{ServerID: *serverID, Username: username, ServiceID: serviceID})
	if dbtx.IsNoRows(err) {
		return fault.Invalidf("username", "%s is taken on server %d by another service", username, *serverID)
	}
	return fault.Wrap(err, "reserve the username")
}

func equalID(a, b *int64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// audit writes an audit line for a change made outside the order's workflow; its key is its
// own, so it never collides with the workflow's.
func audit(ctx context.Context, q *db.Queries, orderID int64, actor order.Actor, action, detail string) error {
	err := q.InsertEvent(ctx, db.InsertEventParams{OrderID: orderID, Key: "edit-" + token.New(12), Actor: actor.OrOperator(),
		Action: action, Detail: detail})
	return fault.Wrap(err, "record the change")
}

// DomainEdit is what may change of a domain by hand (WHMCS's UpdateClientDomain). Nil keeps
// what is there. Nameservers are stated at the registrar too when UpdateNameservers is set.
type DomainEdit struct {
	DNSManagement     *bool       `json:"dns_management"`
	EmailForwarding   *bool       `json:"email_forwarding"`
	IDProtection      *bool       `json:"id_protection"`
	DoNotRenew        *bool       `json:"do_not_renew"`
	Notes             *string     `json:"notes" input:"text"`
	NextDueDate       *time.Time  `json:"next_due_date"`
	ExpiryDate        *time.Time  `json:"expiry_date"`
	Nameservers       []string    `json:"nameservers"`
	UpdateNameservers bool        `json:"update_nameservers"`
	Actor             order.Actor `json:"-"`
}

// EditDomain applies a DomainEdit: the registrar first (when asked), then the row and its
// audit line in one transaction.
func (s *Items) EditDomain(ctx context.Context, id int64, e DomainEdit) error {
	if err := input.Check(e); err != nil {
		return err
	}
	if e.Nameservers != nil || e.UpdateNameservers {
		ns, err := input.Nameservers("nameservers", e.Nameservers, input.MinDomainNameservers)
		if err != nil {
			return err
		}
		e.Nameservers = ns
	}
	if e.UpdateNameservers {
		if err := s.SetDomainNameservers(ctx, id, e.Nameservers, e.Actor); err != nil {
			return err
		}
	}
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		cur, err := q.LockDomainForEdit(ctx, id)
		if err != nil {
			return fault.OrAbsent(err, "Domain ID Not Found")
		}
		next := db.EditDomainParams{ID: id, DnsManagement: cur.DnsManagement, EmailForwarding: cur.EmailForwarding,
			IDProtection: cur.IDProtection, DoNotRenew: cur.DoNotRenew, Notes: cur.Notes, NextDueDate: cur.NextDueDate,
			ExpiryDate: cur.ExpiryDate, Nameservers: cur.Nameservers}
		var changed []string
		flag := func(name string, v *bool, field *bool) {
			if v != nil && *v != *field {
				*field = *v
				changed = append(changed, name)
			}
		}
		flag("dns management", e.DNSManagement, &next.DnsManagement)
		flag("email forwarding", e.EmailForwarding, &next.EmailForwarding)
		flag("id protection", e.IDProtection, &next.IDProtection)
		flag("do not renew", e.DoNotRenew, &next.DoNotRenew)
		if e.Notes != nil && *e.Notes != cur.Notes {
			next.Notes, changed = *e.Notes, append(changed, "notes")
		}
		day := func(name string, v *time.Time, field *pgtype.Date) {
			if v != nil {
				if d := dbtx.Date(*v); d != *field {
					*field, changed = d, append(changed, name)
				}
			}
		}
		day("next due date", e.NextDueDate, &next.NextDueDate)
		day("expiry date", e.ExpiryDate, &next.ExpiryDate)
		if e.Nameservers != nil && !e.UpdateNameservers && !slices.Equal(e.Nameservers, cur.Nameservers) {
			next.Nameservers, changed = e.Nameservers, append(changed, "nameservers")
		}
		if len(changed) == 0 {
			return nil
		}
		if err := q.EditDomain(ctx, next); err != nil {
			return fault.Wrap(err, "edit the domain")
		}
		return audit(ctx, q, cur.OrderID, e.Actor, "domain-edit", fmt.Sprintf("domain %s: changed %s", cur.Domain, strings.Join(changed, ", ")))
	})
	return fault.Wrap(err, "edit domain %d", id)
}
