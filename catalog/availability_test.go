package catalog

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/registrar/namecheap"
	ncsandbox "github.com/hostflow/hostflow/sandbox/namecheap"
	"github.com/hostflow/hostflow/testenv"
)

// fakeRegistrar answers checks from a list of taken and premium names, counting its calls, and
// can be told to hang or fail.
type fakeRegistrar struct {
	mu      sync.Mutex
	calls   int
	taken   map[string]bool
	premium map[string]bool
	hang    bool
	fail    error
}

func (f *fakeRegistrar) Register(context.Context, registrar.Domain) (registrar.Result, error) {
	return registrar.Result{}, errors.New("not in this test")
}
func (f *fakeRegistrar) Transfer(context.Context, registrar.Domain) (registrar.Result, error) {
	return registrar.Result{}, errors.New("not in this test")
}
func (f *fakeRegistrar) Status(context.Context, registrar.Domain) (registrar.Result, error) {
	return registrar.Result{}, errors.New("not in this test")
}

func (f *fakeRegistrar) Check(ctx context.Context, names []string) ([]registrar.Availability, error) {
	f.mu.Lock()
	f.calls++
	hang, fail := f.hang, f.fail
	f.mu.Unlock()
	if hang {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if fail != nil {
		return nil, fail
	}
	out := make([]registrar.Availability, len(names))
	for i, n := range names {
		out[i] = registrar.Availability{Name: n, Available: !f.taken[n], Premium: f.premium[n]}
	}
	return out, nil
}

func (f *fakeRegistrar) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// availabilityCatalog is a catalogue over a fresh database selling .com (USD, through the fake
// registrar), .co.uk (GBP, through the fake), .org (USD, by hand) and .net (USD, through the
// Namecheap sandbox), and a clock the test moves.
func availabilityCatalog(t *testing.T) (*Catalog, *fakeRegistrar, *time.Time) {
	pool, _ := testenv.Database(t)
	fake := &fakeRegistrar{taken: map[string]bool{"google.com": true}, premium: map[string]bool{"gold.com": true}}
	nc := ncsandbox.New("hostflow", "KEY")
	ts := httptest.NewServer(nc)
	t.Cleanup(ts.Close)
	regs := registrar.NewRegistry()
	regs["fake"] = fake
	regs[namecheap.Name] = namecheap.New(namecheap.Config{URL: ts.URL, APIUser: "hostflow", APIKey: "KEY", ClientIP: "198.51.100.7"})
	cat := New(pool, nil, nil, nil, regs, nil)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	cat.checks.now = func() time.Time { return now }
	ctx := context.Background()
	for _, tld := range []NewTLD{
		{TLD: ".com", Currency: "USD", RegisterPrice: "10.00", TransferPrice: "8.50", AutoRegistrar: "fake"},
		{TLD: ".co.uk", Currency: "GBP", RegisterPrice: "7.00", TransferPrice: "0", AutoRegistrar: "fake"},
		{TLD: ".org", Currency: "USD", RegisterPrice: "12.00", TransferPrice: "12.00"},
		{TLD: ".net", Currency: "USD", RegisterPrice: "11.00", TransferPrice: "11.00", AutoRegistrar: namecheap.Name},
	} {
		_, err := cat.CreateTLD(ctx, tld)
		require.NoError(t, err)
	}
	return cat, fake, &now
}

func TestCheckDomain(t *testing.T) {
	cat, _, _ := availabilityCatalog(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, currency string
		domain         string // as answered
		status         DomainStatus
		checked        bool
		canTransfer    bool
		message        string
		register1      int64 // one year's registration, minor units; 0 when unpriced
		transfer3      int64 // three years' transfer
	}{
		{name: "Example.COM.", currency: "USD", domain: "example.com", status: DomainAvailable, checked: true,
			message: "example.com is available", register1: 1000, transfer3: 2550},
		{name: "google.com", currency: "USD", domain: "google.com", status: DomainTaken, checked: true, canTransfer: true,
			message: "google.com is already registered; if it is yours, transfer it to us", register1: 1000, transfer3: 2550},
		{name: "gold.com", currency: "USD", domain: "gold.com", status: DomainPremium, checked: true,
			message: "gold.com is a premium name, not sold at the standard price", register1: 1000, transfer3: 2550},
		{name: "shop.co.uk", currency: "GBP", domain: "shop.co.uk", status: DomainAvailable, checked: true,
			message: "shop.co.uk is available", register1: 700},
		{name: "shop.co.uk", currency: "USD", domain: "shop.co.uk", status: DomainUnsupported,
			message: ".co.uk domains are not sold in USD"},
		{name: "by-hand.org", currency: "USD", domain: "by-hand.org", status: DomainAvailable,
			message: "by-hand.org is available", register1: 1200, transfer3: 3600},
		{name: "example.dev", currency: "USD", domain: "example.dev", status: DomainUnsupported, message: "we do not sell .dev domains"},
		{name: "not a domain", currency: "USD", domain: "not a domain", status: DomainMalformed,
			message: `"not a domain" is not a domain name: a name and its extension, such as example.com`},
		{name: "example", currency: "USD", domain: "example", status: DomainMalformed,
			message: `"example" is not a domain name: a name and its extension, such as example.com`},
		{name: "-bad-.com", currency: "USD", domain: "-bad-.com", status: DomainMalformed,
			message: `"-bad-.com" is not a domain name: a name and its extension, such as example.com`},
		// Through Namecheap's sandbox over HTTP: names beginning "taken" are taken.
		{name: "taken-name.net", currency: "USD", domain: "taken-name.net", status: DomainTaken, checked: true, canTransfer: true,
			message: "taken-name.net is already registered; if it is yours, transfer it to us", register1: 1100, transfer3: 3300},
		{name: "free-name.net", currency: "USD", domain: "free-name.net", status: DomainAvailable, checked: true,
			message: "free-name.net is available", register1: 1100, transfer3: 3300},
		{name: "premium-name.net", currency: "USD", domain: "premium-name.net", status: DomainPremium, checked: true,
			message: "premium-name.net is a premium name, not sold at the standard price", register1: 1100, transfer3: 3300},
	} {
		t.Run(tc.name+"/"+tc.currency, func(t *testing.T) {
			a, err := cat.CheckDomain(ctx, "203.0.113.9", tc.name, tc.currency)
			require.NoError(t, err)
			require.Equal(t, tc.domain, a.Domain)
			require.Equal(t, tc.status, a.Status)
			require.Equal(t, tc.checked, a.Checked)
			require.Equal(t, tc.canTransfer, a.CanTransfer)
			require.Equal(t, tc.message, a.Message)
			if tc.register1 == 0 {
				require.Empty(t, a.Register)
				return
			}
			require.Len(t, a.Register, MaxDomainYears)
			require.Equal(t, PeriodPrice{Years: 1, Price: tc.register1}, a.Register[0])
			require.Equal(t, PeriodPrice{Years: 10, Price: 10 * tc.register1}, a.Register[9])
			require.Equal(t, PeriodPrice{Years: 3, Price: tc.transfer3}, a.Transfer[2])
		})
	}
}

// A check is answered from the cache for a while, and one client address gets a budget of
// registrar checks: a burst, then one every few seconds.
func TestCheckDomainIsCachedAndRateLimited(t *testing.T) {
	cat, fake, now := availabilityCatalog(t)
	ctx := context.Background()
	for range 3 {
		a, err := cat.CheckDomain(ctx, "203.0.113.9", "cached.com", "USD")
		require.NoError(t, err)
		require.Equal(t, DomainAvailable, a.Status)
	}
	require.Equal(t, 1, fake.Calls(), "answered from the cache")
	*now = now.Add(checkCacheFor)
	_, err := cat.CheckDomain(ctx, "203.0.113.9", "cached.com", "USD")
	require.NoError(t, err)
	require.Equal(t, 2, fake.Calls(), "asked again once the answer is old")

	// Two minutes refilled the address's budget: it has spent 1 of its burst. The rest go,
	// then it is refused.
	for i := range checkBurst - 1 {
		_, err := cat.CheckDomain(ctx, "203.0.113.9", "name"+string(rune('a'+i))+".com", "USD")
		require.NoError(t, err, i)
	}
	_, err = cat.CheckDomain(ctx, "203.0.113.9", "one-too-many.com", "USD")
	require.ErrorIs(t, err, ErrTooManyChecks)
	var f *fault.Error
	require.ErrorAs(t, err, &f)
	require.Equal(t, fault.Unavailable, f.Kind)
	// Answers already known, and names the registrar is not asked about, cost nothing.
	_, err = cat.CheckDomain(ctx, "203.0.113.9", "cached.com", "USD")
	require.NoError(t, err)
	_, err = cat.CheckDomain(ctx, "203.0.113.9", "by-hand.org", "USD")
	require.NoError(t, err)
	// Another address has its own budget; the same /64 of IPv6 shares one.
	_, err = cat.CheckDomain(ctx, "198.51.100.1", "other.com", "USD")
	require.NoError(t, err)
	for i := range checkBurst {
		_, err := cat.CheckDomain(ctx, "2001:db8::"+string(rune('a'+i%6)), "six"+string(rune('a'+i))+".com", "USD")
		require.NoError(t, err, i)
	}
	_, err = cat.CheckDomain(ctx, "2001:db8::ffff", "seven.com", "USD")
	require.ErrorIs(t, err, ErrTooManyChecks, "the /64 is one client")
	// The budget refills with time.
	*now = now.Add(checkRefill)
	_, err = cat.CheckDomain(ctx, "203.0.113.9", "one-too-many.com", "USD")
	require.NoError(t, err)
}

// A registrar that hangs or fails is bounded: the customer is told to try again, and the
// failure is not cached.
func TestCheckDomainRegistrarTrouble(t *testing.T) {
	cat, fake, _ := availabilityCatalog(t)
	ctx := context.Background()
	fake.hang = true
	start := time.Now()
	deadline, cancel := context.WithTimeout(ctx, 50*time.Millisecond) // the caller's own bound is kept too
	defer cancel()
	_, err := cat.CheckDomain(deadline, "203.0.113.9", "slow.com", "USD")
	require.ErrorIs(t, err, errRegistrarSilent)
	require.Less(t, time.Since(start), checkTimeout)

	fake.hang, fake.fail = false, errors.New("connection refused")
	_, err = cat.CheckDomain(ctx, "203.0.113.9", "slow.com", "USD")
	require.ErrorIs(t, err, errRegistrarSilent)
	fake.fail = nil
	a, err := cat.CheckDomain(ctx, "203.0.113.9", "slow.com", "USD")
	require.NoError(t, err)
	require.Equal(t, DomainAvailable, a.Status)
	require.Equal(t, 3, fake.Calls(), "no failure was cached")
}
