package access

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/fault"
)

// A client's new password follows the admins' rule, naming the field it came in.
func TestCheckNewClientPassword(t *testing.T) {
	for _, c := range []struct {
		password string
		ok       bool
	}{
		{"", false},
		{"123456789", false},
		{"1234567890", true},
		{"correct horse battery staple", true},
		{strings.Repeat("x", AdminPasswordMax), true},
		{strings.Repeat("x", AdminPasswordMax+1), false},
	} {
		err := CheckNewClientPassword("password2", c.password)
		if c.ok {
			require.NoError(t, err, "%d bytes", len(c.password))
			continue
		}
		var se *fault.Error
		require.ErrorAs(t, err, &se, "%d bytes", len(c.password))
		require.Equal(t, fault.Invalid, se.Kind)
		require.Equal(t, "password2", se.Field)
	}
}

// A client's hash is an admin's, and no hash (a client without a password, or no client)
// matches nothing, after the same work as a real one.
func TestMatchClientPassword(t *testing.T) {
	h := HashClientPassword("correct horse battery")
	require.True(t, strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$"), h)
	require.True(t, MatchClientPassword(h, "correct horse battery"))
	require.False(t, MatchClientPassword(h, "correct horse batterY"))
	require.False(t, MatchClientPassword("", "correct horse battery"))
	require.False(t, MatchClientPassword("", ""))
	require.False(t, MatchClientPassword(h, strings.Repeat("x", AdminPasswordMax+1)))

	// An unknown email costs what a wrong password costs: within a factor, never near zero.
	start := time.Now()
	MatchClientPassword(h, "wrong password")
	known := time.Since(start)
	start = time.Now()
	MatchClientPassword("", "wrong password")
	unknown := time.Since(start)
	require.Greater(t, unknown, known/4, "known %v, unknown %v", known, unknown)
}

// The client sign-in guard locks a pair of address and account after SignInMaxFailures, and
// only that pair: the same account from another address, and another account from the same
// address, still get in; a success forgets the failures.
func TestGuardClientSignInLocksThePair(t *testing.T) {
	signInDelayStep, signInDelayMax = time.Millisecond, 5*time.Millisecond
	t.Cleanup(func() { signInDelayStep, signInDelayMax = 500*time.Millisecond, 4*time.Second })
	ctx := context.Background()
	s := adminService(t)
	right := func(ok bool) func() (bool, error) { return func() (bool, error) { return ok, nil } }
	checked := false
	for range SignInMaxFailures {
		err := s.GuardClientSignIn(ctx, "192.0.2.7", "Ada@example.com", right(false))
		requireKind(t, err, fault.Invalid, ReasonSignInFailed)
	}
	err := s.GuardClientSignIn(ctx, "192.0.2.7", "ada@EXAMPLE.com", func() (bool, error) { checked = true; return true, nil })
	var throttled *Throttled
	require.ErrorAs(t, err, &throttled)
	require.True(t, throttled.Locked)
	require.Equal(t, ReasonSignInLocked, throttled.Reason)
	require.False(t, checked, "a locked pair's password is not looked at")
	require.NoError(t, s.GuardClientSignIn(ctx, "192.0.2.8", "ada@example.com", right(true)),
		"the account from another address: slowed, never locked")
	require.NoError(t, s.GuardClientSignIn(ctx, "192.0.2.7", "grace@example.com", right(true)))
	// The success from 192.0.2.8 cleared the account's count: its answers are no longer slowed.
	_, failures, err := s.LoginLocked(ctx, "client:account:ada@example.com")
	require.NoError(t, err)
	require.Zero(t, failures)
}

// An account with failures from anywhere is slowed for everyone, by its count.
func TestGuardClientSignInSlowsTheAccount(t *testing.T) {
	signInDelayStep, signInDelayMax = 20*time.Millisecond, 200*time.Millisecond
	t.Cleanup(func() { signInDelayStep, signInDelayMax = 500*time.Millisecond, 4*time.Second })
	ctx := context.Background()
	s := adminService(t)
	for i := range SignInSlowAfter + 2 {
		_ = s.GuardClientSignIn(ctx, "198.51.100."+string(rune('1'+i)), "ada@example.com", func() (bool, error) { return false, nil })
	}
	start := time.Now()
	require.NoError(t, s.GuardClientSignIn(ctx, "203.0.113.1", "ada@example.com", func() (bool, error) { return true, nil }))
	require.GreaterOrEqual(t, time.Since(start), 3*signInDelayStep, "slowed by the account's failures")
}

// AllowClientRequest lets limit requests through per window, then refuses the key alone.
func TestAllowClientRequest(t *testing.T) {
	ctx := context.Background()
	s := adminService(t)
	for i := range 3 {
		ok, err := s.AllowClientRequest(ctx, "reset:email:ada@example.com", 3)
		require.NoError(t, err)
		require.True(t, ok, "request %d", i+1)
	}
	ok, err := s.AllowClientRequest(ctx, "reset:email:ada@example.com", 3)
	require.NoError(t, err)
	require.False(t, ok)
	ok, err = s.AllowClientRequest(ctx, "reset:email:grace@example.com", 3)
	require.NoError(t, err)
	require.True(t, ok)
}

// An integration checking on a client's behalf (address "") shares the provider's address with
// every customer: its failures only slow the account, so nobody locks a client out through it.
func TestGuardClientSignInOnTheClientsBehalfNeverLocks(t *testing.T) {
	signInDelayStep, signInDelayMax = time.Millisecond, 5*time.Millisecond
	t.Cleanup(func() { signInDelayStep, signInDelayMax = 500*time.Millisecond, 4*time.Second })
	ctx := context.Background()
	s := adminService(t)
	for range 2 * SignInMaxFailures {
		err := s.GuardClientSignIn(ctx, "", "ada@example.com", func() (bool, error) { return false, nil })
		requireKind(t, err, fault.Invalid, ReasonSignInFailed)
	}
	checked := false
	require.NoError(t, s.GuardClientSignIn(ctx, "", "ada@example.com", func() (bool, error) { checked = true; return true, nil }))
	require.True(t, checked, "the right password is still checked, and let in")
}
