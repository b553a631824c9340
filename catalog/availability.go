package catalog

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/registrar"
)

// DomainStatus is what the store may do with a domain name.
type DomainStatus string

// Domain statuses.
const (
	// DomainAvailable: free to register at the TLD's price.
	DomainAvailable DomainStatus = "available"
	// DomainTaken: registered already, here or elsewhere. Its owner may transfer it in, unless
	// another order of ours holds it (CanTransfer says which).
	DomainTaken DomainStatus = "taken"
	// DomainPremium: free, but the registry prices it above the TLD's price, which the store
	// does not sell it at.
	DomainPremium DomainStatus = "premium"
	// DomainUnsupported: we do not sell its TLD, or not in the visitor's currency.
	DomainUnsupported DomainStatus = "unsupported"
	// DomainMalformed: not a domain name.
	DomainMalformed DomainStatus = "malformed"
)

// MaxDomainYears is the longest period a domain is sold for, as placing allows.
const MaxDomainYears = 10

// PeriodPrice is the price of a domain for a number of years, in minor units.
type PeriodPrice struct {
	Years int
	Price int64
}

// Availability is the store's answer on one domain name.
type Availability struct {
	Domain string // in its one form (lower case, no trailing dot); as typed when malformed
	TLD    string // with its dot: ".com"; "" when malformed or unsold
	Status DomainStatus
	// Checked says the TLD's auto-registrar was asked (or its answer was cached); false for
	// a TLD registered by hand, whose availability only the admin learns.
	Checked bool
	// CanTransfer offers the transfer: a taken name no order of ours holds.
	CanTransfer bool
	// Message says the status in the customer's words.
	Message string
	// Currency and the prices for 1 to MaxDomainYears years (empty unless the TLD is sold in
	// the currency asked): the TLD table's, as placing prices them.
	Currency string
	Register []PeriodPrice
	Transfer []PeriodPrice
	// EPPRequired says a transfer of the TLD needs the domain's EPP code (set once the TLD is known).
	EPPRequired bool
}

// Bounds on checking availability at a registrar: a read, but an external one, which a store
// must not turn into a free domain-check proxy.
const (
	// checkTimeout bounds one registrar check; past it the customer is told to try again.
	checkTimeout = 5 * time.Second
	// checkBurst checks from one client address may come at once, then one every
	// checkRefill: enough for a customer trying names as they type, not for a scraper.
	checkBurst  = 20
	checkRefill = 3 * time.Second
	// checkCacheFor is how long a registrar's answer is reused: long enough for the store
	// page, the cart and checkout to ask about the same name once, short enough that a name
	// registered meanwhile is soon seen as taken (placing and the registrar check again).
	checkCacheFor = 2 * time.Minute
	// checkMemory bounds the addresses and answers remembered, so neither map grows
	// without end.
	checkMemory = 100_000
)

// ErrTooManyChecks refuses a client address that checks names faster than a customer does.
var ErrTooManyChecks error = &fault.Error{Kind: fault.Unavailable, Field: "domain",
	Message: "too many domain checks from your address; wait a minute and try again"}

// errRegistrarSilent is a registrar that did not answer a check in time or at all.
var errRegistrarSilent error = &fault.Error{Kind: fault.Unavailable, Field: "domain",
	Message: "the domain registrar did not answer; try again in a moment"}

// domainChecks is the state of availability checks: the per-address budgets and the cache of
// registrar answers, shared by every request of the process.
type domainChecks struct {
	now func() time.Time

	mu      sync.Mutex
	budgets map[string]*budget      // by access.AddressKey: an address, or for IPv6 its /64
	answers map[string]cachedAnswer // registrar + "\x00" + name
}

type budget struct {
	tokens float64
	at     time.Time
}

type cachedAnswer struct {
	a  registrar.Availability
	at time.Time
}

func newDomainChecks(now func() time.Time) *domainChecks {
	return &domainChecks{now: now, budgets: map[string]*budget{}, answers: map[string]cachedAnswer{}}
}

// allow spends one check of addr's budget, refilled at one a checkRefill up to checkBurst.
func (d *domainChecks) allow(addr string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	now, key := d.now(), access.AddressKey(strings.TrimSpace(addr))
	b := d.budgets[key]
	if b == nil {
		if len(d.budgets) >= checkMemory {
			d.forgetFullBudgets(now)
		}
		b = &budget{tokens: checkBurst, at: now}
		d.budgets[key] = b
	}
	b.tokens = min(checkBurst, b.tokens+float64(now.Sub(b.at))/float64(checkRefill))
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// forgetFullBudgets drops the addresses whose budget has refilled: forgetting them changes
// nothing. d.mu is held.
func (d *domainChecks) forgetFullBudgets(now time.Time) {
	for k, b := range d.budgets {
		if b.tokens+float64(now.Sub(b.at))/float64(checkRefill) >= checkBurst {
			delete(d.budgets, k)
		}
	}
}

func (d *domainChecks) cached(key string) (registrar.Availability, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.answers[key]
	if !ok || d.now().Sub(c.at) >= checkCacheFor {
		return registrar.Availability{}, false
	}
	return c.a, true
}

func (d *domainChecks) remember(key string, a registrar.Availability) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	if len(d.answers) >= checkMemory {
		for k, c := range d.answers {
			if now.Sub(c.at) >= checkCacheFor {
				delete(d.answers, k)
			}
		}
		if len(d.answers) >= checkMemory { // all fresh: start again rather than grow
			clear(d.answers)
		}
	}
	d.answers[key] = cachedAnswer{a: a, at: now}
}

// CheckDomain says whether the store can sell name to a visitor paying in currency, from
// client address addr (which the rate limit counts): malformed, an unsold TLD, taken (with the
// offer to transfer), premium or available, with the TLD table's prices for register and
// transfer per period. A new name is asked at its TLD's auto-registrar, bounded by a timeout
// and cached briefly; a TLD registered by hand is not asked (Checked is false). An error is
// a registrar that did not answer, or ErrTooManyChecks: both say to try again.
func (s *Catalog) CheckDomain(ctx context.Context, addr, name, currency string) (Availability, error) {
	typed := strings.TrimSpace(name)
	domain, err := input.Domain(typed)
	if err != nil || !strings.Contains(domain, ".") {
		return Availability{Domain: typed, Status: DomainMalformed,
			Message: fmt.Sprintf("%q is not a domain name: a name and its extension, such as example.com", typed)}, nil
	}
	q := s.q()
	tld, err := FindTLD(ctx, q, domain)
	if errors.Is(err, pgx.ErrNoRows) {
		return Availability{Domain: domain, Status: DomainUnsupported,
			Message: fmt.Sprintf("we do not sell %s domains", domain[strings.Index(domain, "."):])}, nil
	}
	if err != nil {
		return Availability{}, fault.Wrap(err, "look up the TLD of %s", domain)
	}
	out := Availability{Domain: domain, TLD: tld.Tld, EPPRequired: tld.EppRequired}
	if tld.Currency != currency {
		out.Status, out.Message = DomainUnsupported, fmt.Sprintf("%s domains are not sold in %s", tld.Tld, currency)
		return out, nil
	}
	out.Currency, out.Register, out.Transfer = tld.Currency, periodPrices(tld.RegisterPrice), periodPrices(tld.TransferPrice)
	held, err := q.DomainHeld(ctx, domain)
	if err != nil {
		return Availability{}, fault.Wrap(err, "look up domain %s", domain)
	}
	if held { // placing would refuse it: one domain, one owner
		out.Status, out.Checked, out.Message = DomainTaken, true, domain+" is already ordered here"
		return out, nil
	}
	auto := ""
	if tld.AutoRegistrar != nil {
		auto = *tld.AutoRegistrar
	}
	answer, checked, err := s.askRegistrar(ctx, addr, auto, domain)
	if err != nil {
		return Availability{}, err
	}
	out.Checked = checked
	switch {
	case !checked || answer.Available && !answer.Premium:
		out.Status, out.Message = DomainAvailable, domain+" is available"
	case answer.Available:
		out.Status, out.Message = DomainPremium, domain+" is a premium name, not sold at the standard price"
	default:
		out.Status, out.CanTransfer = DomainTaken, true
		out.Message = domain + " is already registered; if it is yours, transfer it to us"
	}
	return out, nil
}

// askRegistrar asks registrar reg about one name, from the cache if it answered lately.
// checked is false when reg cannot be asked (none, or a module without a Checker).
func (s *Catalog) askRegistrar(ctx context.Context, addr, reg, name string) (a registrar.Availability, checked bool, err error) {
	if !registrar.SendsOnAccept(reg) || s.registrars == nil {
		return a, false, nil
	}
	checker, err := s.registrars.CheckerOf(reg)
	if errors.Is(err, registrar.ErrNotSupported) {
		return a, false, nil
	}
	if err != nil {
		return a, false, fmt.Errorf("check %s: %w", name, err)
	}
	key := reg + "\x00" + name
	if a, ok := s.checks.cached(key); ok {
		return a, true, nil
	}
	if !s.checks.allow(addr) {
		return a, false, ErrTooManyChecks
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	got, err := checker.Check(ctx, []string{name})
	switch {
	case err == nil && len(got) == 1 && got[0].Problem == "":
		s.checks.remember(key, got[0])
		return got[0], true, nil
	case err == nil && len(got) == 1:
		err = errors.New(got[0].Problem)
	case err == nil:
		err = fmt.Errorf("%d answers for one name", len(got))
	}
	s.log.Warn("domain availability check failed", zap.String("registrar", reg), zap.String("domain", name), zap.Error(err))
	return a, false, errRegistrarSilent
}

func periodPrices(perYear int64) []PeriodPrice {
	out := make([]PeriodPrice, MaxDomainYears)
	for i := range out {
		out[i] = PeriodPrice{Years: i + 1, Price: perYear * int64(i+1)}
	}
	return out
}
