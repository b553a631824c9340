package namecheap

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/sandbox/namecheap"
)

func sandbox(t *testing.T) (*namecheap.Server, *Module) {
	fake := namecheap.New("hostflow", "KEY123")
	fake.ClientIPs = []string{"198.51.100.7"}
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	return fake, New(Config{URL: ts.URL, APIUser: "hostflow", APIKey: "KEY123", ClientIP: "198.51.100.7"})
}

func domain(name string) registrar.Domain {
	return registrar.Domain{DomainID: 1, Name: name, Period: 2, Nameservers: []string{"ns1.host.example", "ns2.host.example"},
		Registrant: registrar.Contact{FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", Address1: "1 Analytical Way",
			City: "London", Postcode: "N1 1AA", Country: "GB", Phone: "020 7946 0000"}}
}

func TestRegisterIsIdempotent(t *testing.T) {
	fake, m := sandbox(t)
	ctx := context.Background()
	fake.DropReply("namecheap.domains.create")
	_, err := m.Register(ctx, domain("example.com"))
	require.Error(t, err, "the reply was lost")
	require.False(t, permanent.Is(err), "a lost reply is retried")

	retry := domain("example.com")
	retry.Ref = registrar.Requested // as the activity saved it before the first try
	res, err := m.Register(ctx, retry)
	require.NoError(t, err)
	require.Equal(t, order.Active, res.Status)
	require.Equal(t, 1, fake.Calls("namecheap.domains.create"), "the retry found the domain and bought nothing")

	// Another order's first try finds the domain in the account: it is not theirs.
	_, err = m.Register(ctx, domain("example.com"))
	require.ErrorContains(t, err, "not through this order")
	require.True(t, permanent.Is(err))
	mine := domain("example.com")
	mine.Ref = res.Ref // the registrar's id, saved after the first order's registration
	_, err = m.Register(ctx, mine)
	require.NoError(t, err)
	got := fake.Domains()
	require.Len(t, got, 1)
	require.Equal(t, 2, got[0].Years)
	require.Equal(t, []string{"ns1.host.example", "ns2.host.example"}, got[0].Nameservers)
	require.Equal(t, "Ada Lovelace", got[0].Registrant)
	require.NotEmpty(t, res.Ref)
}

func TestRegisterErrorsReachTheAdmin(t *testing.T) {
	for _, tc := range []struct {
		name    string
		setup   func(*namecheap.Server, *registrar.Domain, *Module)
		want    string
		retries bool
	}{
		{name: "taken", setup: func(_ *namecheap.Server, d *registrar.Domain, _ *Module) { d.Name = "taken-already.com" },
			want: "taken-already.com is not available for registration"},
		{name: "registrar refuses", setup: func(f *namecheap.Server, _ *registrar.Domain, _ *Module) {
			f.FailNext("namecheap.domains.create", "2528166", "Order creation failed")
		}, want: "Order creation failed (error 2528166)"},
		{name: "IP not whitelisted", setup: func(_ *namecheap.Server, _ *registrar.Domain, m *Module) { m.c.cfg.ClientIP = "203.0.113.1" },
			want: "namecheap account: Invalid request IP: 203.0.113.1 (error 1011150)"},
		{name: "bad key", setup: func(_ *namecheap.Server, _ *registrar.Domain, m *Module) { m.c.cfg.APIKey = "nope" },
			want: "API Key is invalid"},
		{name: "client without address", setup: func(_ *namecheap.Server, d *registrar.Domain, _ *Module) { d.Registrant.Address1 = "" },
			want: "the client's address is required to register a domain"},
		{name: "phone from an unknown country", setup: func(_ *namecheap.Server, d *registrar.Domain, _ *Module) {
			d.Registrant.Country, d.Registrant.Phone = "AQ", "12345"
		}, want: "must be written +CC.NUMBER"},
		{name: "rate limited", setup: func(f *namecheap.Server, _ *registrar.Domain, _ *Module) { f.RateLimit(1) },
			want: "rate limited (HTTP 405)", retries: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, m := sandbox(t)
			d := domain("example.com")
			tc.setup(fake, &d, m)
			_, err := m.Register(context.Background(), d)
			require.ErrorContains(t, err, tc.want)
			require.Equal(t, !tc.retries, permanent.Is(err), "%v", err)
			require.Empty(t, fake.Domains())
		})
	}
}

func TestTransferIsIdempotent(t *testing.T) {
	fake, m := sandbox(t)
	ctx := context.Background()
	d := domain("moving.net")
	_, err := m.Transfer(ctx, registrar.Domain{Name: "moving.net"})
	require.ErrorContains(t, err, "needs its EPP code")
	d.EPPCode = "EPP-secret"
	fake.DropReply("namecheap.domains.transfer.create")
	_, err = m.Transfer(ctx, d)
	require.Error(t, err)
	d.Ref = registrar.Requested
	res, err := m.Transfer(ctx, d)
	require.NoError(t, err)
	require.Equal(t, order.PendingTransfer, res.Status)
	require.Len(t, fake.Transfers(), 1, "the open transfer was found, not started again")

	fake.CompleteTransfer("moving.net")
	res, err = m.Transfer(ctx, d)
	require.NoError(t, err)
	require.Equal(t, order.Active, res.Status, "a domain already here has nothing left to transfer")
}

func TestNamecheapPhone(t *testing.T) {
	for _, tc := range []struct{ phone, country, want string }{
		{"+44.2079460000", "GB", "+44.2079460000"},
		{"+44 20 7946 0000", "GB", "+44.2079460000"},
		{"020 7946 0000", "GB", "+44.2079460000"},
		{"(415) 555-0100", "US", "+1.4155550100"},
		{"+1 415 555 0100", "us", "+1.4155550100"},
	} {
		got, err := namecheapPhone(tc.phone, tc.country)
		require.NoError(t, err, tc.phone)
		require.Equal(t, tc.want, got, tc.phone)
	}
	_, err := namecheapPhone("", "GB")
	require.Error(t, err)
}

func TestStatusFollowsAPendingDomain(t *testing.T) {
	fake, m := sandbox(t)
	ctx := context.Background()
	d := domain("moving.net")
	d.EPPCode = "EPP-secret"
	_, err := m.Transfer(ctx, d)
	require.NoError(t, err)
	res, err := m.Status(ctx, d)
	require.NoError(t, err)
	require.Equal(t, order.PendingTransfer, res.Status)
	fake.CompleteTransfer("moving.net")
	res, err = m.Status(ctx, d)
	require.NoError(t, err)
	require.Equal(t, order.Active, res.Status)

	refused := domain("staying.org")
	refused.EPPCode = "EPP-wrong"
	_, err = m.Transfer(ctx, refused)
	require.NoError(t, err)
	fake.CancelTransfer("staying.org")
	_, err = m.Status(ctx, refused)
	require.True(t, permanent.Is(err))
	require.ErrorContains(t, err, "the transfer of staying.org ended: Cancelled")

	res, err = m.Status(ctx, domain("slow-registry.com"))
	require.NoError(t, err)
	require.Equal(t, order.PendingRegistration, res.Status, "not in the account yet: the registry is still at it")
}
