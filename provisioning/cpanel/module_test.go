package cpanel

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/sandbox/whm"
)

// sandbox starts a WHM sandbox over TLS with a self-signed certificate, as a fresh panel has.
func sandbox(t *testing.T) (*whm.Server, provisioning.Server) {
	fake := whm.New("root", "TOKEN123")
	ts := httptest.NewTLSServer(fake)
	t.Cleanup(ts.Close)
	return fake, provisioning.Server{ID: 1, Hostname: strings.TrimPrefix(ts.URL, "https://"), Username: "root",
		Credentials: "TOKEN123", SkipTLSVerify: true}
}

func acct(srv provisioning.Server) provisioning.Account {
	return provisioning.Account{ServiceID: 1, Domain: "example.com", Username: "examplec", Password: "S3cure!pass-word",
		Package: "starter", Email: "ada@example.com", Server: srv}
}

func TestCreateIsIdempotent(t *testing.T) {
	fake, srv := sandbox(t)
	m := &Module{Timeout: 5 * time.Second}
	ctx := context.Background()
	require.NoError(t, m.Create(ctx, acct(srv)))
	require.NoError(t, m.Create(ctx, acct(srv)), "a retry after a lost reply")
	require.Len(t, fake.Accounts(), 1)
	require.Equal(t, 1, fake.Calls("createacct"))
	got := fake.Accounts()[0]
	require.Equal(t, "example.com", got.Domain)
	require.Equal(t, "starter", got.Plan)
	require.Equal(t, "ada@example.com", got.Email)
}

func TestCreateReportedAsFailedButDoneSucceeds(t *testing.T) {
	fake, srv := sandbox(t)
	fake.CreateButReportFailure()
	require.NoError(t, New().Create(context.Background(), acct(srv)))
	require.Len(t, fake.Accounts(), 1)
}

func TestCreateFailuresReachTheAdminWordForWord(t *testing.T) {
	for _, tc := range []struct {
		name    string
		setup   func(*whm.Server, *provisioning.Server, *provisioning.Account)
		want    string
		retries bool
	}{
		{name: "unknown package", setup: func(_ *whm.Server, _ *provisioning.Server, a *provisioning.Account) { a.Package = "gold" },
			want: "createacct: Unable to find the package “gold”."},
		{name: "username of another customer", setup: func(f *whm.Server, s *provisioning.Server, a *provisioning.Account) {
			b := *a
			b.Domain = "other.org"
			require.NoError(t, New().Create(context.Background(), b))
		}, want: "username taken on the server: examplec belongs to other.org on"},
		{name: "first 8 letters of another account", setup: func(f *whm.Server, s *provisioning.Server, a *provisioning.Account) {
			b := *a
			b.Username, b.Domain = "examplecx", "other.org"
			require.NoError(t, New().Create(context.Background(), b))
		}, want: "username taken on the server: Sorry, a group for that username already exists."},
		{name: "domain elsewhere on the server", setup: func(f *whm.Server, s *provisioning.Server, a *provisioning.Account) {
			b := *a
			b.Username = "someone"
			require.NoError(t, New().Create(context.Background(), b))
		}, want: "createacct: Sorry, the domain “example.com” is already owned by another user."},
		{name: "WHM says no", setup: func(f *whm.Server, _ *provisioning.Server, _ *provisioning.Account) {
			f.FailNext("createacct", "Your license does not allow more accounts.")
		}, want: "createacct: Your license does not allow more accounts."},
		{name: "bad token", setup: func(_ *whm.Server, s *provisioning.Server, _ *provisioning.Account) { s.Credentials = "WRONG" },
			want: "WHM refused the API token (HTTP 403): Access denied"},
		{name: "self-signed certificate not allowed", setup: func(_ *whm.Server, s *provisioning.Server, _ *provisioning.Account) {
			s.SkipTLSVerify = false
		}, want: "the server's TLS certificate is not trusted"},
		{name: "WHM restarting", setup: func(f *whm.Server, _ *provisioning.Server, _ *provisioning.Account) { f.Down(1) },
			want: "HTTP 503", retries: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, srv := sandbox(t)
			a := acct(srv)
			tc.setup(fake, &a.Server, &a)
			err := New().Create(context.Background(), a)
			require.ErrorContains(t, err, tc.want)
			require.Equal(t, !tc.retries, permanent.Is(err), "permanent: %v", err)
			require.Equal(t, strings.HasPrefix(tc.want, "username taken"), errors.Is(err, provisioning.ErrUsernameTaken), "%v", err)
		})
	}
}

func TestAccountOperationsAreIdempotent(t *testing.T) {
	fake, srv := sandbox(t)
	m, ctx, a := New(), context.Background(), acct(srv)
	require.NoError(t, m.Create(ctx, a))

	require.NoError(t, m.Suspend(ctx, a, "Overdue on payment"))
	require.True(t, fake.Accounts()[0].Suspended)
	require.Equal(t, "Overdue on payment", fake.Accounts()[0].Reason)
	require.NoError(t, m.Unsuspend(ctx, a))
	require.False(t, fake.Accounts()[0].Suspended)

	a.Package = "business"
	require.NoError(t, m.ChangePackage(ctx, a))
	require.Equal(t, "business", fake.Accounts()[0].Plan)
	a.Package = "platinum"
	require.ErrorContains(t, m.ChangePackage(ctx, a), "changepackage: Specified package “platinum” does not exist.")

	a.Password = "N3w-pass-word!"
	require.NoError(t, m.ChangePassword(ctx, a))
	require.Equal(t, "N3w-pass-word!", fake.Password("examplec"))

	require.NoError(t, m.Terminate(ctx, a))
	require.NoError(t, m.Terminate(ctx, a), "terminating what is gone succeeds")
	require.Empty(t, fake.Accounts())
	err := m.Suspend(ctx, a, "x")
	require.True(t, permanent.Is(err))
	require.ErrorContains(t, err, "suspendacct: The user “examplec” does not exist.")
}

// An account of this service's username that WHM holds for another domain is another
// customer's: no operation touches it, as Create never does.
func TestOperationsRefuseAnotherDomainsAccount(t *testing.T) {
	for _, tc := range []struct {
		name string
		op   func(*Module, provisioning.Account) error
		call string
	}{
		{"suspend", func(m *Module, a provisioning.Account) error { return m.Suspend(context.Background(), a, "Overdue") }, "suspendacct"},
		{"unsuspend", func(m *Module, a provisioning.Account) error { return m.Unsuspend(context.Background(), a) }, "unsuspendacct"},
		{"terminate", func(m *Module, a provisioning.Account) error { return m.Terminate(context.Background(), a) }, "removeacct"},
		{"change package", func(m *Module, a provisioning.Account) error { return m.ChangePackage(context.Background(), a) }, "changepackage"},
		{"change password", func(m *Module, a provisioning.Account) error { return m.ChangePassword(context.Background(), a) }, "passwd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, srv := sandbox(t)
			m := New()
			other := acct(srv)
			other.Domain = "other.org"
			require.NoError(t, m.Create(context.Background(), other))

			a := acct(srv) // same username, this service's domain
			a.Package, a.Password = "business", "An0ther-pass-word"
			err := tc.op(m, a)
			require.ErrorContains(t, err, "username taken on the server: examplec belongs to other.org on")
			require.True(t, permanent.Is(err), "%v", err)
			require.ErrorIs(t, err, provisioning.ErrUsernameTaken)
			require.Zero(t, fake.Calls(tc.call), "WHM was never asked to %s", tc.call)
			got := fake.Accounts()
			require.Len(t, got, 1)
			require.Equal(t, "other.org", got[0].Domain)
			require.False(t, got[0].Suspended)
			require.Equal(t, "starter", got[0].Plan)
			require.Equal(t, "S3cure!pass-word", fake.Password("examplec"))
		})
	}
}

func TestDomainIsComparedWithoutCase(t *testing.T) {
	fake, srv := sandbox(t)
	m, ctx, a := New(), context.Background(), acct(srv)
	require.NoError(t, m.Create(ctx, a))
	a.Domain = "Example.COM"
	require.NoError(t, m.Suspend(ctx, a, "Overdue"))
	require.NoError(t, m.Terminate(ctx, a))
	require.Empty(t, fake.Accounts())
}

func TestTerminateOfAnAccountAlreadyGoneCallsNoRemove(t *testing.T) {
	fake, srv := sandbox(t)
	require.NoError(t, New().Terminate(context.Background(), acct(srv)))
	require.Zero(t, fake.Calls("removeacct"))
}

// The module keeps one transport per server configuration, so calls to a server reuse their
// connections (and TLS handshakes) instead of dialling afresh each time.
func TestCallsReuseTheServersConnections(t *testing.T) {
	fake := whm.New("root", "TOKEN123")
	ts := httptest.NewUnstartedServer(fake)
	var mu sync.Mutex
	conns := 0
	ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			mu.Lock()
			conns++
			mu.Unlock()
		}
	}
	ts.StartTLS()
	t.Cleanup(ts.Close)
	srv := provisioning.Server{ID: 1, Hostname: strings.TrimPrefix(ts.URL, "https://"), Username: "root",
		Credentials: "TOKEN123", SkipTLSVerify: true}
	m, ctx, a := New(), context.Background(), acct(srv)
	require.NoError(t, m.Create(ctx, a))
	require.NoError(t, m.Suspend(ctx, a, "Overdue"))
	require.NoError(t, m.Unsuspend(ctx, a))
	require.NoError(t, m.Terminate(ctx, a))
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, 1, conns, "one connection for every call")

	require.Same(t, m.client(srv).http.Transport, m.client(srv).http.Transport)
	verified := srv
	verified.SkipTLSVerify = false
	require.NotSame(t, m.client(srv).http.Transport, m.client(verified).http.Transport,
		"a server whose certificate must be verified never shares a transport that skips it")
	other := srv
	other.Credentials = "OTHER"
	require.Same(t, m.client(srv).http.Transport, m.client(other).http.Transport, "the token is a header, not the transport's")
}
