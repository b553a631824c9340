package catalog

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/testenv"
)

// testerPanel is a panel module that tests connections; provisioning's none does not.
type testerPanel struct{ provisioning.Provisioner }

func (testerPanel) TestConnection(context.Context, provisioning.Server) (string, error) {
	return "1", nil
}

// fakeTester answers Test Connection as the workflow would, and says what it was asked.
type fakeTester struct {
	asked []int64
	res   ConnectionTest
	err   error
}

func (f *fakeTester) TestServer(_ context.Context, id int64) (ConnectionTest, error) {
	f.asked = append(f.asked, id)
	return f.res, f.err
}

// serverCatalog is a catalogue over a fresh database with the panel modules none and "panel"
// (which tests connections), and a sealing box.
func serverCatalog(t *testing.T) (*Catalog, *secrets.Box) {
	pool, _ := testenv.Database(t)
	box, err := secrets.FromBase64(secrets.NewKey())
	require.NoError(t, err)
	panels := provisioning.NewRegistry()
	panels["panel"] = testerPanel{panels[provisioning.None]}
	return New(pool, box, nil, panels, nil, nil), box
}

func TestUpdateServer(t *testing.T) {
	no := false
	for _, tc := range []struct {
		name  string
		edit  func(*NewServer)
		field string // the refusal's field; "" succeeds
	}{
		{name: "a new name and limit", edit: func(n *NewServer) { n.Name, n.MaxAccounts = "whm2", 500 }},
		{name: "disabled in the same edit", edit: func(n *NewServer) { n.Active = &no }},
		{name: "name required", edit: func(n *NewServer) { n.Name = "  " }, field: "name"},
		{name: "unknown module", edit: func(n *NewServer) { n.Module = "plesk" }, field: "module"},
		{name: "hostname with a path", edit: func(n *NewServer) { n.Hostname = "whm.example.net/admin" }, field: "hostname"},
		{name: "negative max accounts", edit: func(n *NewServer) { n.MaxAccounts = -1 }, field: "max_accounts"},
		{name: "module of a server with accounts", edit: func(n *NewServer) { n.Module = provisioning.None }, field: "module"},
		{name: "the kept token to another host", edit: func(n *NewServer) { n.Hostname = "elsewhere.example.net:2087" }, field: "credentials"},
		{name: "the kept token to another user", edit: func(n *NewServer) { n.Username = "reseller" }, field: "credentials"},
		{name: "the kept token without checking the certificate", edit: func(n *NewServer) { n.TLSSkipVerify = true }, field: "credentials"},
		{name: "another host with the token typed again", edit: func(n *NewServer) { n.Hostname, n.Credentials = "elsewhere.example.net", "token-1" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cat, box := serverCatalog(t)
			ctx := context.Background()
			n := NewServer{Name: "whm1", Module: "panel", Hostname: "whm.example.net:2087", Username: "root", Credentials: "token-1", MaxAccounts: 100}
			srv, err := cat.CreateServer(ctx, n)
			require.NoError(t, err)
			holdAccount(t, cat, srv.ID)
			n.Credentials = "" // the edit form's empty secret: keep it
			tc.edit(&n)
			got, err := cat.UpdateServer(ctx, srv.ID, n)
			if tc.field != "" {
				var fe *fault.Error
				require.True(t, errors.As(err, &fe), "%v", err)
				require.Equal(t, fault.Invalid, fe.Kind)
				require.Equal(t, tc.field, fe.Field, fe.Error())
				return
			}
			require.NoError(t, err)
			require.Equal(t, n.Name, got.Name)
			require.Equal(t, n.MaxAccounts, got.MaxAccounts)
			require.Equal(t, n.Active == nil, got.Active)
			require.Equal(t, int64(1), got.Accounts)
			row, err := cat.q().GetServer(ctx, srv.ID)
			require.NoError(t, err)
			creds, err := box.OpenFor(row.Credentials, secrets.ServerCredentials(srv.ID))
			require.NoError(t, err)
			require.Equal(t, "token-1", creds, "an empty secret keeps the stored one")
		})
	}
}

func TestUpdateServerReplacesCredentialsAndRefusesNoServer(t *testing.T) {
	cat, box := serverCatalog(t)
	ctx := context.Background()
	n := NewServer{Name: "whm1", Module: "panel", Hostname: "whm.example.net", Credentials: "token-1"}
	srv, err := cat.CreateServer(ctx, n)
	require.NoError(t, err)
	n.Credentials = "token-2"
	_, err = cat.UpdateServer(ctx, srv.ID, n)
	require.NoError(t, err)
	row, err := cat.q().GetServer(ctx, srv.ID)
	require.NoError(t, err)
	creds, err := box.OpenFor(row.Credentials, secrets.ServerCredentials(srv.ID))
	require.NoError(t, err)
	require.Equal(t, "token-2", creds)

	var fe *fault.Error
	_, err = cat.UpdateServer(ctx, srv.ID+100, n)
	require.True(t, errors.As(err, &fe) && fe.Kind == fault.NotFound, "%v", err)
	_, err = cat.SetServerActive(ctx, srv.ID+100, false)
	require.True(t, errors.As(err, &fe) && fe.Kind == fault.NotFound, "%v", err)
	_, err = cat.Server(ctx, srv.ID+100)
	require.True(t, errors.As(err, &fe) && fe.Kind == fault.NotFound, "%v", err)
}

// A disabled server gets no new accounts; enabled again, it does.
func TestSetServerActive(t *testing.T) {
	cat, _ := serverCatalog(t)
	ctx := context.Background()
	srv, err := cat.CreateServer(ctx, NewServer{Name: "whm1", Module: "panel", Hostname: "whm.example.net"})
	require.NoError(t, err)
	got, err := cat.SetServerActive(ctx, srv.ID, false)
	require.NoError(t, err)
	require.False(t, got.Active)
	require.ErrorContains(t, cat.CheckServerFor(ctx, nil, "server_id", srv.ID), "is not active")
	got, err = cat.SetServerActive(ctx, srv.ID, true)
	require.NoError(t, err)
	require.True(t, got.Active)
	require.NoError(t, cat.CheckServerFor(ctx, nil, "server_id", srv.ID))
}

func TestTestServerConnection(t *testing.T) {
	cat, _ := serverCatalog(t)
	ctx := context.Background()
	whm, err := cat.CreateServer(ctx, NewServer{Name: "whm1", Module: "panel", Hostname: "whm.example.net"})
	require.NoError(t, err)
	manual, err := cat.CreateServer(ctx, NewServer{Name: "by hand", Module: provisioning.None, Hostname: "box.example.net"})
	require.NoError(t, err)

	_, err = cat.TestServerConnection(ctx, whm.ID)
	var fe *fault.Error
	require.True(t, errors.As(err, &fe) && fe.Kind == fault.Unavailable, "no Temporal: %v", err)

	ft := &fakeTester{res: ConnectionTest{Version: "11.126.0.21"}}
	cat.WithServerTester(ft)
	got, err := cat.TestServerConnection(ctx, whm.ID)
	require.NoError(t, err)
	require.True(t, got.OK())
	require.Equal(t, []int64{whm.ID}, ft.asked)

	_, err = cat.TestServerConnection(ctx, manual.ID)
	require.True(t, errors.As(err, &fe) && fe.Kind == fault.Invalid && fe.Field == "module", "none cannot test: %v", err)
	_, err = cat.TestServerConnection(ctx, whm.ID+100)
	require.True(t, errors.As(err, &fe) && fe.Kind == fault.NotFound, "%v", err)
	require.Len(t, ft.asked, 1, "only a server whose module can test is asked")
}

// holdAccount puts an Active account of a fresh order on server id.
func holdAccount(t *testing.T, cat *Catalog, serverID int64) {
	t.Helper()
	ctx := context.Background()
	_, err := cat.pool.Exec(ctx, `
WITH c AS (INSERT INTO clients (first_name, last_name, email, currency) VALUES ('Ada', 'L', 'ada@example.com', 'USD') RETURNING id),
     p AS (INSERT INTO products (name, type, module, auto_setup) VALUES ('Basic', 'hostingaccount', 'panel', 'accept') RETURNING id),
     o AS (INSERT INTO orders (id, workflow_id, order_number, client_id, status, payment_method, currency, amount)
           SELECT nextval('orders_id_seq'), 'order-test', 1234567890, c.id, 'Active', 'manual', 'USD', 1000 FROM c RETURNING id)
INSERT INTO order_services (order_id, position, product_id, domain, billing_cycle, setup_fee, amount, status, server_id)
SELECT o.id, 0, p.id, 'a.com', 'monthly', 0, 1000, 'Active', $1 FROM o, p`, serverID)
	require.NoError(t, err)
}
