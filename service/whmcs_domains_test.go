package service

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/testenv"
)

// fakeManager is a registrar holding one domain; Renew moves its expiry date and notes the
// deadline it was given.
type fakeManager struct {
	mu       sync.Mutex
	expiry   time.Time
	renewals int
	deadline time.Time
}

func (*fakeManager) Register(context.Context, registrar.Domain) (registrar.Result, error) {
	return registrar.Result{}, nil
}
func (*fakeManager) Transfer(context.Context, registrar.Domain) (registrar.Result, error) {
	return registrar.Result{}, nil
}
func (*fakeManager) Status(context.Context, registrar.Domain) (registrar.Result, error) {
	return registrar.Result{}, nil
}
func (*fakeManager) Nameservers(context.Context, string) ([]string, error)  { return nil, nil }
func (*fakeManager) SetNameservers(context.Context, string, []string) error { return nil }
func (m *fakeManager) Expiry(context.Context, string) (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.expiry, nil
}
func (m *fakeManager) Renew(ctx context.Context, _ string, years int) (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deadline, _ = ctx.Deadline()
	m.renewals++
	m.expiry = m.expiry.AddDate(years, 0, 0)
	return m.expiry, nil
}

// renewalEnv is a service whose one Active domain is held by a fakeManager.
func renewalEnv(t *testing.T) (*Service, *fakeManager, int64) {
	ctx := context.Background()
	pool, _ := testenv.Database(t)
	q := db.New(pool)
	box, err := secrets.New(make([]byte, 32))
	require.NoError(t, err)
	c, err := q.CreateClient(ctx, db.CreateClientParams{FirstName: "Ada", LastName: "L", Email: "ada@example.com", Currency: "USD"})
	require.NoError(t, err)
	o := order.NewOrder{ID: 7, Number: order.RandomNumber(), ClientID: c.ID, PaymentMethod: "manual", Currency: "USD", Actor: "admin",
		Domains: []order.NewDomain{{Domain: "renew.com", Type: order.DomainRegister, Period: 1}}}
	created, err := (&activities.Activities{Pool: pool, Secrets: box}).CreateOrder(ctx, o)
	require.NoError(t, err)
	id := created.DomainIDs[0]
	require.NoError(t, q.SetDomainStatus(ctx, db.SetDomainStatusParams{ID: id, Status: order.Active, Registrar: "fake"}))
	mg := &fakeManager{expiry: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	return &Service{Pool: pool, Secrets: box, Log: zap.NewNop(), Registrars: registrar.Registry{"fake": mg}}, mg, id
}

// A retry reads a renewal's outcome from the registrar only after its lease: the call that
// claimed it must have stopped by then, or the retry could buy the renewal again.
func TestRenewalCallEndsInsideItsLease(t *testing.T) {
	ctx := context.Background()
	s, mg, id := renewalEnv(t)
	require.NoError(t, s.RenewDomain(ctx, id, 1, order.WHMCSAPI))
	var claimed time.Time
	var status string
	require.NoError(t, s.Pool.QueryRow(ctx, "SELECT created_at, status FROM domain_renewals WHERE domain_id = $1", id).Scan(&claimed, &status))
	require.Equal(t, string(renewalDone), status)
	require.False(t, mg.deadline.IsZero(), "the renewal call has no deadline")
	require.True(t, mg.deadline.Before(claimed.Add(renewalLease-time.Minute)),
		"the call may run until %s, past its lease (%s after the claim at %s) less a minute", mg.deadline, renewalLease, claimed)
}

// Two calls settling the same renewal record it once: one audit line, one expiry write.
func TestRenewalSettledOnce(t *testing.T) {
	ctx := context.Background()
	s, mg, id := renewalEnv(t)
	q := s.q()
	claim, err := q.ClaimDomainRenewal(ctx, db.ClaimDomainRenewalParams{DomainID: id, Years: 1, Actor: "admin"})
	require.NoError(t, err)
	require.Equal(t, string(renewalRequested), claim.Status)
	d, err := q.GetDomain(ctx, id)
	require.NoError(t, err)
	first, second := mg.expiry.AddDate(1, 0, 0), mg.expiry.AddDate(2, 0, 0)
	require.NoError(t, s.finishRenewal(ctx, d, claim.ID, first, order.WHMCSAPI, 1))
	require.NoError(t, s.finishRenewal(ctx, d, claim.ID, second, order.WHMCSAPI, 1))
	var audits int
	require.NoError(t, s.Pool.QueryRow(ctx, "SELECT count(*) FROM order_events WHERE order_id = $1 AND action = 'domain-renew'",
		d.OrderID).Scan(&audits))
	require.Equal(t, 1, audits)
	d, err = q.GetDomain(ctx, id)
	require.NoError(t, err)
	require.Equal(t, first, d.ExpiryDate.Time.UTC())
}
