package clients

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/token"
)

// A client signs in to the client area with their email and password (an argon2id hash in
// clients.password_hash, made by package access as an admin's is). A signed-in client holds a
// server-side session of their own (client_sessions, never admin_sessions): the cookie carries
// a random token, the database only its SHA-256, and the session ends after ClientSessionIdle
// without a request or ClientSessionMax after sign-in, at sign-out, when the password changes,
// or when the client is Closed. A client without a password (created without one) signs in
// only after a password reset.
const (
	ClientSessionIdle = 2 * time.Hour
	ClientSessionMax  = 12 * time.Hour
	// ResetTokenTTL is how long a password reset link works; it works once.
	ResetTokenTTL = time.Hour
)

// Where the client area serves what the client emails link to: the reset link is
// PublicURL + ResetPath + "?token=<token>".
const (
	SignInPath = "/client/login"
	ResetPath  = "/client/reset"
)

// Limits on password reset requests, per LoginWindow (15 minutes): per address (refused past
// it), and per email (past it nothing more is sent, and the answer is the same).
const (
	resetsPerAddress = 20
	resetsPerEmail   = 3
)

// registrationsPerAddress bounds the accounts one address may open per LoginWindow: a family
// or an office registers a few, a script that fills the table with accounts (and their Client
// Signup emails) is refused.
const registrationsPerAddress = 10

// Refusals in the client's words.
const (
	// ReasonResetInvalid is one text for an unknown, used or expired reset link.
	ReasonResetInvalid = "This password reset link is invalid or has expired: ask for a new one"
	// ReasonMailUnavailable is a client email that could not be queued; retrying is safe.
	ReasonMailUnavailable = "The email could not be queued: try again in a moment"
)

// Guard is package access's sign-in guard, as client sign-in and password resets use it.
type Guard interface {
	GuardClientSignIn(ctx context.Context, address, email string, check func() (bool, error)) error
	AllowClientRequest(ctx context.Context, key string, limit int) (bool, error)
}

// Template names of the client emails (package email has them).
const (
	MailSignup        = "client_signup"
	MailPasswordReset = "password_reset"
)

// Mail asks for one email to a client. It is sent by a workflow (package workflows/clientmail),
// never inside the request that asks for it.
type Mail struct {
	// Key names the email: asked for twice, it is one workflow and one email.
	Key      string `json:"key"`
	Template string `json:"template"`
	// ClientID is the client a signup email goes to.
	ClientID int64 `json:"client_id,omitempty"`
	// Email is whoever a reset email goes to, if a client has it: the request never looks, so
	// that its answer and its time are the same for an unknown email.
	Email string `json:"email,omitempty"`
}

// Mailer starts the workflow that sends a client email.
type Mailer interface {
	SendClientMail(ctx context.Context, m Mail) error
}

// Accounts is what client sign-in and the client emails need beyond the database.
type Accounts struct {
	Guard Guard
	Mail  Mailer
	// Resend sends a logged email again (the console's Resend, emaillog.go).
	Resend Resender
	Log    *zap.Logger
}

// WithAccounts gives s what sign-in and the client emails need, and returns it.
func (s *Clients) WithAccounts(a Accounts) *Clients {
	if a.Log == nil {
		a.Log = zap.NewNop()
	}
	s.accounts = a
	return s
}

// ClientSession is a signed-in client's session.
type ClientSession struct {
	ClientID        int64
	CreatedAt       time.Time
	LastSeenAt      time.Time
	IdleExpiresAt   time.Time
	AbsoluteExpires time.Time
}

// ClientSignIn checks a client's email and password from address (the visitor's IP) and, when
// they are right, opens a session and returns its token for the cookie. Wrong ones, an unknown
// email, a client without a password and a Closed client are all refused alike with
// access.ReasonSignInFailed (Invalid), after the same work; a pair of address and account with
// too many failures is refused with access.ReasonSignInLocked (Conflict).
func (s *Clients) ClientSignIn(ctx context.Context, address, email, password string) (token string, c Client, err error) {
	c, err = s.ValidateClientLogin(ctx, address, email, password)
	if err != nil {
		return "", Client{}, err
	}
	token, err = s.createSession(ctx, c.ID)
	return token, c, err
}

// ValidateClientLogin checks a client's email and password as ClientSignIn does, without
// opening a session. address "" is an integration checking on the client's behalf (WHMCS's
// ValidateLogin): the account is slowed on failures, never locked.
func (s *Clients) ValidateClientLogin(ctx context.Context, address, email, password string) (Client, error) {
	if s.accounts.Guard == nil {
		return Client{}, errors.New("client sign-in: no guard configured")
	}
	email = strings.TrimSpace(email)
	var row db.GetClientLoginRow
	err := s.accounts.Guard.GuardClientSignIn(ctx, address, email, func() (bool, error) {
		var err error
		row, err = s.q().GetClientLogin(ctx, email)
		if err != nil && !dbtx.IsNoRows(err) {
			return false, fault.Wrap(err, "get client login")
		}
		// Hashed whatever was found: an unknown email costs what a wrong password costs.
		ok := access.MatchClientPassword(row.PasswordHash, password)
		return ok && row.ID != 0 && row.Status != "Closed", nil
	})
	if err != nil {
		return Client{}, err
	}
	return s.Client(ctx, row.ID, "")
}

func (s *Clients) createSession(ctx context.Context, clientID int64) (string, error) {
	if _, err := s.q().PurgeClientSessions(ctx); err != nil {
		s.accounts.Log.Warn("expired client sessions not purged", zap.Error(err))
	}
	tok := newToken()
	err := s.q().CreateClientSession(ctx, db.CreateClientSessionParams{IDHash: tokenHash(tok), ClientID: clientID,
		IdleSecs: int32(ClientSessionIdle / time.Second), AbsoluteSecs: int32(ClientSessionMax / time.Second)})
	return tok, fault.Wrap(err, "create client session")
}

// ClientSessionByToken finds the live session a client's cookie token opens and moves its idle
// expiry on: what the client area's middleware calls on every request. ok is false for an
// unknown or expired session, or one whose client is Closed.
func (s *Clients) ClientSessionByToken(ctx context.Context, token string) (sess ClientSession, ok bool, err error) {
	if token == "" || len(token) > 64 {
		return ClientSession{}, false, nil
	}
	r, err := s.q().TouchClientSession(ctx, db.TouchClientSessionParams{IDHash: tokenHash(token),
		IdleSecs: int32(ClientSessionIdle / time.Second)})
	if dbtx.IsNoRows(err) {
		return ClientSession{}, false, nil
	}
	if err != nil {
		return ClientSession{}, false, fault.Wrap(err, "touch client session")
	}
	return ClientSession{ClientID: r.ClientID, CreatedAt: r.CreatedAt.Time, LastSeenAt: r.LastSeenAt.Time,
		IdleExpiresAt: r.IdleExpiresAt.Time, AbsoluteExpires: r.AbsoluteExpiresAt.Time}, true, nil
}

// EndClientSession signs a client's session out; an unknown token changes nothing.
func (s *Clients) EndClientSession(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return fault.Wrap(s.q().DeleteClientSession(ctx, tokenHash(token)), "end client session")
}

// SetClientPassword sets a client's password (an admin's or an integration's call: REST,
// WHMCS UpdateClient) and ends every session the client has and every reset link they were
// sent: whoever knew the old password is signed out.
func (s *Clients) SetClientPassword(ctx context.Context, clientID int64, password string) error {
	if err := access.CheckNewClientPassword("password", password); err != nil {
		return err
	}
	return s.storePassword(ctx, clientID, access.HashClientPassword(password), nil)
}

// ChangeClientPassword is a signed-in client's change of password: the current one is checked
// behind the sign-in guard (from address), and every other session of the client ends; the
// session of keepToken (the client's own) stays.
func (s *Clients) ChangeClientPassword(ctx context.Context, address string, clientID int64, keepToken, current, next string) error {
	if err := access.CheckNewClientPassword("new_password", next); err != nil {
		return err
	}
	c, err := s.Client(ctx, clientID, "")
	if err != nil {
		return err
	}
	if _, err := s.ValidateClientLogin(ctx, address, c.Email, current); err != nil {
		var fe *fault.Error
		if errors.As(err, &fe) && fe.Kind == fault.Invalid {
			return fault.Invalidf("current_password", "is not your current password")
		}
		return err
	}
	return s.storePassword(ctx, clientID, access.HashClientPassword(next), tokenHash(keepToken))
}

// storePassword writes a hash and ends the client's sessions but keep's, and their reset links.
func (s *Clients) storePassword(ctx context.Context, clientID int64, hash string, keep []byte) error {
	if keep == nil {
		keep = []byte{}
	}
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		n, err := q.SetClientPasswordHash(ctx, db.SetClientPasswordHashParams{ID: clientID, PasswordHash: hash})
		if err != nil {
			return err
		}
		if n == 0 {
			return fault.Absent("Client Not Found")
		}
		if err := q.DeleteClientSessions(ctx, db.DeleteClientSessionsParams{ClientID: clientID, Keep: keep}); err != nil {
			return err
		}
		return q.DeleteClientPasswordResets(ctx, clientID)
	})
	return fault.Wrap(err, "set client %d password", clientID)
}

// RegisterClient creates the account a visitor registers for themselves from address (the
// store's registration and checkout): CreateClient's rules, after the address is counted, so
// that one address opens at most registrationsPerAddress accounts per LoginWindow (Conflict,
// access.ReasonTooManyRequests past it). A refused form counts too: it costs a hash.
func (s *Clients) RegisterClient(ctx context.Context, address string, c NewClient) (Client, error) {
	if s.accounts.Guard == nil {
		return Client{}, errors.New("registration: no guard configured")
	}
	ok, err := s.accounts.Guard.AllowClientRequest(ctx, "register:address:"+access.AddressKey(address), registrationsPerAddress)
	if err != nil {
		return Client{}, err
	}
	if !ok {
		return Client{}, &fault.Error{Kind: fault.Conflict, Message: access.ReasonTooManyRequests}
	}
	return s.CreateClient(ctx, c)
}

// RequestPasswordReset asks for a reset link to be emailed to email from address. It answers
// the same, in the same time, whether or not a client has the email: it only starts the email's
// workflow, whose activity looks the client up and sends nothing to an unknown email. A
// malformed email is Invalid; an address asking too often is refused (Conflict,
// access.ReasonTooManyRequests); an email asked for too often gets nothing more, answered alike.
func (s *Clients) RequestPasswordReset(ctx context.Context, address, email string) error {
	email = strings.TrimSpace(email)
	if err := input.Check(struct{ Email string }{email}); err != nil {
		return err
	}
	if !input.Email(email) {
		return fault.Invalidf("email", "The email address you entered was not valid")
	}
	if s.accounts.Guard == nil || s.accounts.Mail == nil {
		return errors.New("password reset: no guard or mailer configured")
	}
	ok, err := s.accounts.Guard.AllowClientRequest(ctx, "reset:address:"+access.AddressKey(address), resetsPerAddress)
	if err != nil {
		return err
	}
	if !ok {
		return &fault.Error{Kind: fault.Conflict, Message: access.ReasonTooManyRequests}
	}
	if ok, err = s.accounts.Guard.AllowClientRequest(ctx, "reset:email:"+strings.ToLower(email), resetsPerEmail); err != nil || !ok {
		return err
	}
	// Each request is an email of its own: a new key, so a new link.
	m := Mail{Key: "client-password-reset:" + token.New(16), Template: MailPasswordReset, Email: email}
	if err := s.accounts.Mail.SendClientMail(ctx, m); err != nil {
		s.accounts.Log.Error("password reset email not queued", zap.String("key", m.Key), zap.Error(err))
		return &fault.Error{Kind: fault.Unavailable, Message: ReasonMailUnavailable}
	}
	return nil
}

// IssuePasswordReset makes the reset token the email key carries to the client with email, for
// the activity that sends it: ok is false, and nothing is made, when no client that may sign
// in has the email. Issued again for the same key (a retried activity), it replaces the token,
// so only the link last sent works.
func (s *Clients) IssuePasswordReset(ctx context.Context, key, email string) (tok string, c Client, ok bool, err error) {
	c, err = s.Client(ctx, 0, email)
	var fe *fault.Error
	if errors.As(err, &fe) && fe.Kind == fault.NotFound {
		return "", Client{}, false, nil
	}
	if err != nil {
		return "", Client{}, false, err
	}
	if c.Status == "Closed" {
		return "", Client{}, false, nil
	}
	if _, err := s.q().PurgeClientPasswordResets(ctx); err != nil {
		s.accounts.Log.Warn("expired password resets not purged", zap.Error(err))
	}
	tok = newToken()
	err = s.q().IssueClientPasswordReset(ctx, db.IssueClientPasswordResetParams{IDHash: tokenHash(tok), RequestKey: key,
		ClientID: c.ID, TtlSecs: int32(ResetTokenTTL / time.Second)})
	if err != nil {
		return "", Client{}, false, fault.Wrap(err, "issue password reset")
	}
	return tok, c, true, nil
}

// ResetClientPassword consumes a reset link's token and sets the client's new password. The
// token works once and only within ResetTokenTTL; an unknown, used or expired one is refused
// alike (Invalid, field token, ReasonResetInvalid). A weak password is refused before the
// token is used, so the client may try again with the same link. Every session of the client
// ends, and their other reset links with it.
func (s *Clients) ResetClientPassword(ctx context.Context, tok, password string) (clientID int64, err error) {
	if err := access.CheckNewClientPassword("password", password); err != nil {
		return 0, err
	}
	if tok == "" || len(tok) > 64 {
		return 0, fault.Invalidf("token", "%s", ReasonResetInvalid)
	}
	hash := access.HashClientPassword(password) // before the transaction: argon2id is slow on purpose
	err = dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		var err error
		clientID, err = q.UseClientPasswordReset(ctx, tokenHash(tok))
		if dbtx.IsNoRows(err) {
			return fault.Invalidf("token", "%s", ReasonResetInvalid)
		}
		if err != nil {
			return err
		}
		if _, err := q.SetClientPasswordHash(ctx, db.SetClientPasswordHashParams{ID: clientID, PasswordHash: hash}); err != nil {
			return err
		}
		if err := q.DeleteClientSessions(ctx, db.DeleteClientSessionsParams{ClientID: clientID, Keep: []byte{}}); err != nil {
			return err
		}
		return q.DeleteClientPasswordResets(ctx, clientID)
	})
	return clientID, fault.Wrap(err, "reset client password")
}

// CheckPasswordReset says whether a reset link's token would still open, without using it up:
// the reset page asks before the client types a new password. An unknown, used or expired
// token is refused as ResetClientPassword refuses it (Invalid, field token, ReasonResetInvalid).
func (s *Clients) CheckPasswordReset(ctx context.Context, tok string) error {
	if tok == "" || len(tok) > 64 {
		return fault.Invalidf("token", "%s", ReasonResetInvalid)
	}
	live, err := s.q().PasswordResetLive(ctx, tokenHash(tok))
	if err != nil {
		return fault.Wrap(err, "look up password reset")
	}
	if !live {
		return fault.Invalidf("token", "%s", ReasonResetInvalid)
	}
	return nil
}

// newToken is a session's or a reset link's random token: 32 bytes, URL-safe.
func newToken() string {
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	return base64.RawURLEncoding.EncodeToString(raw)
}

// tokenHash is what the database keeps of a token.
func tokenHash(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}
