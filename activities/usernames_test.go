package activities_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/testenv"
)

// namePanel is a control panel that keeps its accounts by username as a real one does, and
// refuses as taken the names someone outside hostflow has.
type namePanel struct {
	mu        sync.Mutex
	accounts  map[string]string // username → domain
	outside   map[string]bool
	refuseAll bool  // every name is taken, as for a panel that refuses a whole prefix
	failNext  error // the next create fails with it, after the panel made nothing
	asked     []string
	clashes   int // names asked for that another service of hostflow had on the panel
}

func (p *namePanel) Create(_ context.Context, a provisioning.Account) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = append(p.asked, a.Username)
	if err := p.failNext; err != nil {
		p.failNext = nil
		return err
	}
	if d, ok := p.accounts[a.Username]; ok {
		if d == a.Domain {
			return nil // made by an earlier try
		}
		p.clashes++
		return permanent.Wrap(fmt.Errorf("%w: %s belongs to %s", provisioning.ErrUsernameTaken, a.Username, d))
	}
	if p.refuseAll || p.outside[a.Username] {
		return permanent.Wrap(fmt.Errorf("%w: a group for %s already exists", provisioning.ErrUsernameTaken, a.Username))
	}
	p.accounts[a.Username] = a.Domain
	return nil
}
func (p *namePanel) Suspend(context.Context, provisioning.Account, string) error { return nil }
func (p *namePanel) Unsuspend(context.Context, provisioning.Account) error       { return nil }
func (p *namePanel) Terminate(context.Context, provisioning.Account) error       { return nil }
func (p *namePanel) ChangePackage(context.Context, provisioning.Account) error   { return nil }
func (p *namePanel) ChangePassword(context.Context, provisioning.Account) error  { return nil }

func (p *namePanel) set(fn func(p *namePanel)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fn(p)
}

func (p *namePanel) askedFor() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.asked...)
}

// nameEnv is a database with a client, a product on the "names" module and one server, and
// activities with a pool big enough for every goroutine of a test to hold a transaction.
type nameEnv struct {
	a        *activities.Activities
	q        *db.Queries
	pool     *pgxpool.Pool
	panel    *namePanel
	clientID int64
	product  int64
	serverID int64
	nextID   int64
}

func newNameEnv(t *testing.T) *nameEnv {
	ctx := context.Background()
	_, dsn := testenv.Database(t)
	cfg, err := pgxpool.ParseConfig(dsn)
	require.NoError(t, err)
	cfg.MaxConns = 64
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	box, err := secrets.FromBase64(secrets.NewKey())
	require.NoError(t, err)
	e := &nameEnv{q: db.New(pool), pool: pool, panel: &namePanel{accounts: map[string]string{}, outside: map[string]bool{}}, nextID: 100}
	e.a = &activities.Activities{Records: records.Records{Pool: pool, Secrets: box}, Panels: provisioning.Registry{"names": e.panel}}
	c, err := e.q.CreateClient(ctx, db.CreateClientParams{FirstName: "Ada", LastName: "L", Email: "ada@example.com", Currency: "USD"})
	require.NoError(t, err)
	p, err := e.q.CreateProduct(ctx, db.CreateProductParams{Name: "Basic", Type: "hostingaccount", Module: "names", AutoSetup: "payment"})
	require.NoError(t, err)
	s, err := e.q.CreateServer(ctx, db.CreateServerParams{Name: "web1", Module: "names", Hostname: "web1.example.net", Username: "root",
		Credentials: box.Seal("token"), Active: true})
	require.NoError(t, err)
	e.clientID, e.product, e.serverID = c.ID, p.ID, s.ID
	return e
}

// services places one order with a hosting service for each domain and returns their ids.
func (e *nameEnv) services(t *testing.T, domains ...string) []int64 {
	o := order.NewOrder{ID: e.nextID, Number: order.RandomNumber(), ClientID: e.clientID, PaymentMethod: "manual", Currency: "USD",
		Actor: "admin"}
	e.nextID++
	for _, d := range domains {
		o.Services = append(o.Services, order.NewService{ProductID: e.product, ProductName: "Basic", Domain: d, BillingCycle: "monthly"})
	}
	created, err := e.a.CreateOrder(context.Background(), o)
	require.NoError(t, err)
	return created.ServiceIDs
}

func (e *nameEnv) username(t *testing.T, serviceID int64) string {
	svc, err := e.q.GetService(context.Background(), serviceID)
	require.NoError(t, err)
	return svc.Username
}

func requireTaken(t *testing.T, err error) {
	t.Helper()
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(err, &appErr), "error %v", err)
	require.True(t, appErr.NonRetryable(), "error %v", err)
	require.Contains(t, err.Error(), provisioning.ErrUsernameTaken.Error())
}

// Fifty services whose domains share their first 8 letters are created on one server at once:
// each gets a name of its own, decided by the database, so the panel is never asked for a name
// another of them has; the two names someone outside hostflow has are skipped and stay
// reserved, and the names are the first free ones WHMCS's rules give.
func TestConcurrentReservationsGetDistinctUsernames(t *testing.T) {
	e := newNameEnv(t)
	e.panel.outside["chaosbu2"], e.panel.outside["chaosbu5"] = true, true
	const n = 50
	var domains []string
	for i := 1; i <= n; i++ {
		domains = append(domains, fmt.Sprintf("chaosburst%d.com", i))
	}
	ids := e.services(t, domains...)

	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = e.a.CreateAccount(context.Background(), activities.CreateAccountInput{ServiceID: id})
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}

	require.Zero(t, e.panel.clashes, "the panel was asked for a name another service had")
	require.Len(t, e.panel.accounts, n)
	want := map[string]bool{}
	for i := 0; len(want) < n; i++ {
		if name := activities.UsernameCandidate("chaosbur", i); !e.panel.outside[name] {
			want[name] = true
		}
	}
	for i, id := range ids {
		name := e.username(t, id)
		require.True(t, want[name], "%s is not one of the first free names", name)
		require.Equal(t, domains[i], e.panel.accounts[name], "the account %s is this service's", name)
		delete(want, name)
	}
	require.Empty(t, want)

	var held, refused int
	require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE service_id IS NOT NULL),
		count(*) FILTER (WHERE service_id IS NULL AND refused LIKE '%already exists%') FROM server_usernames WHERE server_id = $1`,
		e.serverID).Scan(&held, &refused))
	require.Equal(t, n, held)
	require.Equal(t, 2, refused, "the names taken outside stay reserved for no one")
}

// A panel that refuses every name stops the create after many more than five names; the admin's
// Retry goes on with a name never refused, and the refused ones are never asked for again.
func TestRetryChoosesAgainAfterTheNameWasTaken(t *testing.T) {
	e := newNameEnv(t)
	id := e.services(t, "refused-everywhere.com")[0]
	e.panel.refuseAll = true
	err := e.a.CreateAccount(context.Background(), activities.CreateAccountInput{ServiceID: id})
	requireTaken(t, err)
	refused := e.panel.askedFor()
	require.Greater(t, len(refused), 5)
	require.Equal(t, "refusede", refused[0])
	saved := e.username(t, id)
	require.NotContains(t, refused, saved, "the saved name is one the panel has not refused")

	e.panel.set(func(p *namePanel) { p.refuseAll = false })
	require.NoError(t, e.a.CreateAccount(context.Background(), activities.CreateAccountInput{ServiceID: id}))
	require.Equal(t, saved, e.username(t, id))
	require.Equal(t, "refused-everywhere.com", e.panel.accounts[saved])
	require.Equal(t, append(refused, saved), e.panel.askedFor())

	// Another service of the same prefix skips every refused name.
	other := e.services(t, "refusedeverything.com")[0]
	require.NoError(t, e.a.CreateAccount(context.Background(), activities.CreateAccountInput{ServiceID: other}))
	require.NotContains(t, append(refused, saved), e.username(t, other))
}

// The admin's name is never replaced: refused, it stays the service's, and a Retry (which
// carries no name) asks for it again. Another live service cannot take it.
func TestAdminChosenUsernameIsKept(t *testing.T) {
	e := newNameEnv(t)
	ids := e.services(t, "mine.com", "yours.com")
	e.panel.outside["myname"] = true
	err := e.a.CreateAccount(context.Background(), activities.CreateAccountInput{ServiceID: ids[0], Username: "myname"})
	requireTaken(t, err)
	require.Equal(t, []string{"myname"}, e.panel.askedFor(), "an admin's name is not renamed")
	require.Equal(t, "myname", e.username(t, ids[0]))

	err = e.a.CreateAccount(context.Background(), activities.CreateAccountInput{ServiceID: ids[0]})
	requireTaken(t, err)
	e.panel.set(func(p *namePanel) { delete(p.outside, "myname") }) // the admin freed it on the panel
	require.NoError(t, e.a.CreateAccount(context.Background(), activities.CreateAccountInput{ServiceID: ids[0]}))
	require.Equal(t, []string{"myname", "myname", "myname"}, e.panel.askedFor())
	require.Equal(t, "mine.com", e.panel.accounts["myname"])

	// The same name for another service is refused without asking the panel, and stays its
	// choice for a Retry.
	err = e.a.CreateAccount(context.Background(), activities.CreateAccountInput{ServiceID: ids[1], Username: "myname"})
	requireTaken(t, err)
	err = e.a.CreateAccount(context.Background(), activities.CreateAccountInput{ServiceID: ids[1]})
	requireTaken(t, err)
	require.Len(t, e.panel.askedFor(), 3)
}

// A create that failed after its name was reserved (the panel timed out, the worker died) asks
// the panel for the very same account when retried, whatever other orders did meanwhile.
func TestRetriedCreateAsksForTheSameAccount(t *testing.T) {
	e := newNameEnv(t)
	ids := e.services(t, "samename.com", "samename2.com")
	e.panel.failNext = errors.New("connection reset by peer")
	require.Error(t, e.a.CreateAccount(context.Background(), activities.CreateAccountInput{ServiceID: ids[0]}))
	first := e.username(t, ids[0])
	require.Equal(t, "samename", first)

	require.NoError(t, e.a.CreateAccount(context.Background(), activities.CreateAccountInput{ServiceID: ids[1]}))
	require.NotEqual(t, first, e.username(t, ids[1]))

	require.NoError(t, e.a.CreateAccount(context.Background(), activities.CreateAccountInput{ServiceID: ids[0]}))
	require.Equal(t, first, e.username(t, ids[0]))
	require.Equal(t, "samename.com", e.panel.accounts[first])
	require.Equal(t, []string{"samename", "samenam1", "samename"}, e.panel.askedFor())
}

// The migration reserves the names of the accounts already in the database. Two services that
// shared a name before (the burst of issue 14) leave it to the Active one; the other, retried,
// chooses a new name.
func TestMigrationReservesExistingUsernames(t *testing.T) {
	e := newNameEnv(t)
	ctx := context.Background()
	ids := e.services(t, "oldburst1.com", "oldburst2.com", "oldburst3.com", "nothing.com")
	// The rows as the code before reservations left them.
	_, err := e.pool.Exec(ctx, "DROP TABLE chosen_usernames, server_usernames")
	require.NoError(t, err)
	for _, id := range ids[:3] {
		require.NoError(t, e.q.SetServiceAccount(ctx, db.SetServiceAccountParams{ID: id, ServerID: &e.serverID, Username: "oldburst"}))
	}
	require.NoError(t, e.q.SetServiceAccount(ctx, db.SetServiceAccountParams{ID: ids[2], ServerID: &e.serverID, Username: "oldburs1"}))
	require.NoError(t, e.q.SetServiceStatus(ctx, db.SetServiceStatusParams{ID: ids[1], Status: order.Active}))
	e.panel.accounts["oldburst"], e.panel.accounts["oldburs1"] = "oldburst2.com", "oldburst3.com"

	raw, err := os.ReadFile("../db/migrations/00006_usernames.sql")
	require.NoError(t, err)
	up, _, ok := strings.Cut(string(raw), "-- +goose Down")
	require.True(t, ok)
	_, err = e.pool.Exec(ctx, up)
	require.NoError(t, err)

	rows, err := e.pool.Query(ctx, "SELECT username, service_id FROM server_usernames WHERE server_id = $1 ORDER BY username", e.serverID)
	require.NoError(t, err)
	type held struct {
		name    string
		service int64
	}
	var got []held
	for rows.Next() {
		var h held
		require.NoError(t, rows.Scan(&h.name, &h.service))
		got = append(got, h)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, []held{{"oldburs1", ids[2]}, {"oldburst", ids[1]}}, got)

	// The first service waited for provisioning-failed with a name it shared: its Retry chooses
	// again and skips the names of the others.
	require.NoError(t, e.a.CreateAccount(ctx, activities.CreateAccountInput{ServiceID: ids[0]}))
	require.Equal(t, "oldburs2", e.username(t, ids[0]))
	require.Equal(t, "oldburst1.com", e.panel.accounts["oldburs2"])
}

func TestUsernameCandidates(t *testing.T) {
	for _, tc := range []struct {
		base string
		i    int
		want string
	}{
		{"chaosbur", 0, "chaosbur"}, {"chaosbur", 1, "chaosbu1"}, {"chaosbur", 10, "chaosb10"},
		{"chaosbur", 9_999_999, "c9999999"}, {"abc", 5, "abc5"}, {"abc", 123_456, "ab123456"}, {"user", 99, "user99"},
	} {
		require.Equal(t, tc.want, activities.UsernameCandidate(tc.base, tc.i))
	}
	// When the numbers run out, names go on within the rules: a letter first, at most 8.
	valid := regexp.MustCompile(`^c[a-z0-9]{7}$`)
	seen := map[string]bool{}
	for i := 10_000_000; i < 10_000_100; i++ {
		name := activities.UsernameCandidate("chaosbur", i)
		require.Regexp(t, valid, name)
		seen[name] = true
	}
	require.Greater(t, len(seen), 90)
}
