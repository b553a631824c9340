package access

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/fault"
)

func TestAddressKey(t *testing.T) {
	long := strings.Repeat("x", maxKeyPart+1)
	for _, tc := range []struct{ address, want string }{
		{"203.0.113.7", "203.0.113.7"},
		{"::ffff:203.0.113.7", "203.0.113.7"}, // an IPv4 client on a dual-stack listener
		{"2001:db8:1:2::1", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"}, // the same /64
		{"2001:db8:1:3::1", "2001:db8:1:3::/64"},                  // the next one is another
		{"fe80::1%eth0", "fe80::/64"},
		{"::1", "::/64"},
		{"@", "@"}, // not an IP address (a Unix socket's peer): as it came
		{long, "sha256:" + fmt.Sprintf("%x", sha256Sum(long))},
	} {
		require.Equal(t, tc.want, AddressKey(tc.address), tc.address)
	}
	require.Equal(t, accountKey(" Ops@Example.COM "), accountKey("ops@example.com"))
	require.Less(t, len(accountKey(strings.Repeat("a", 60000)+"@example.com")), 100, "a long email is keyed by its hash")
}

func TestSignInDelay(t *testing.T) {
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{
		{0, 0},
		{SignInSlowAfter - 1, 0},
		{SignInSlowAfter, signInDelayStep},
		{SignInSlowAfter + 1, 2 * signInDelayStep},
		{SignInMaxFailures, time.Duration(SignInMaxFailures-SignInSlowAfter+1) * signInDelayStep},
		{1000, signInDelayMax},
	} {
		require.Equal(t, tc.want, signInDelay(tc.failures), "%d failures", tc.failures)
	}
}

// outcome is how a sign-in attempt ends.
type outcome int

const (
	signedIn outcome = iota + 1
	wrong            // ReasonSignInFailed
	locked           // *Throttled, locked out
	busy             // *Throttled, no hash slot
)

func outcomeOf(t *testing.T, err error) outcome {
	t.Helper()
	var th *Throttled
	var se *fault.Error
	switch {
	case err == nil:
		return signedIn
	case errors.As(err, &th) && th.Locked:
		require.Equal(t, ReasonSignInLocked, th.Reason)
		require.Positive(t, th.RetryAfter)
		return locked
	case errors.As(err, &th):
		require.Equal(t, ReasonBusy, th.Reason)
		require.Equal(t, busyRetry, th.RetryAfter)
		return busy
	case errors.As(err, &se) && se.Kind == fault.Invalid && se.Message == ReasonSignInFailed:
		return wrong
	}
	t.Fatalf("unexpected error %v", err)
	return 0
}

// attempts is n steps of one kind: from addresses made by addr(i).
func attempts(n int, addr func(i int) string, email, password string, want outcome) []step {
	out := make([]step, n)
	for i := range out {
		out[i] = step{addr(i), email, password, want, 0}
	}
	return out
}

type step struct {
	address, email, password string
	want                     outcome
	// atLeast is the slow-down the step must have waited.
	atLeast time.Duration
}

func one(a string) func(int) string { return func(int) string { return a } }

// TestSignInLockoutRules: a pair of account and address is locked out after SignInMaxFailures;
// the account from many addresses is slowed down, never refused; IPv6 addresses count by /64.
func TestSignInLockoutRules(t *testing.T) {
	signInDelayStep, signInDelayMax = 20*time.Millisecond, 100*time.Millisecond
	t.Cleanup(func() { signInDelayStep, signInDelayMax = 500*time.Millisecond, 4*time.Second })
	ctx := context.Background()
	s := adminService(t)
	for _, e := range []string{"ops@example.com", "other@example.com"} {
		_, _, err := s.CreateAdmin(ctx, e, "Admin", "the right password")
		require.NoError(t, err)
	}
	const right, bad = "the right password", "wrong password"
	many := func(i int) string { return fmt.Sprintf("198.51.100.%d", i+1) }
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"the pair locks after ten; the admin from another address signs in", append(
			attempts(SignInMaxFailures, one("203.0.113.9"), "ops@example.com", bad, wrong),
			step{"203.0.113.9", "ops@example.com", right, locked, 0},
			step{"192.0.2.1", "ops@example.com", right, signedIn, 0},
			step{"203.0.113.9", "ops@example.com", right, locked, 0}, // the admin's success is not the guesser's
		)},
		{"a locked pair leaves the address's other accounts alone", append(
			attempts(SignInMaxFailures, one("203.0.113.9"), "ops@example.com", bad, wrong),
			step{"203.0.113.9", "other@example.com", right, signedIn, 0},
		)},
		{"an email's case and spaces are the same account", append(
			attempts(SignInMaxFailures, one("203.0.113.9"), " OPS@example.com", bad, wrong),
			step{"203.0.113.9", "ops@example.com", right, locked, 0},
		)},
		{"unknown emails lock their pair too", append(
			attempts(SignInMaxFailures, one("203.0.113.9"), "nobody@example.com", bad, wrong),
			step{"203.0.113.9", "nobody@example.com", bad, locked, 0},
		)},
		{"a success forgets the pair's failures", append(append(append(
			attempts(SignInMaxFailures-1, one("203.0.113.9"), "ops@example.com", bad, wrong),
			step{"203.0.113.9", "ops@example.com", right, signedIn, 0}),
			attempts(SignInMaxFailures-1, one("203.0.113.9"), "ops@example.com", bad, wrong)...),
			step{"203.0.113.9", "ops@example.com", right, signedIn, 0},
		)},
		{"the account from many addresses slows down and is never refused", append(
			attempts(2*SignInMaxFailures, many, "ops@example.com", bad, wrong),
			step{"192.0.2.1", "ops@example.com", right, signedIn, signInDelayMax},
			step{"192.0.2.1", "ops@example.com", right, signedIn, 0}, // the success forgot them
		)},
		{"the account slows down from its third failure", append(
			attempts(SignInSlowAfter, many, "ops@example.com", bad, wrong),
			step{"192.0.2.1", "ops@example.com", right, signedIn, signInDelayStep},
		)},
		{"an IPv6 /64 is one address", append(
			attempts(SignInMaxFailures, func(i int) string { return fmt.Sprintf("2001:db8:1:2::%x", i+1) }, "ops@example.com", bad, wrong),
			step{"2001:db8:1:2:ffff::1", "ops@example.com", right, locked, 0},
			step{"2001:db8:1:3::1", "ops@example.com", right, signedIn, 0},
		)},
		{"an IPv4-mapped address is the IPv4 address", append(
			attempts(SignInMaxFailures, one("::ffff:203.0.113.5"), "ops@example.com", bad, wrong),
			step{"203.0.113.5", "ops@example.com", right, locked, 0},
		)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.pool.Exec(ctx, "DELETE FROM login_failures")
			require.NoError(t, err)
			for i, st := range tc.steps {
				start := time.Now()
				_, err := s.Authenticate(ctx, st.address, st.email, st.password)
				require.Equal(t, st.want, outcomeOf(t, err), "step %d: %s %s", i, st.address, st.email)
				require.GreaterOrEqual(t, time.Since(start), st.atLeast, "step %d not slowed down", i)
			}
		})
	}
}

// withHashSlots runs the test with n hash slots instead of one a core.
func withHashSlots(t *testing.T, n int) {
	saved := hashSlots
	hashSlots = make(chan struct{}, n)
	t.Cleanup(func() { hashSlots = saved })
}

// TestParallelGuessesCountBeforeHashing: a burst of wrong passwords from one address gets
// SignInMaxFailures of them hashed, however many arrive at once; the rest are refused as
// locked out without hashing, and the admin signs in from elsewhere.
func TestParallelGuessesCountBeforeHashing(t *testing.T) {
	withHashSlots(t, 200)
	ctx := context.Background()
	s := adminService(t)
	_, _, err := s.CreateAdmin(ctx, "ops@example.com", "Ops", "the right password")
	require.NoError(t, err)
	const n = 60
	outcomes := make([]outcome, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := s.Authenticate(ctx, "203.0.113.9", "ops@example.com", "guess "+fmt.Sprint(i))
			outcomes[i] = outcomeOf(t, err)
		})
	}
	wg.Wait()
	count := map[outcome]int{}
	for _, o := range outcomes {
		count[o]++
	}
	require.Equal(t, map[outcome]int{wrong: SignInMaxFailures, locked: n - SignInMaxFailures}, count)
	_, err = s.Authenticate(ctx, "203.0.113.9", "ops@example.com", "the right password")
	require.Equal(t, locked, outcomeOf(t, err))
	_, err = s.Authenticate(ctx, "192.0.2.1", "ops@example.com", "the right password")
	require.NoError(t, err)
}

// TestNoHashSlotRefusesAtOnce: with every hash slot taken, a sign-in is refused at once, and
// counts as nothing: it never looked at the password.
func TestNoHashSlotRefusesAtOnce(t *testing.T) {
	withHashSlots(t, 2)
	ctx := context.Background()
	s := adminService(t)
	_, _, err := s.CreateAdmin(ctx, "ops@example.com", "Ops", "the right password")
	require.NoError(t, err)
	hashSlots <- struct{}{}
	hashSlots <- struct{}{}
	start := time.Now()
	_, err = s.Authenticate(ctx, "192.0.2.1", "ops@example.com", "the right password")
	require.Equal(t, busy, outcomeOf(t, err))
	require.Less(t, time.Since(start), time.Second, "a busy refusal waits for nothing")
	var rows int
	require.NoError(t, s.pool.QueryRow(ctx, "SELECT count(*) FROM login_failures").Scan(&rows))
	require.Zero(t, rows)
	<-hashSlots
	_, err = s.Authenticate(ctx, "192.0.2.1", "ops@example.com", "the right password")
	require.NoError(t, err, "a slot free again")
	require.Len(t, hashSlots, 1, "the sign-in gave its slot back")
}

// TestComparedChecks: the WHMCS API's rule. A right credential's parallel calls all pass, the
// address locks after LoginMaxFailures failures, and a right credential checked while parallel
// guesses passed the limit is refused.
func TestComparedChecks(t *testing.T) {
	ctx := context.Background()
	s := adminService(t)
	check := func(address string, right bool) error {
		a, err := s.Guard(ctx, WHMCSLimit(address))
		if err != nil {
			return err
		}
		if right {
			return a.Succeeded(ctx)
		}
		_, err = a.Failed(ctx)
		require.NoError(t, err)
		return errors.New("wrong")
	}
	var wg sync.WaitGroup
	errs := make([]error, 3*LoginMaxFailures)
	for i := range errs {
		wg.Go(func() { errs[i] = check("192.0.2.1", true) })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err, "a script's parallel calls")
	}
	for range LoginMaxFailures - 1 {
		require.EqualError(t, check("203.0.113.9", false), "wrong")
	}
	// A guess counted between a right credential's start and its end locks it out.
	a, err := s.Guard(ctx, WHMCSLimit("203.0.113.9"))
	require.NoError(t, err)
	require.EqualError(t, check("203.0.113.9", false), "wrong")
	var th *Throttled
	require.ErrorAs(t, a.Succeeded(ctx), &th)
	require.Equal(t, "Forbidden IP 203.0.113.9", th.Reason)
	require.ErrorAs(t, check("203.0.113.9", true), &th, "locked out")
	require.NoError(t, check("2001:db8::1", true))
}

func sha256Sum(s string) [32]byte { return sha256.Sum256([]byte(s)) }
