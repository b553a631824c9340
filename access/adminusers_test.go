package access

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/fault"
)

func TestDeactivateAndReactivateAdmin(t *testing.T) {
	ctx := context.Background()
	s := adminService(t)
	root, _, err := s.CreateAdmin(ctx, "root@example.com", "Root", "root's password")
	require.NoError(t, err)
	ops, _, err := s.CreateAdmin(ctx, "ops@example.com", "Ops", "ops's password")
	require.NoError(t, err)
	token, err := s.CreateAdminSession(ctx, ops.ID)
	require.NoError(t, err)

	list, err := s.Admins(ctx)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, "Root", list[0].Name)
	require.Zero(t, list[0].LiveSessions)
	require.Nil(t, list[0].SignedInAt)
	require.Equal(t, 1, list[1].LiveSessions)
	require.NotNil(t, list[1].SignedInAt)

	// Nobody deactivates themself.
	_, err = s.SetAdminActive(ctx, root.ID, false, root.ID)
	requireKind(t, err, fault.Conflict, ReasonDeactivateSelf)

	a, err := s.SetAdminActive(ctx, ops.ID, false, root.ID)
	require.NoError(t, err)
	require.False(t, a.Active)
	_, ok, err := s.PeekAdminSession(ctx, token)
	require.NoError(t, err)
	require.False(t, ok, "a deactivated admin's session still open")
	_, err = s.Authenticate(ctx, "192.0.2.1", "ops@example.com", "ops's password")
	requireKind(t, err, fault.Invalid, ReasonSignInFailed)

	// An inactive admin changes nobody.
	_, err = s.SetAdminActive(ctx, root.ID, false, ops.ID)
	requireKind(t, err, fault.Conflict, ReasonActorInactive)

	// Reactivating revives no old session: the admin signs in again.
	a, err = s.SetAdminActive(ctx, ops.ID, true, root.ID)
	require.NoError(t, err)
	require.True(t, a.Active)
	_, ok, _ = s.AdminSessionByToken(ctx, token)
	require.False(t, ok, "reactivation revived a session")
	_, err = s.Authenticate(ctx, "192.0.2.1", "ops@example.com", "ops's password")
	require.NoError(t, err)

	_, err = s.SetAdminActive(ctx, ops.ID+100, false, root.ID)
	requireKind(t, err, fault.NotFound, "no such admin")
	got, err := s.AdminByID(ctx, ops.ID)
	require.NoError(t, err)
	require.Equal(t, "ops@example.com", got.Email)
	_, err = s.AdminByID(ctx, ops.ID+100)
	requireKind(t, err, fault.NotFound, "no such admin")
}

func TestSetAdminPassword(t *testing.T) {
	ctx := context.Background()
	s := adminService(t)
	ops, _, err := s.CreateAdmin(ctx, "ops@example.com", "Ops", "the old password")
	require.NoError(t, err)
	token, err := s.CreateAdminSession(ctx, ops.ID)
	require.NoError(t, err)

	// The rule CreateAdmin applies, on the password field; nothing changes.
	_, err = s.SetAdminPassword(ctx, ops.ID, "short")
	var se *fault.Error
	require.ErrorAs(t, err, &se)
	require.Equal(t, "password", se.Field)
	_, ok, _ := s.PeekAdminSession(ctx, token)
	require.True(t, ok, "a refused reset ended the session")

	_, err = s.SetAdminPassword(ctx, ops.ID, "the new password")
	require.NoError(t, err)
	_, ok, _ = s.PeekAdminSession(ctx, token)
	require.False(t, ok, "a reset kept the old session")
	_, err = s.Authenticate(ctx, "192.0.2.1", "ops@example.com", "the old password")
	requireKind(t, err, fault.Invalid, ReasonSignInFailed)
	_, err = s.Authenticate(ctx, "192.0.2.1", "ops@example.com", "the new password")
	require.NoError(t, err)

	_, err = s.SetAdminPassword(ctx, ops.ID+100, "the new password")
	requireKind(t, err, fault.NotFound, "no such admin")
}
