package namecheap

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/sandbox/namecheap"
)

// The module is a registrar.Checker, so the core can ask it through the registry.
var _ registrar.Checker = (*Module)(nil)

func TestCheckAnswersEachNameInOrder(t *testing.T) {
	fake, m := sandbox(t)
	ctx := context.Background()
	_, err := m.Register(ctx, domain("mine.com"))
	require.NoError(t, err)

	got, err := m.Check(ctx, []string{"free.com", "taken-elsewhere.com", "mine.com", "premiumname.xyz", "FREE2.net"})
	require.NoError(t, err)
	zero := registrar.Availability{PremiumRegistration: "0", PremiumRenewal: "0", PremiumTransfer: "0", PremiumRestore: "0",
		IcannFee: "0", EapFee: "0"}
	with := func(name string, available bool) registrar.Availability {
		a := zero
		a.Name, a.Available = name, available
		return a
	}
	require.Equal(t, []registrar.Availability{
		with("free.com", true),
		with("taken-elsewhere.com", false), // names beginning "taken" are the rest of the world's
		with("mine.com", false),            // registered in the sandbox a moment ago
		{Name: "premiumname.xyz", Available: true, Premium: true, PremiumRegistration: "13000.0000", PremiumRenewal: "13000.0000",
			PremiumTransfer: "13000.0000", PremiumRestore: "65.0000", IcannFee: "0", EapFee: "0"},
		with("FREE2.net", true), // answered under the name as asked, whatever case Namecheap writes
	}, got)
	require.Equal(t, 2, fake.Calls("namecheap.domains.check"), "one for the register, one for the list")
}

func TestCheckSplitsLongListsAtNamecheapsLimit(t *testing.T) {
	fake, m := sandbox(t)
	names := make([]string, MaxCheck+1)
	for i := range names {
		names[i] = fmt.Sprintf("name%d.com", i)
	}
	got, err := m.Check(context.Background(), names)
	require.NoError(t, err)
	require.Len(t, got, len(names))
	require.Equal(t, names[MaxCheck], got[MaxCheck].Name)
	require.Equal(t, 2, fake.Calls("namecheap.domains.check"), "Namecheap takes 50 names a command")
}

func TestCheckErrorsKeepNamecheapsWords(t *testing.T) {
	for _, tc := range []struct {
		name    string
		setup   func(*namecheap.Server, *Module)
		names   []string
		want    string
		retries bool
	}{
		{name: "malformed", names: []string{"not a domain"}, want: "Domain is invalid (error 2030166)"},
		{name: "refused", setup: func(f *namecheap.Server, _ *Module) {
			f.FailNext("namecheap.domains.check", "3031510", "Error response from provider")
		}, names: []string{"free.com"}, want: "Error response from provider (error 3031510)"},
		{name: "bad key", setup: func(_ *namecheap.Server, m *Module) { m.c.cfg.APIKey = "nope" }, names: []string{"free.com"},
			want: "namecheap account: API Key is invalid"},
		{name: "rate limited", setup: func(f *namecheap.Server, _ *Module) { f.RateLimit(1) }, names: []string{"free.com"},
			want: "rate limited (HTTP 405)", retries: true},
		{name: "reply lost", setup: func(f *namecheap.Server, _ *Module) { f.DropReply("namecheap.domains.check") },
			names: []string{"free.com"}, want: "HTTP 502", retries: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, m := sandbox(t)
			if tc.setup != nil {
				tc.setup(fake, m)
			}
			_, err := m.Check(context.Background(), tc.names)
			require.ErrorContains(t, err, tc.want)
			require.Equal(t, !tc.retries, permanent.Is(err), "%v", err)
		})
	}
}

// The sandbox answers namecheap.domains.check as Namecheap's documentation shows it: every
// attribute of DomainCheckResult, and its numbered refusals.
func TestSandboxCheckSpeaksNamecheap(t *testing.T) {
	fake := namecheap.New("hostflow", "KEY123")
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	post := func(list string) string {
		form := url.Values{"ApiUser": {"hostflow"}, "ApiKey": {"KEY123"}, "UserName": {"hostflow"}, "ClientIp": {"198.51.100.7"},
			"Command": {"namecheap.domains.check"}, "DomainList": {list}}
		resp, err := http.PostForm(ts.URL, form)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return string(body)
	}
	body := post("testapi.xyz")
	require.Contains(t, body, `<DomainCheckResult Domain="testapi.xyz" Available="true" ErrorNo="0" Description="" IsPremiumName="false" `+
		`PremiumRegistrationPrice="0" PremiumRenewalPrice="0" PremiumRestorePrice="0" PremiumTransferPrice="0" IcannFee="0" EapFee="0">`)
	require.Contains(t, body, `<CommandResponse Type="namecheap.domains.check">`)
	require.Contains(t, post("premium.xyz"), `IsPremiumName="true" PremiumRegistrationPrice="13000.0000"`)
	var long []byte
	for i := range MaxCheck + 1 { // MaxCheck is Namecheap's own limit
		if i > 0 {
			long = append(long, ',')
		}
		long = fmt.Appendf(long, "n%d.com", i)
	}
	require.Contains(t, post(string(long)), `<Error Number="2011169">Only 50 domains are allowed in a single check command</Error>`)
	require.Contains(t, post(""), `<Error Number="2011166">Parameter DomainList is Missing</Error>`)
}
