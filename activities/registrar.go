package activities

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/crashpoint"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/registrar"
)

// The registrar commands on a domain the client holds (WHMCS's DomainRenew,
// DomainUpdateNameservers, DomainGetNameservers), run by the order's workflow.

// managed loads a domain and its registrar module; mg is nil for a domain handled by hand or
// not yet at its registrar, whose record here is the truth.
func (a *Activities) managed(ctx context.Context, id int64) (db.OrderDomain, registrar.Manager, error) {
	d, err := a.q().GetDomain(ctx, id)
	if err != nil {
		return d, nil, moduleError(fault.Wrap(err, "load domain %d", id))
	}
	if d.Status != order.Active || d.Registrar == "" || d.Registrar == registrar.None {
		return d, nil, nil
	}
	mg, err := a.Registrars.ManagerOf(d.Registrar)
	return d, mg, moduleError(err)
}

// DomainNameservers reads a domain's nameservers: the registrar's for a domain it holds, the
// recorded ones otherwise.
func (a *Activities) DomainNameservers(ctx context.Context, domainID int64) ([]string, error) {
	d, mg, err := a.managed(ctx, domainID)
	if err != nil || mg == nil {
		return d.Nameservers, err
	}
	ns, err := mg.Nameservers(ctx, d.Domain)
	return ns, moduleError(err)
}

// NameserversChange states a domain's nameservers, with the audit line that records it.
type NameserversChange struct {
	records.Event
	DomainID    int64    `json:"domain_id"`
	Nameservers []string `json:"nameservers"`
}

// SetNameservers states a domain's nameservers at its registrar (for a domain it holds; a
// repeat changes nothing there) and records them; a domain not yet registered takes them when
// it is.
func (a *Activities) SetNameservers(ctx context.Context, c NameserversChange) error {
	d, mg, err := a.managed(ctx, c.DomainID)
	if err != nil {
		return err
	}
	if mg != nil {
		if err := mg.SetNameservers(ctx, d.Domain, c.Nameservers); err != nil {
			return moduleError(err)
		}
	}
	c.Detail = fmt.Sprintf("domain %s: nameservers %s", d.Domain, strings.Join(c.Nameservers, ", "))
	return a.inTx(ctx, func(q *db.Queries) error {
		if err := q.SetDomainNameservers(ctx, db.SetDomainNameserversParams{ID: d.ID, Nameservers: c.Nameservers}); err != nil {
			return fault.Wrap(err, "record the nameservers of domain %d", d.ID)
		}
		return records.InsertEvent(ctx, q, c.Event)
	})
}

// DomainExpiry reads a domain's expiry date at its registrar: what a renewal is measured against.
func (a *Activities) DomainExpiry(ctx context.Context, domainID int64) (time.Time, error) {
	d, mg, err := a.managed(ctx, domainID)
	if err != nil {
		return time.Time{}, err
	}
	if mg == nil {
		return time.Time{}, moduleError(errNotAtRegistrar(d))
	}
	t, err := mg.Expiry(ctx, d.Domain)
	return t, moduleError(err)
}

// Renewal asks for years more of a domain whose expiry date was ExpiryBefore when the renewal
// was asked for.
type Renewal struct {
	DomainID     int64     `json:"domain_id"`
	Years        int       `json:"years"`
	ExpiryBefore time.Time `json:"expiry_before"`
}

// RenewDomain buys a renewal and answers the new expiry date. The registrars' renew commands
// have no idempotency key, so the registrar's own state is the guard: an attempt that finds the
// expiry date already past ExpiryBefore is a retry of a purchase that went through (its answer
// was lost, or its worker died), and buys nothing.
func (a *Activities) RenewDomain(ctx context.Context, r Renewal) (time.Time, error) {
	d, mg, err := a.managed(ctx, r.DomainID)
	if err != nil {
		return time.Time{}, err
	}
	if mg == nil {
		return time.Time{}, moduleError(errNotAtRegistrar(d))
	}
	defer heartbeat(ctx)()
	now, err := mg.Expiry(ctx, d.Domain)
	if err != nil {
		return time.Time{}, moduleError(err)
	}
	if now.After(r.ExpiryBefore) {
		return now, nil
	}
	years := r.Years
	if years == 0 {
		years = int(d.Period) // the registration period, as WHMCS's DomainRenew without regperiod
	}
	after, err := mg.Renew(ctx, d.Domain, years)
	if err != nil {
		return time.Time{}, moduleError(err)
	}
	crashpoint.Hit("domain-renewed")
	return after, nil
}

func errNotAtRegistrar(d db.OrderDomain) error {
	return permanent.Wrap(fmt.Errorf("%s", order.ReasonNoRegistrar))
}
