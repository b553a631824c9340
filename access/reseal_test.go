package access_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/testenv"
)

// sealedEnv is a database with one order of two services and two domains, a server and a
// gateway, whose secrets the test seals as it likes.
type sealedEnv struct {
	svc      *service.Service
	q        *db.Queries
	orderID  int64
	services []int64
	domains  []int64
	serverID int64
}

func newSealedEnv(t *testing.T, box *secrets.Box) *sealedEnv {
	ctx := context.Background()
	pool, _ := testenv.Database(t)
	q := db.New(pool)
	c, err := q.CreateClient(ctx, db.CreateClientParams{FirstName: "Ada", LastName: "L", Email: "ada@example.com", Currency: "USD"})
	require.NoError(t, err)
	p, err := q.CreateProduct(ctx, db.CreateProductParams{Name: "Basic", Type: "hostingaccount", Module: "none", AutoSetup: "accept"})
	require.NoError(t, err)
	o := order.NewOrder{ID: 9, Number: order.RandomNumber(), ClientID: c.ID, PaymentMethod: "manual", Currency: "USD", Actor: "admin",
		Services: []order.NewService{{ProductID: p.ID, ProductName: "Basic", Domain: "a.com", BillingCycle: "monthly"},
			{ProductID: p.ID, ProductName: "Basic", Domain: "b.com", BillingCycle: "monthly"}},
		Domains: []order.NewDomain{{Domain: "a.com", Type: order.DomainTransfer, Period: 1,
			EPPCodeSealed: box.SealFor("EPP-A", secrets.NewDomainEPPCode("a.com"))},
			{Domain: "b.com", Type: order.DomainTransfer, Period: 1, EPPCodeSealed: box.SealFor("EPP-B", secrets.NewDomainEPPCode("b.com"))}}}
	created, err := (&activities.Activities{Records: records.Records{Pool: pool, Secrets: box}}).CreateOrder(ctx, o)
	require.NoError(t, err)
	e := &sealedEnv{svc: service.New(service.Config{Pool: pool, Secrets: box, Log: zap.NewNop()}), q: q, orderID: o.ID,
		services: created.ServiceIDs, domains: created.DomainIDs}
	srv, err := e.svc.CreateServer(ctx, catalog.NewServer{Name: "web1", Module: "none", Hostname: "web1.example.net", Credentials: "token"})
	require.NoError(t, err)
	e.serverID = srv.ID
	require.NoError(t, e.svc.SetGatewaySecret(ctx, "acme", "gateway-secret-0123456789"))
	return e
}

func (e *sealedEnv) setPassword(t *testing.T, serviceID int64, sealed []byte) {
	require.NoError(t, e.q.SetServiceAccount(context.Background(), db.SetServiceAccountParams{ID: serviceID, Username: "u", Password: sealed}))
}

// stored reads every sealed value of the env, by a name for the test.
func (e *sealedEnv) stored(t *testing.T) map[string][]byte {
	ctx := context.Background()
	out := map[string][]byte{}
	for i, id := range e.services {
		s, err := e.q.GetService(ctx, id)
		require.NoError(t, err)
		out["password"+string(rune('A'+i))] = s.Password
	}
	for i, id := range e.domains {
		d, err := e.q.GetDomain(ctx, id)
		require.NoError(t, err)
		out["epp"+string(rune('A'+i))] = d.EppCode
	}
	srv, err := e.q.GetServer(ctx, e.serverID)
	require.NoError(t, err)
	out["credentials"] = srv.Credentials
	gw, err := e.q.GetGatewaySecret(ctx, "acme")
	require.NoError(t, err)
	out["gateway"] = gw
	return out
}

// requireOpen checks that every value opens with box for its own row, to what the env put there.
func (e *sealedEnv) requireOpen(t *testing.T, box *secrets.Box) {
	t.Helper()
	v := e.stored(t)
	for name, c := range map[string]struct {
		bind secrets.Binding
		want string
	}{"passwordA": {secrets.ServicePassword(e.services[0]), "pw-A"}, "passwordB": {secrets.ServicePassword(e.services[1]), "pw-B"},
		"eppA": {secrets.DomainEPPCode(e.domains[0]), "EPP-A"}, "eppB": {secrets.DomainEPPCode(e.domains[1]), "EPP-B"},
		"credentials": {secrets.ServerCredentials(e.serverID), "token"}, "gateway": {secrets.GatewaySecret("acme"), "gateway-secret-0123456789"}} {
		got, err := box.OpenFor(v[name], c.bind)
		require.NoError(t, err, name)
		require.Equal(t, c.want, got, name)
		require.True(t, bytes.HasPrefix(v[name], box.Prefix()), "%s is sealed with the current key", name)
	}
}

// What the activities and the service store is bound to its row: moved, it does not open.
func TestSecretsStoredBound(t *testing.T) {
	box, err := secrets.FromBase64(secrets.NewKey())
	require.NoError(t, err)
	e := newSealedEnv(t, box)
	e.setPassword(t, e.services[0], box.SealFor("pw-A", secrets.ServicePassword(e.services[0])))
	e.setPassword(t, e.services[1], box.SealFor("pw-B", secrets.ServicePassword(e.services[1])))
	e.requireOpen(t, box)
	v := e.stored(t)
	_, err = box.OpenFor(v["eppA"], secrets.DomainEPPCode(e.domains[1]))
	require.ErrorIs(t, err, secrets.ErrCorrupt, "an EPP code opens for another domain")
	_, err = box.OpenFor(v["credentials"], secrets.ServicePassword(e.serverID))
	require.ErrorIs(t, err, secrets.ErrCorrupt, "server credentials open as a service password")
	_, err = box.OpenFor(v["eppA"], secrets.NewDomainEPPCode("a.com"))
	require.ErrorIs(t, err, secrets.ErrCorrupt, "a stored EPP code still opens as in transit")
	secret, err := e.svc.GatewaySecret(context.Background(), "acme")
	require.NoError(t, err)
	require.Equal(t, "gateway-secret-0123456789", string(secret))
}

// Values sealed before bindings open, and ResealSecrets binds them to their rows; running it
// again, or from several starters at once, changes nothing more.
func TestResealSecretsBindsLegacy(t *testing.T) {
	ctx := context.Background()
	box, err := secrets.FromBase64(secrets.NewKey())
	require.NoError(t, err)
	e := newSealedEnv(t, box)
	e.setPassword(t, e.services[0], box.Seal("pw-A"))
	e.setPassword(t, e.services[1], box.Seal("pw-B"))
	for i, id := range e.domains {
		require.NoError(t, e.q.SetDomainEPPCode(ctx, db.SetDomainEPPCodeParams{ID: id, EppCode: box.Seal("EPP-" + string(rune('A'+i)))}))
	}
	_, err = e.svc.Pool.Exec(ctx, "UPDATE servers SET credentials = $1", box.Seal("token"))
	require.NoError(t, err)
	_, err = e.svc.Pool.Exec(ctx, "UPDATE gateways SET secret = $1", box.Seal("gateway-secret-0123456789"))
	require.NoError(t, err)

	// Before: legacy values open for their rows (and, unbound, for any other).
	d, err := e.svc.GetOrder(ctx, e.orderID)
	require.NoError(t, err)
	require.Equal(t, map[int64]string{e.services[0]: "pw-A", e.services[1]: "pw-B"}, d.Passwords)

	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = e.svc.ResealSecrets(ctx) }()
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	e.requireOpen(t, box)
	before := e.stored(t)
	require.NoError(t, e.svc.ResealSecrets(ctx))
	require.Equal(t, before, e.stored(t), "a second run changes nothing")
	_, err = box.OpenFor(before["passwordA"], secrets.ServicePassword(e.services[1]))
	require.ErrorIs(t, err, secrets.ErrCorrupt, "a resealed password opens for another service")
}

// Rotation: seal with the old key, configure it as the previous one, reseal: the new key alone
// opens everything and the old key alone opens nothing.
func TestResealSecretsRotatesKey(t *testing.T) {
	ctx := context.Background()
	oldKey, newKey := secrets.NewKey(), secrets.NewKey()
	old, err := secrets.FromBase64(oldKey)
	require.NoError(t, err)
	e := newSealedEnv(t, old)
	e.setPassword(t, e.services[0], old.SealFor("pw-A", secrets.ServicePassword(e.services[0])))
	e.setPassword(t, e.services[1], old.Seal("pw-B")) // and one from before bindings

	rotated, err := secrets.FromBase64Keys(newKey, oldKey)
	require.NoError(t, err)
	e.svc = service.New(service.Config{Pool: e.svc.Pool, Secrets: rotated, Log: zap.NewNop()})
	d, err := e.svc.GetOrder(ctx, e.orderID)
	require.NoError(t, err)
	require.Equal(t, map[int64]string{e.services[0]: "pw-A", e.services[1]: "pw-B"}, d.Passwords, "the previous key opens what it sealed")
	require.NoError(t, e.svc.ResealSecrets(ctx))

	current, err := secrets.FromBase64(newKey)
	require.NoError(t, err)
	e.requireOpen(t, current)
	for name, v := range e.stored(t) {
		_, err := old.OpenFor(v, secrets.ServicePassword(e.services[0]))
		require.Error(t, err, "the old key alone opens %s", name)
	}
}

// A password that does not open (moved from another row, or sealed with a key we do not have)
// leaves the rest of the order view intact, says why, and ResealSecrets leaves it alone.
func TestOrderViewWithBadSecret(t *testing.T) {
	ctx := context.Background()
	box, err := secrets.FromBase64(secrets.NewKey())
	require.NoError(t, err)
	e := newSealedEnv(t, box)
	a, b := e.services[0], e.services[1]
	moved := box.SealFor("pw-A", secrets.ServicePassword(a))
	e.setPassword(t, a, moved)
	e.setPassword(t, b, moved) // copied from service A by someone with write access

	d, err := e.svc.GetOrder(ctx, e.orderID)
	require.NoError(t, err)
	require.Equal(t, map[int64]string{a: "pw-A"}, d.Passwords)
	require.Contains(t, d.Unopened[b], "could not be opened")
	require.Len(t, d.Services, 2)
	require.Len(t, d.Domains, 2)

	require.NoError(t, e.svc.ResealSecrets(ctx))
	require.Equal(t, moved, e.stored(t)["passwordB"], "ResealSecrets does not launder a moved value")

	other, err := secrets.FromBase64(secrets.NewKey())
	require.NoError(t, err)
	e.setPassword(t, b, other.SealFor("pw-B", secrets.ServicePassword(b)))
	d, err = e.svc.GetOrder(ctx, e.orderID)
	require.NoError(t, err)
	require.Equal(t, map[int64]string{a: "pw-A"}, d.Passwords)
	require.Contains(t, d.Unopened[b], secrets.ErrUnknownKey.Error())
}
