package clients_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/testenv"
)

// fakeMailer records the client emails asked for, in place of their workflows.
type fakeMailer struct {
	mu   sync.Mutex
	sent []clients.Mail
	err  error
}

func (f *fakeMailer) SendClientMail(_ context.Context, m clients.Mail) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	f.sent = append(f.sent, m)
	return nil
}

func (f *fakeMailer) mails() []clients.Mail {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]clients.Mail(nil), f.sent...)
}

func accounts(t *testing.T) (*clients.Clients, *fakeMailer, *pgxpool.Pool) {
	pool, _ := testenv.Database(t)
	mail := &fakeMailer{}
	return clients.New(pool).WithAccounts(clients.Accounts{Guard: access.New(pool, nil, nil), Mail: mail}), mail, pool
}

func newClient(t *testing.T, s *clients.Clients, email, password string) clients.Client {
	t.Helper()
	c, err := s.CreateClient(context.Background(), clients.NewClient{FirstName: "Ada", LastName: "Lovelace", Email: email,
		Password: password})
	require.NoError(t, err)
	return c
}

func requireRefusal(t *testing.T, err error, kind fault.Kind, field, message string) {
	t.Helper()
	var se *fault.Error
	require.True(t, errors.As(err, &se), "%v", err)
	require.Equal(t, kind, se.Kind, "%v", err)
	if field != "" {
		require.Equal(t, field, se.Field, "%v", err)
	}
	if message != "" {
		require.Equal(t, message, se.Message)
	}
}

// A password given at creation is checked by the admins' rule and kept only as an argon2id
// hash; a client created with one gets the Client Signup email (unless told not to), a client
// without one none.
func TestCreateClientWithPassword(t *testing.T) {
	ctx := context.Background()
	s, mail, pool := accounts(t)
	_, err := s.CreateClient(ctx, clients.NewClient{FirstName: "Ada", LastName: "Lovelace", Email: "short@example.com", Password: "short"})
	requireRefusal(t, err, fault.Invalid, "password", "must be at least 10 characters")
	_, err = s.Client(ctx, 0, "short@example.com")
	requireRefusal(t, err, fault.NotFound, "", "")

	c := newClient(t, s, "ada@example.com", "correct horse battery")
	require.True(t, c.HasPassword)
	var hash string
	require.NoError(t, pool.QueryRow(ctx, "SELECT password_hash FROM clients WHERE id = $1", c.ID).Scan(&hash))
	require.True(t, access.MatchClientPassword(hash, "correct horse battery"))
	require.NotContains(t, hash, "correct horse battery")
	require.Equal(t, []clients.Mail{{Key: "client-signup:" + itoa(c.ID), Template: clients.MailSignup, ClientID: c.ID}}, mail.mails())

	noPassword := newClient(t, s, "grace@example.com", "")
	require.False(t, noPassword.HasPassword)
	_, err = s.CreateClient(ctx, clients.NewClient{FirstName: "Alan", LastName: "Turing", Email: "alan@example.com",
		Password: "correct horse battery", NoSignupEmail: true})
	require.NoError(t, err)
	require.Len(t, mail.mails(), 1, "no email without a password, nor with NoSignupEmail")
}

// Signing in: the right password opens a session the token resolves to the client; an
// unknown email, a wrong password, a client without a password and a Closed client are
// refused with one text.
func TestClientSignIn(t *testing.T) {
	ctx := context.Background()
	s, _, pool := accounts(t)
	c := newClient(t, s, "ada@example.com", "correct horse battery")
	newClient(t, s, "grace@example.com", "")
	closed := newClient(t, s, "closed@example.com", "correct horse battery")
	_, err := pool.Exec(ctx, "UPDATE clients SET status = 'Closed' WHERE id = $1", closed.ID)
	require.NoError(t, err)

	for _, bad := range []struct{ email, password string }{
		{"nobody@example.com", "correct horse battery"},
		{"ada@example.com", "wrong horse battery"},
		{"grace@example.com", ""},
		{"grace@example.com", "correct horse battery"},
		{"closed@example.com", "correct horse battery"},
		{"", ""},
	} {
		_, _, err := s.ClientSignIn(ctx, "192.0.2.1", bad.email, bad.password)
		requireRefusal(t, err, fault.Invalid, "", access.ReasonSignInFailed)
	}

	tok, got, err := s.ClientSignIn(ctx, "192.0.2.1", " ADA@example.com ", "correct horse battery")
	require.NoError(t, err)
	require.Equal(t, c.ID, got.ID)
	require.GreaterOrEqual(t, len(tok), 43)
	sess, ok, err := s.ClientSessionByToken(ctx, tok)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, c.ID, sess.ClientID)
	require.WithinDuration(t, sess.CreatedAt.Add(clients.ClientSessionMax), sess.AbsoluteExpires, time.Second)
	// The database keeps only the token's hash, and never in the admins' table.
	var n int
	require.NoError(t, pool.QueryRow(ctx, "SELECT (SELECT count(*) FROM client_sessions WHERE id_hash = $1) + (SELECT count(*) FROM admin_sessions)",
		[]byte(tok)).Scan(&n))
	require.Zero(t, n)

	require.NoError(t, s.EndClientSession(ctx, tok))
	_, ok, err = s.ClientSessionByToken(ctx, tok)
	require.NoError(t, err)
	require.False(t, ok, "signed out")
}

// A session ends after ClientSessionIdle without a request, ClientSessionMax after sign-in,
// when its client is Closed, and for a token that is not one.
func TestClientSessionExpiry(t *testing.T) {
	ctx := context.Background()
	s, _, pool := accounts(t)
	c := newClient(t, s, "ada@example.com", "correct horse battery")
	for _, tc := range []struct {
		name  string
		setup string
		live  bool
	}{
		{"fresh", "", true},
		{"idle but within", "UPDATE client_sessions SET idle_expires_at = now() + interval '1 minute'", true},
		{"idle too long", "UPDATE client_sessions SET idle_expires_at = now() - interval '1 second'", false},
		{"past the absolute limit", "UPDATE client_sessions SET absolute_expires_at = now() - interval '1 second'", false},
		{"client closed", "UPDATE clients SET status = 'Closed'", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := pool.Exec(ctx, "UPDATE clients SET status = 'Active'")
			require.NoError(t, err)
			tok, _, err := s.ClientSignIn(ctx, "192.0.2.1", "ada@example.com", "correct horse battery")
			require.NoError(t, err)
			if tc.setup != "" {
				_, err = pool.Exec(ctx, tc.setup)
				require.NoError(t, err)
			}
			sess, ok, err := s.ClientSessionByToken(ctx, tok)
			require.NoError(t, err)
			require.Equal(t, tc.live, ok)
			if ok {
				require.Equal(t, c.ID, sess.ClientID)
				require.WithinDuration(t, time.Now().Add(clients.ClientSessionIdle), sess.IdleExpiresAt, time.Minute,
					"a request moves the idle expiry on")
			}
		})
	}
	for _, tok := range []string{"", "x", string(make([]byte, 65))} {
		_, ok, err := s.ClientSessionByToken(ctx, tok)
		require.NoError(t, err)
		require.False(t, ok)
	}
}

// Setting a password (an integration's call) lets the client in and ends their sessions;
// changing it (the client's own call) checks the current one and keeps the caller's session.
func TestSetAndChangeClientPassword(t *testing.T) {
	ctx := context.Background()
	s, _, _ := accounts(t)
	c := newClient(t, s, "ada@example.com", "")
	requireRefusal(t, s.SetClientPassword(ctx, c.ID, "short"), fault.Invalid, "password", "")
	requireRefusal(t, s.SetClientPassword(ctx, c.ID+100, "correct horse battery"), fault.NotFound, "", "Client Not Found")
	require.NoError(t, s.SetClientPassword(ctx, c.ID, "correct horse battery"))
	one, _, err := s.ClientSignIn(ctx, "192.0.2.1", "ada@example.com", "correct horse battery")
	require.NoError(t, err)
	two, _, err := s.ClientSignIn(ctx, "192.0.2.2", "ada@example.com", "correct horse battery")
	require.NoError(t, err)

	requireRefusal(t, s.ChangeClientPassword(ctx, "192.0.2.1", c.ID, one, "wrong horse battery", "a brand new password"),
		fault.Invalid, "current_password", "")
	requireRefusal(t, s.ChangeClientPassword(ctx, "192.0.2.1", c.ID, one, "correct horse battery", "short"),
		fault.Invalid, "new_password", "")
	require.NoError(t, s.ChangeClientPassword(ctx, "192.0.2.1", c.ID, one, "correct horse battery", "a brand new password"))
	_, ok, err := s.ClientSessionByToken(ctx, one)
	require.NoError(t, err)
	require.True(t, ok, "the changer's own session stays")
	_, ok, err = s.ClientSessionByToken(ctx, two)
	require.NoError(t, err)
	require.False(t, ok, "every other session ends")

	require.NoError(t, s.SetClientPassword(ctx, c.ID, "an admin's choice here"))
	_, ok, err = s.ClientSessionByToken(ctx, one)
	require.NoError(t, err)
	require.False(t, ok, "a password set from outside ends every session")
}

// A reset request answers the same for a known and an unknown email and only starts the
// email's workflow (which looks the client up); a malformed email is refused, and past the
// limits an email gets nothing more and an address is refused.
func TestRequestPasswordReset(t *testing.T) {
	ctx := context.Background()
	s, mail, _ := accounts(t)
	newClient(t, s, "ada@example.com", "")
	require.NoError(t, s.RequestPasswordReset(ctx, "192.0.2.1", "ada@example.com"))
	require.NoError(t, s.RequestPasswordReset(ctx, "192.0.2.1", "nobody@example.com"))
	sent := mail.mails()
	require.Len(t, sent, 2)
	require.Equal(t, clients.Mail{Key: sent[0].Key, Template: clients.MailPasswordReset, Email: "ada@example.com"}, sent[0])
	require.Equal(t, "nobody@example.com", sent[1].Email)
	require.NotEqual(t, sent[0].Key, sent[1].Key)

	requireRefusal(t, s.RequestPasswordReset(ctx, "192.0.2.1", "not an email"), fault.Invalid, "email", "")

	for range 5 {
		require.NoError(t, s.RequestPasswordReset(ctx, "192.0.2.2", "ada@example.com"))
	}
	require.Len(t, mail.mails(), 4, "three emails an address per window: the others answered alike, sent nothing")

	for i := range 20 {
		require.NoError(t, s.RequestPasswordReset(ctx, "192.0.2.3", "someone-"+strconv.Itoa(i)+"@example.com"))
	}
	requireRefusal(t, s.RequestPasswordReset(ctx, "192.0.2.3", "third@example.com"), fault.Conflict, "", access.ReasonTooManyRequests)
	require.NoError(t, s.RequestPasswordReset(ctx, "192.0.2.4", "third@example.com"), "another address is not refused")

	mail.err = errors.New("temporal is down")
	requireRefusal(t, s.RequestPasswordReset(ctx, "192.0.2.9", "fresh@example.com"), fault.Unavailable, "", clients.ReasonMailUnavailable)
}

// A reset token: issued only for a client that may sign in, replaced when issued again for
// the same email, single use, dead after ResetTokenTTL; a weak password leaves it usable; a
// reset ends every session of the client and lets them in with the new password.
func TestResetClientPassword(t *testing.T) {
	ctx := context.Background()
	s, _, pool := accounts(t)
	c := newClient(t, s, "ada@example.com", "correct horse battery")
	_, _, ok, err := s.IssuePasswordReset(ctx, "key-0", "nobody@example.com")
	require.NoError(t, err)
	require.False(t, ok, "no client, no token")

	first, got, ok, err := s.IssuePasswordReset(ctx, "key-1", "ADA@example.com")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, c.ID, got.ID)
	again, _, _, err := s.IssuePasswordReset(ctx, "key-1", "ada@example.com")
	require.NoError(t, err)
	_, err = s.ResetClientPassword(ctx, first, "a brand new password")
	requireRefusal(t, err, fault.Invalid, "token", clients.ReasonResetInvalid)

	sess, _, err := s.ClientSignIn(ctx, "192.0.2.1", "ada@example.com", "correct horse battery")
	require.NoError(t, err)
	_, err = s.ResetClientPassword(ctx, again, "short")
	requireRefusal(t, err, fault.Invalid, "password", "")
	id, err := s.ResetClientPassword(ctx, again, "a brand new password")
	require.NoError(t, err, "a weak password did not use the token up")
	require.Equal(t, c.ID, id)
	_, err = s.ResetClientPassword(ctx, again, "another new password")
	requireRefusal(t, err, fault.Invalid, "token", clients.ReasonResetInvalid)
	_, ok, err = s.ClientSessionByToken(ctx, sess)
	require.NoError(t, err)
	require.False(t, ok, "a reset ends the client's sessions")
	_, _, err = s.ClientSignIn(ctx, "192.0.2.1", "ada@example.com", "a brand new password")
	require.NoError(t, err)

	for _, tc := range []struct {
		name   string
		expire string
		ok     bool
	}{
		{"within the hour", "now() + interval '1 minute'", true},
		{"expired", "now() - interval '1 second'", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok, _, _, err := s.IssuePasswordReset(ctx, "key-"+tc.name, "ada@example.com")
			require.NoError(t, err)
			_, err = pool.Exec(ctx, "UPDATE client_password_resets SET expires_at = "+tc.expire)
			require.NoError(t, err)
			_, err = s.ResetClientPassword(ctx, tok, "yet another password")
			if tc.ok {
				require.NoError(t, err)
			} else {
				requireRefusal(t, err, fault.Invalid, "token", clients.ReasonResetInvalid)
			}
		})
	}
	for _, tok := range []string{"", "nonsense", string(make([]byte, 100))} {
		_, err = s.ResetClientPassword(ctx, tok, "yet another password")
		requireRefusal(t, err, fault.Invalid, "token", clients.ReasonResetInvalid)
	}
	// A reset sets a password for a client created without one: the only way they get in.
	grace := newClient(t, s, "grace@example.com", "")
	tok, _, ok, err := s.IssuePasswordReset(ctx, "key-grace", "grace@example.com")
	require.NoError(t, err)
	require.True(t, ok)
	_, err = s.ResetClientPassword(ctx, tok, "grace's new password")
	require.NoError(t, err)
	_, got, err = s.ClientSignIn(ctx, "192.0.2.1", "grace@example.com", "grace's new password")
	require.NoError(t, err)
	require.Equal(t, grace.ID, got.ID)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Registration from one address is bounded per window; a refused form counts too; another
// address is not refused.
func TestRegisterClientIsLimitedPerAddress(t *testing.T) {
	ctx := context.Background()
	s, _, _ := accounts(t)
	_, err := s.RegisterClient(ctx, "192.0.2.1", clients.NewClient{FirstName: "Ada", LastName: "Lovelace", Email: "not an email"})
	requireRefusal(t, err, fault.Invalid, "email", "")
	for i := range 9 {
		_, err := s.RegisterClient(ctx, "192.0.2.1", clients.NewClient{FirstName: "Ada", LastName: "Lovelace",
			Email: "ada-" + strconv.Itoa(i) + "@example.com", Password: "correct horse battery"})
		require.NoError(t, err)
	}
	_, err = s.RegisterClient(ctx, "192.0.2.1", clients.NewClient{FirstName: "Ada", LastName: "Lovelace", Email: "ada-10@example.com"})
	requireRefusal(t, err, fault.Conflict, "", access.ReasonTooManyRequests)
	_, err = s.RegisterClient(ctx, "192.0.2.2", clients.NewClient{FirstName: "Ada", LastName: "Lovelace", Email: "ada-10@example.com"})
	require.NoError(t, err, "another address is not refused")
}
