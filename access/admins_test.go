package access

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/testenv"
)

func TestPasswordHash(t *testing.T) {
	h := hashPassword("correct horse battery")
	require.True(t, strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$"), h)
	require.True(t, checkPassword(h, "correct horse battery"))
	require.False(t, checkPassword(h, "correct horse batterY"))
	require.NotEqual(t, h, hashPassword("correct horse battery"), "no salt")
	for _, bad := range []string{"", "$argon2id$", "$argon2i$v=19$m=19456,t=2,p=1$AAAA$AAAA", "$argon2id$v=19$m=9999999,t=2,p=1$AAAA$AAAA"} {
		require.False(t, checkPassword(bad, "x"), bad)
	}
}

func adminService(t *testing.T) *Access {
	pool, _ := testenv.Database(t)
	return New(pool, nil, zap.NewNop())
}

func TestCreateAdminOnce(t *testing.T) {
	ctx := context.Background()
	s := adminService(t)
	a, created, err := s.CreateAdmin(ctx, "Root@Example.com", "Root", "first password")
	require.NoError(t, err)
	require.True(t, created)
	require.Equal(t, "Root@Example.com", a.Email)
	// The same email in another case is the same admin, and its password is not overwritten.
	b, created, err := s.CreateAdmin(ctx, "root@example.COM", "Other", "second password")
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, a.ID, b.ID)
	_, err = s.Authenticate(ctx, "192.0.2.1", "root@example.com", "first password")
	require.NoError(t, err)
	_, err = s.Authenticate(ctx, "192.0.2.1", "root@example.com", "second password")
	requireKind(t, err, fault.Invalid, ReasonSignInFailed)

	for _, c := range []struct{ email, name, password, field string }{
		{"not-an-email", "X", "long enough password", "email"},
		{"x@example.com", "", "long enough password", "name"},
		{"x@example.com", "X", "short", "password"},
		{"x@example.com", "X\nBcc: y", "long enough password", "name"},
	} {
		_, _, err := s.CreateAdmin(ctx, c.email, c.name, c.password)
		var se *fault.Error
		require.ErrorAs(t, err, &se, c.field)
		require.Equal(t, fault.Invalid, se.Kind)
		require.Equal(t, c.field, se.Field)
	}
}

func requireKind(t *testing.T, err error, kind fault.Kind, message string) {
	t.Helper()
	var se *fault.Error
	require.True(t, errors.As(err, &se), "%v", err)
	require.Equal(t, kind, se.Kind)
	require.Equal(t, message, se.Message)
}

func TestAdminSessions(t *testing.T) {
	ctx := context.Background()
	s := adminService(t)
	_, _, err := s.CreateAdmin(ctx, "ops@example.com", "Ops", "the right password")
	require.NoError(t, err)
	token, a, err := s.SignIn(ctx, "192.0.2.1", "ops@example.com", "the right password")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(token), 43)
	sess, ok, err := s.AdminSessionByToken(ctx, token)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, a.ID, sess.Admin.ID)
	require.Equal(t, "ops@example.com", sess.Admin.Email)
	require.WithinDuration(t, sess.CreatedAt.Add(AdminSessionMax), sess.AbsoluteExpires, time.Second)
	require.WithinDuration(t, time.Now().Add(AdminSessionIdle), sess.IdleExpiresAt, time.Minute)
	// The database holds only the token's hash.
	var n int
	require.NoError(t, s.pool.QueryRow(ctx, "SELECT count(*) FROM admin_sessions WHERE id_hash = $1", []byte(token)).Scan(&n))
	require.Zero(t, n)

	_, ok, err = s.AdminSessionByToken(ctx, token+"x")
	require.NoError(t, err)
	require.False(t, ok)

	// Idle expiry, absolute expiry and a deactivated admin each end it.
	_, err = s.pool.Exec(ctx, "UPDATE admin_sessions SET idle_expires_at = now() - interval '1 second'")
	require.NoError(t, err)
	_, ok, _ = s.AdminSessionByToken(ctx, token)
	require.False(t, ok, "idle session still open")
	token, _ = s.CreateAdminSession(ctx, a.ID)
	_, err = s.pool.Exec(ctx, "UPDATE admin_sessions SET absolute_expires_at = now() - interval '1 second'")
	require.NoError(t, err)
	_, ok, _ = s.AdminSessionByToken(ctx, token)
	require.False(t, ok, "session past its absolute expiry still open")
	token, _ = s.CreateAdminSession(ctx, a.ID)
	_, err = s.pool.Exec(ctx, "UPDATE admins SET active = false")
	require.NoError(t, err)
	_, ok, _ = s.AdminSessionByToken(ctx, token)
	require.False(t, ok, "an inactive admin's session still open")
	_, err = s.pool.Exec(ctx, "UPDATE admins SET active = true")
	require.NoError(t, err)
	_, ok, _ = s.AdminSessionByToken(ctx, token)
	require.True(t, ok)

	// Peeking finds the session without moving its idle expiry on.
	_, err = s.pool.Exec(ctx, "UPDATE admin_sessions SET idle_expires_at = now() + interval '1 minute'")
	require.NoError(t, err)
	peeked, ok, err := s.PeekAdminSession(ctx, token)
	require.NoError(t, err)
	require.True(t, ok)
	require.WithinDuration(t, time.Now().Add(time.Minute), peeked.IdleExpiresAt, 5*time.Second, "a peek moved the idle expiry")
	touched, _, _ := s.AdminSessionByToken(ctx, token)
	require.WithinDuration(t, time.Now().Add(AdminSessionIdle), touched.IdleExpiresAt, time.Minute)

	require.NoError(t, s.EndAdminSession(ctx, token))
	_, ok, _ = s.PeekAdminSession(ctx, token)
	require.False(t, ok, "signed-out session still found by a peek")
	_, ok, _ = s.AdminSessionByToken(ctx, token)
	require.False(t, ok, "signed-out session still open")
}
