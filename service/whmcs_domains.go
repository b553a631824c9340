package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/registrar"
)

// The registrar commands on a domain the client already holds (WHMCS's DomainGetNameservers,
// DomainUpdateNameservers, DomainRenew). They touch no lifecycle status, so they run here and
// not through the order's workflow; each change gets an audit line.

const (
	// registrarTimeout bounds one registrar call.
	registrarTimeout = 90 * time.Second
	// renewalBudget bounds a whole DomainRenew from before its claim: the expiry date read
	// first, the purchase, and the expiry date read after a purchase that went unanswered.
	renewalBudget = 2 * registrarTimeout
	// renewalLease is how long a claimed renewal is left to its call before another call reads
	// its outcome from the registrar. It outlasts renewalBudget, so the claiming call has
	// stopped waiting by then, and the margin covers a purchase the registrar received just
	// before that and is still completing, and hostflow's clock disagreeing with the database's
	// (which stamped the claim). Shorter, a retry could read the old expiry date while the first
	// purchase is still under way and buy the renewal a second time.
	renewalLease = renewalBudget + 2*time.Minute
)

// renewalStatus is where a renewal (a domain_renewals row) stands. The queries in
// whmcs_writes.sql and the table's one-open-renewal index spell renewalRequested too.
type renewalStatus string

const (
	renewalRequested renewalStatus = "requested" // claimed; its call may not have answered
	renewalDone      renewalStatus = "done"
	renewalFailed    renewalStatus = "failed" // nothing was bought
)

// managed loads a domain and its registrar module; mg is nil for a domain handled by hand or
// not yet at its registrar, whose record here is the truth.
func (s *Service) managed(ctx context.Context, id int64) (db.OrderDomain, registrar.Manager, error) {
	d, err := s.q().GetDomain(ctx, id)
	if err != nil {
		return d, nil, orNotFound(err, "Domain ID Not Found")
	}
	if d.Status != order.Active || d.Registrar == "" || d.Registrar == registrar.None {
		return d, nil, nil
	}
	mg, err := s.Registrars.ManagerOf(d.Registrar)
	return d, mg, registrarError(err)
}

// registrarError says a registrar's refusal as the caller's answer, in the registrar's words.
func registrarError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, registrar.ErrNotSupported):
		return &Error{Kind: Conflict, Message: "Registrar Function Not Supported"}
	case permanent.Is(err):
		return &Error{Kind: Conflict, Message: err.Error()}
	}
	return &Error{Kind: Unavailable, Message: "the registrar did not answer: " + err.Error()}
}

// DomainNameservers are a domain's nameservers: the registrar's for a domain it holds, the
// recorded ones otherwise.
func (s *Service) DomainNameservers(ctx context.Context, id int64) ([]string, error) {
	d, mg, err := s.managed(ctx, id)
	if err != nil || mg == nil {
		return d.Nameservers, err
	}
	ctx, cancel := context.WithTimeout(ctx, registrarTimeout)
	defer cancel()
	ns, err := mg.Nameservers(ctx, d.Domain)
	return ns, registrarError(err)
}

// SetDomainNameservers states a domain's nameservers at its registrar (for a domain it holds)
// and records them; a domain not yet registered takes them when it is.
func (s *Service) SetDomainNameservers(ctx context.Context, id int64, ns []string, actor order.Actor) error {
	ns, err := normalizeNameservers("nameservers", ns, minDomainNameservers)
	if err != nil {
		return err
	}
	d, mg, err := s.managed(ctx, id)
	if err != nil {
		return err
	}
	if mg != nil {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), registrarTimeout)
		defer cancel()
		if err := registrarError(mg.SetNameservers(rctx, d.Domain, ns)); err != nil {
			return err
		}
	}
	err = s.inTx(ctx, func(q *db.Queries) error {
		if err := q.SetDomainNameservers(ctx, db.SetDomainNameserversParams{ID: id, Nameservers: ns}); err != nil {
			return wrap(err, "record the nameservers")
		}
		return audit(ctx, q, d.OrderID, actor, "domain-nameservers", fmt.Sprintf("domain %s: nameservers %s", d.Domain, strings.Join(ns, ", ")))
	})
	return wrap(err, fmt.Sprintf("set the nameservers of domain %d", id))
}

// RenewDomain renews a domain at its registrar for years (0: its registration period), once.
//
// The registrars' renew commands have no idempotency key and spend money, so a renewal is a
// row claimed before anything else (at most one per domain in flight, by a unique index) and
// settled after the call. A row left requested by a call whose answer was lost is settled by the
// registrar's expiry date before anything is bought again: moved past the date recorded before
// the call, the renewal went through, and the retry answers success without a second purchase.
// A retry that comes after its renewal was settled done, within the lease, answers the same.
// The workflow is not used: a renewal changes no status, and the claimed row gives the same
// exactly-once guarantee without the order's workflow having to be running.
func (s *Service) RenewDomain(ctx context.Context, id int64, years int, actor order.Actor) error {
	if years < 0 || years > 10 {
		return invalid("regperiod", "must be 1 to 10 years")
	}
	d, mg, err := s.managed(ctx, id)
	switch {
	case err != nil:
		return err
	case d.Status != order.Active:
		return &Error{Kind: Conflict, Message: fmt.Sprintf("The domain is %s: only an Active domain can be renewed", d.Status)}
	case mg == nil:
		return &Error{Kind: Conflict, Message: order.ReasonNoRegistrar}
	}
	if years == 0 {
		years = int(d.Period)
	}
	// The call goes on if the caller hangs up: a purchase is not abandoned half way. Its
	// context ends with the budget, well inside the lease another call waits out before reading
	// the outcome from the registrar.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), renewalBudget)
	defer cancel()
	claim, done, err := s.claimRenewal(ctx, d, mg, years, actor)
	if err != nil || done {
		return err
	}
	q := s.q()
	before, err := mg.Expiry(ctx, d.Domain)
	if err != nil {
		s.releaseRenewal(ctx, d, claim.ID, "the expiry date could not be read: "+err.Error())
		return registrarError(err)
	}
	// Recorded before the purchase: a later call settles a lost answer by it.
	if err := q.SetDomainRenewalExpiryBefore(ctx, db.SetDomainRenewalExpiryBeforeParams{ID: claim.ID, ExpiryBefore: date(before)}); err != nil {
		s.releaseRenewal(ctx, d, claim.ID, "the expiry date could not be recorded: "+err.Error())
		return wrap(err, "record the expiry date before the renewal")
	}
	after, err := mg.Renew(ctx, d.Domain, years)
	switch {
	case err == nil:
		return s.finishRenewal(ctx, d, claim.ID, after, actor, years)
	case permanent.Is(err):
		// Refused: nothing was bought, and the domain is free to be renewed again.
		s.releaseRenewal(ctx, d, claim.ID, err.Error())
		return registrarError(err)
	}
	// No answer: the expiry date says whether the renewal got there.
	if now, xerr := mg.Expiry(ctx, d.Domain); xerr == nil && now.After(before) {
		return s.finishRenewal(ctx, d, claim.ID, now, actor, years)
	}
	return &Error{Kind: Unavailable, Message: fmt.Sprintf("the registrar did not answer (%v); the renewal is recorded as requested, "+
		"and a renewal after %s finds out whether it went through before buying anything", err, renewalLease)}
}

// renewalInProgress answers a call while another call's renewal of the domain is in flight.
func renewalInProgress() error {
	return &Error{Kind: Conflict, Message: "A renewal of this domain is in progress: try again in a few minutes"}
}

// claimRenewal claims a renewal of d before anything is read or bought; done (or an error) when
// the call is to answer without buying.
//
// The claim comes first so that two overlapping calls cannot both pass: the second is refused
// while the first is in flight, or claims after the first has settled and sees it done. Had the
// expiry date or the open renewal been read before the claim, a retry could pass both while the
// first call was still reading, and claim once the first had settled done (the unique index
// covers only requested rows): a second purchase.
func (s *Service) claimRenewal(ctx context.Context, d db.OrderDomain, mg registrar.Manager, years int, actor order.Actor) (
	db.DomainRenewal, bool, error) {
	q := s.q()
	arg := db.ClaimDomainRenewalParams{DomainID: d.ID, Years: int32(years), Actor: string(actor.OrOperator())}
	claim, err := q.ClaimDomainRenewal(ctx, arg)
	if isNoRows(err) {
		// Another renewal is requested: in flight (refused), or left past its lease by a call
		// whose answer was lost (settled here, and claimed again if nothing was bought).
		if open, err := q.OpenDomainRenewal(ctx, d.ID); err == nil {
			if done, err := s.settleRenewal(ctx, d, mg, open, actor); err != nil || done {
				return claim, true, err
			}
		} else if !isNoRows(err) {
			return claim, true, wrap(err, "look up the domain's renewals")
		}
		claim, err = q.ClaimDomainRenewal(ctx, arg)
	}
	if isNoRows(err) {
		return claim, true, renewalInProgress()
	}
	if err != nil {
		return claim, true, wrap(err, "claim the renewal")
	}
	// Every earlier renewal of the domain is settled now. One for as many years settled done
	// within the lease is the one this call retries (its answer was lost, or this call
	// overlapped it): its success is the answer, and nothing is bought. Both times are the
	// database's. A second renewal meant as such waits out the lease.
	last, err := q.LastDoneDomainRenewal(ctx, db.LastDoneDomainRenewalParams{DomainID: d.ID, Years: int32(years), BeforeID: claim.ID})
	switch {
	case isNoRows(err) || (err == nil && claim.CreatedAt.Time.Sub(last.CreatedAt.Time) >= renewalLease):
		return claim, false, nil
	case err != nil:
		s.releaseRenewal(ctx, d, claim.ID, "the earlier renewals could not be read: "+err.Error())
		return claim, true, wrap(err, "look up the domain's renewals")
	}
	s.releaseRenewal(ctx, d, claim.ID, fmt.Sprintf("a retry of renewal %d, done: nothing bought", last.ID))
	return claim, true, nil
}

// releaseRenewal settles a claimed renewal for which nothing was bought as failed, freeing the
// domain. Left requested, it holds the domain for its lease, and the next renewal then settles it
// by the expiry date.
func (s *Service) releaseRenewal(ctx context.Context, d db.OrderDomain, id int64, reason string) {
	if _, err := s.q().SettleDomainRenewal(ctx, db.SettleDomainRenewalParams{ID: id, Status: string(renewalFailed),
		Error: reason}); err != nil {
		s.Log.Error("renewal not released: the next renewal after its lease settles it by the expiry date", zap.Error(err),
			zap.String("domain", d.Domain), zap.Int64("renewal_id", id))
	}
}

// settleRenewal decides a renewal left requested: still in flight (refused), gone through (done:
// this call was its retry), or never arrived (failed, and a new one may be claimed).
func (s *Service) settleRenewal(ctx context.Context, d db.OrderDomain, mg registrar.Manager, open db.DomainRenewal, actor order.Actor) (bool, error) {
	if time.Since(open.CreatedAt.Time) < renewalLease {
		return false, renewalInProgress()
	}
	now, err := mg.Expiry(ctx, d.Domain)
	if err != nil {
		return false, registrarError(err)
	}
	if open.ExpiryBefore.Valid && now.After(open.ExpiryBefore.Time) {
		return true, s.finishRenewal(ctx, d, open.ID, now, actor, int(open.Years))
	}
	// A call settling the same renewal at once changes nothing here: the claim that follows
	// lets only one of them buy.
	_, err = s.q().SettleDomainRenewal(ctx, db.SettleDomainRenewalParams{ID: open.ID, Status: string(renewalFailed),
		Error: "the registrar's expiry date did not move: the call never arrived"})
	return false, wrap(err, "settle the earlier renewal")
}

// finishRenewal records a renewal done, the domain's new expiry date and the audit line, at once.
func (s *Service) finishRenewal(ctx context.Context, d db.OrderDomain, renewalID int64, expiry time.Time, actor order.Actor, years int) error {
	err := s.inTx(ctx, func(q *db.Queries) error {
		n, err := q.SettleDomainRenewal(ctx, db.SettleDomainRenewalParams{ID: renewalID, Status: string(renewalDone),
			ExpiryAfter: date(expiry)})
		if err != nil || n == 0 {
			// n == 0: another call (a retry settling the same renewal) recorded it, expiry
			// date and audit line included.
			return wrap(err, "settle the renewal")
		}
		if err := q.SetDomainExpiry(ctx, db.SetDomainExpiryParams{ID: d.ID, ExpiryDate: date(expiry)}); err != nil {
			return wrap(err, "record the expiry date")
		}
		return audit(ctx, q, d.OrderID, actor, "domain-renew", fmt.Sprintf("domain %s: renewed for %d year(s) through %s, expires %s",
			d.Domain, years, d.Registrar, expiry.Format("2006-01-02")))
	})
	if err != nil {
		// The money is spent: the claimed row stays requested, and the next DomainRenew settles
		// it from the registrar's expiry date instead of buying again.
		return wrap(err, "record the renewal")
	}
	return nil
}

func date(t time.Time) pgtype.Date { return pgtype.Date{Time: t, Valid: !t.IsZero()} }
