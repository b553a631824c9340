package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"go.uber.org/zap"
	"golang.org/x/crypto/argon2"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
)

// Console admins sign in with an email and a password, kept as an argon2id hash. A signed-in
// admin holds a server-side session: the cookie carries a random token, the database only its
// SHA-256, and the session ends after AdminSessionIdle without a request or AdminSessionMax
// after sign-in, whichever comes first.
const (
	AdminSessionIdle = 2 * time.Hour
	AdminSessionMax  = 12 * time.Hour
	// AdminPasswordMin is the shortest password an admin may have; AdminPasswordMax bounds
	// what one sign-in makes the server hash.
	AdminPasswordMin = 10
	AdminPasswordMax = 1024
)

// Failed sign-ins are counted in login_failures (shared by every process) under two keys. The
// account-and-address pair is refused outright: SignInMaxFailures within LoginWindow lock that
// pair out for LoginWindow, so a guesser locks out itself and not the admin, who signs in from
// elsewhere. The account alone, from any address, is only slowed down: from SignInSlowAfter
// failures every check of it waits longer (signInDelay), which bounds guessing spread over many
// addresses without letting anyone keep an admin out.
const (
	SignInSlowAfter   = 3
	SignInMaxFailures = 10
)

// The delay grows by signInDelayStep a failure up to signInDelayMax (variables for the tests).
var (
	signInDelayStep = 500 * time.Millisecond
	signInDelayMax  = 4 * time.Second
)

// SignInLimit is how a console sign-in from address for email is counted: locked out per
// account-and-address pair (an IPv6 address by its /64), slowed down per account.
func SignInLimit(address, email string) Limit {
	account := accountKey(email)
	return Limit{Lock: "console:pair:" + AddressKey(address) + " " + account, Max: SignInMaxFailures,
		Slow: []string{"console:account:" + account}, LockedReason: ReasonSignInLocked, Cost: Hashed}
}

// Refusals of a sign-in: one text for an unknown email, a wrong password and an inactive
// admin, so that the answer tells nobody which emails are admins.
const (
	ReasonSignInFailed = "Invalid email or password"
	ReasonSignInLocked = "Too many failed sign-ins: try again in 15 minutes"
)

// Admin is a console user.
type Admin struct {
	ID        int64
	Email     string
	Name      string
	Active    bool
	CreatedAt time.Time
}

// AdminSession is a signed-in admin's session.
type AdminSession struct {
	Admin           Admin
	CreatedAt       time.Time
	LastSeenAt      time.Time
	IdleExpiresAt   time.Time
	AbsoluteExpires time.Time
}

type adminInput struct {
	Email string `input:"max=254"`
	Name  string `input:"max=100"`
}

// CreateAdmin adds an admin. created is false, and nothing changes, when an admin with that
// email (in any case) exists already: a configured first admin is created once and never
// overwritten.
func (s *Access) CreateAdmin(ctx context.Context, email, name, password string) (a Admin, created bool, err error) {
	email, name = strings.TrimSpace(email), strings.TrimSpace(name)
	if err := input.Check(adminInput{email, name}); err != nil {
		return Admin{}, false, err
	}
	at := strings.LastIndexByte(email, '@')
	switch {
	case at < 1 || at == len(email)-1 || strings.ContainsAny(email, " \t"):
		return Admin{}, false, fault.Invalidf("email", "must be an email address")
	case name == "":
		return Admin{}, false, fault.Invalidf("name", "is required")
	}
	if err := checkAdminPassword(password); err != nil {
		return Admin{}, false, err
	}
	row, err := s.q().CreateAdmin(ctx, db.CreateAdminParams{Email: email, Name: name, PasswordHash: hashPassword(password)})
	if dbtx.IsNoRows(err) {
		existing, err := s.q().GetAdminByEmail(ctx, email)
		return adminFrom(existing), false, fault.Wrap(err, "get admin")
	}
	if err != nil {
		return Admin{}, false, fault.Wrap(err, "create admin")
	}
	return adminFrom(row), true, nil
}

// checkAdminPassword is the rule every admin password meets, at creation and at a reset.
func checkAdminPassword(password string) error {
	switch {
	case len(password) < AdminPasswordMin:
		return fault.Invalidf("password", "must be at least %d characters", AdminPasswordMin)
	case len(password) > AdminPasswordMax:
		return fault.Invalidf("password", "must be at most %d characters", AdminPasswordMax)
	}
	return nil
}

func adminFrom(a db.Admin) Admin {
	return Admin{ID: a.ID, Email: a.Email, Name: a.Name, Active: a.Active, CreatedAt: a.CreatedAt.Time}
}

// SignIn checks an admin's email and password from address (the client's IP) and, when they
// are right, opens a session and returns its token for the cookie. Wrong ones are refused with
// ReasonSignInFailed (Invalid); a check the guard refuses before the password is looked at (a
// locked-out pair, every hash slot busy) with *Throttled.
func (s *Access) SignIn(ctx context.Context, address, email, password string) (token string, a Admin, err error) {
	a, err = s.Authenticate(ctx, address, email, password)
	if err != nil {
		return "", Admin{}, err
	}
	token, err = s.CreateAdminSession(ctx, a.ID)
	return token, a, err
}

// Authenticate checks an admin's email and password from address; see SignIn.
func (s *Access) Authenticate(ctx context.Context, address, email, password string) (Admin, error) {
	email = strings.TrimSpace(email)
	attempt, err := s.Guard(ctx, SignInLimit(address, email))
	if err != nil {
		return Admin{}, err
	}
	defer attempt.Hashed()
	row, err := s.q().GetAdminByEmail(ctx, email)
	if err != nil && !dbtx.IsNoRows(err) {
		return Admin{}, fault.Wrap(err, "get admin")
	}
	hash := row.PasswordHash
	if hash == "" {
		hash = dummyHash // the same work for an unknown email as for a known one
	}
	ok := len(password) <= AdminPasswordMax && checkPassword(hash, password)
	attempt.Hashed()
	if !ok || row.ID == 0 || !row.Active {
		if _, err := attempt.Failed(ctx); err != nil {
			return Admin{}, err
		}
		return Admin{}, &fault.Error{Kind: fault.Invalid, Message: ReasonSignInFailed}
	}
	if err := attempt.Succeeded(ctx); err != nil {
		return Admin{}, err
	}
	return adminFrom(row), nil
}

// signInDelay is how long an answer waits after failures within the window.
func signInDelay(failures int) time.Duration {
	if failures < SignInSlowAfter {
		return 0
	}
	return min(time.Duration(failures-SignInSlowAfter+1)*signInDelayStep, signInDelayMax)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// CreateAdminSession opens a session for an admin and returns its token, which only the
// admin's cookie holds. Expired sessions are purged on the way.
func (s *Access) CreateAdminSession(ctx context.Context, adminID int64) (string, error) {
	if _, err := s.q().PurgeAdminSessions(ctx); err != nil {
		s.log.Warn("expired admin sessions not purged", zap.Error(err))
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	err := s.q().CreateAdminSession(ctx, db.CreateAdminSessionParams{IDHash: sessionHash(token), AdminID: adminID,
		IdleSecs: int32(AdminSessionIdle / time.Second), AbsoluteSecs: int32(AdminSessionMax / time.Second)})
	return token, fault.Wrap(err, "create admin session")
}

// AdminSessionByToken finds the live session a token opens and moves its idle expiry on. ok is
// false for an unknown or expired session, or one whose admin is no longer active.
func (s *Access) AdminSessionByToken(ctx context.Context, token string) (sess AdminSession, ok bool, err error) {
	if token == "" || len(token) > 64 {
		return AdminSession{}, false, nil
	}
	r, err := s.q().TouchAdminSession(ctx, db.TouchAdminSessionParams{IDHash: sessionHash(token), IdleSecs: int32(AdminSessionIdle / time.Second)})
	if dbtx.IsNoRows(err) {
		return AdminSession{}, false, nil
	}
	if err != nil {
		return AdminSession{}, false, fault.Wrap(err, "touch admin session")
	}
	return AdminSession{Admin: Admin{ID: r.ID, Email: r.Email, Name: r.Name, Active: true}, CreatedAt: r.CreatedAt.Time,
		LastSeenAt: r.LastSeenAt.Time, IdleExpiresAt: r.IdleExpiresAt.Time, AbsoluteExpires: r.AbsoluteExpiresAt.Time}, true, nil
}

// PeekAdminSession is AdminSessionByToken without moving the idle expiry on: for requests the
// admin did not make (a live page's refresh, the events stream's checks), which must not keep
// an unattended console signed in.
func (s *Access) PeekAdminSession(ctx context.Context, token string) (sess AdminSession, ok bool, err error) {
	if token == "" || len(token) > 64 {
		return AdminSession{}, false, nil
	}
	r, err := s.q().PeekAdminSession(ctx, sessionHash(token))
	if dbtx.IsNoRows(err) {
		return AdminSession{}, false, nil
	}
	if err != nil {
		return AdminSession{}, false, fault.Wrap(err, "read admin session")
	}
	return AdminSession{Admin: Admin{ID: r.ID, Email: r.Email, Name: r.Name, Active: true}, CreatedAt: r.CreatedAt.Time,
		LastSeenAt: r.LastSeenAt.Time, IdleExpiresAt: r.IdleExpiresAt.Time, AbsoluteExpires: r.AbsoluteExpiresAt.Time}, true, nil
}

// EndAdminSession signs a session out; an unknown token changes nothing.
func (s *Access) EndAdminSession(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return fault.Wrap(s.q().DeleteAdminSession(ctx, sessionHash(token)), "end admin session")
}

func sessionHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// argon2id parameters: OWASP's recommendation (19 MiB, two passes, one lane). A stored hash
// carries its own, so these may change without breaking older hashes.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// dummyHash is checked when no admin has the email, so that the answer takes as long.
var dummyHash = hashPassword("no admin has this password")

// hashPassword hashes a password with argon2id into its PHC string form.
func hashPassword(password string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// checkPassword reports whether password matches a hash made by hashPassword.
func checkPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 1<<20 || t == 0 || t > 16 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 128 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// AdminNames maps every admin's email (in lower case) to their name, deactivated ones too: the
// audit trail names the admin who acted. Admins are few, so they are read whole.
func (s *Access) AdminNames(ctx context.Context) (map[string]string, error) {
	rows, err := s.q().ListAdminNames(ctx)
	if err != nil {
		return nil, fault.Wrap(err, "list admins")
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[strings.ToLower(r.Email)] = r.Name
	}
	return out, nil
}
