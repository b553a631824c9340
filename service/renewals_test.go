package service

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/registrar"
)

// gatedManager is a fakeManager whose expiry-date reads, while gated, each wait for the test to
// release them: it hands the test one channel per read on calls and reads on once it is closed.
type gatedManager struct {
	*fakeManager
	gated atomic.Bool
	calls chan chan struct{}
}

func (m *gatedManager) Expiry(ctx context.Context, domain string) (time.Time, error) {
	if m.gated.Load() {
		release := make(chan struct{})
		select {
		case m.calls <- release:
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		}
		select {
		case <-release:
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		}
	}
	return m.fakeManager.Expiry(ctx, domain)
}

// within waits for c, failing the test after a while.
func within[T any](t *testing.T, c <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
	panic("unreachable")
}

// A retry that overlaps the renewal it retries buys nothing: it arrives while the first call is
// reading the expiry date, the first call buys the renewal and settles it done, and then the
// retry goes on. It is refused as in progress, or answered with the first call's success; the
// registrar sells one renewal. A retry after the first call has settled done, within the lease,
// answers success without buying either.
func TestRenewalOverlappingRetryBuysOnce(t *testing.T) {
	ctx := context.Background()
	s, fake, id := renewalEnv(t)
	mg := &gatedManager{fakeManager: fake, calls: make(chan chan struct{})}
	mg.gated.Store(true)
	s.Registrars = registrar.Registry{"fake": mg}

	renew := func() <-chan error {
		c := make(chan error, 1)
		go func() { c <- s.RenewDomain(ctx, id, 1, order.WHMCSAPI) }()
		return c
	}
	first := renew()
	releaseFirst := within(t, mg.calls, "the first call to read the expiry date")
	retry := renew()
	var retryErr error
	retryAnswered := false
	select {
	case releaseRetry := <-mg.calls:
		// The retry got as far as reading the expiry date too; it reads it after the first
		// call is done.
		close(releaseFirst)
		require.NoError(t, within(t, first, "the first call"))
		close(releaseRetry)
		retryErr = within(t, retry, "the retry")
	case retryErr = <-retry:
		retryAnswered = true
		close(releaseFirst)
		require.NoError(t, within(t, first, "the first call"))
	case <-time.After(10 * time.Second):
		t.Fatal("the retry neither answered nor read the expiry date")
	}
	if retryErr != nil {
		var e *Error
		require.True(t, errors.As(retryErr, &e) && e.Kind == Conflict, "the retry: %v", retryErr)
		require.True(t, retryAnswered, "the retry was refused after the first call was done: %v", retryErr)
	}
	require.Equal(t, 1, fake.renewals, "renewals bought at the registrar")

	// The client retries again now that the first call is done: its success, nothing bought.
	mg.gated.Store(false)
	require.NoError(t, s.RenewDomain(ctx, id, 1, order.WHMCSAPI))
	require.Equal(t, 1, fake.renewals, "renewals bought at the registrar")
	var audits int
	require.NoError(t, s.Pool.QueryRow(ctx, `SELECT count(*) FROM order_events e JOIN order_domains d ON d.order_id = e.order_id
		WHERE d.id = $1 AND e.action = 'domain-renew'`, id).Scan(&audits))
	require.Equal(t, 1, audits, "audit lines of a renewal")
}
