package namecheap

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/permanent"
)

func TestNameserversAndRenew(t *testing.T) {
	fake, m := sandbox(t)
	ctx := context.Background()
	d := domain("example.co.uk")
	d.Nameservers = nil
	_, err := m.Register(ctx, d)
	require.NoError(t, err)

	ns, err := m.Nameservers(ctx, "example.co.uk")
	require.NoError(t, err)
	require.Equal(t, []string{"dns1.registrar-servers.com", "dns2.registrar-servers.com"}, ns, "Namecheap's own until set")
	require.NoError(t, m.SetNameservers(ctx, "example.co.uk", []string{"ns1.host.example", "ns2.host.example"}))
	ns, err = m.Nameservers(ctx, "example.co.uk")
	require.NoError(t, err)
	require.Equal(t, []string{"ns1.host.example", "ns2.host.example"}, ns)
	err = m.SetNameservers(ctx, "example.co.uk", []string{"ns1.host.example"})
	require.ErrorContains(t, err, "2 to 12")
	require.True(t, permanent.Is(err))

	before, err := m.Expiry(ctx, "example.co.uk")
	require.NoError(t, err)
	after, err := m.Renew(ctx, "example.co.uk", 2)
	require.NoError(t, err)
	require.Equal(t, before.AddDate(2, 0, 0), after)
	require.Equal(t, 1, fake.Calls("namecheap.domains.renew"))

	_, err = m.Renew(ctx, "elsewhere.com", 1)
	require.ErrorContains(t, err, "Domain not found")
	require.True(t, permanent.Is(err))
}
