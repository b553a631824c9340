package access

import (
	"context"
	"math"
	"time"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
)

// Clients' passwords (package clients keeps them) are hashed, checked and guarded by the same
// code as the admins': one argon2id, one strength rule, one guard. This file is what
// package clients calls; the accounts themselves are its rules.

// HashClientPassword hashes a client's password exactly as an admin's is hashed.
func HashClientPassword(password string) string { return hashPassword(password) }

// MatchClientPassword reports whether password matches hash. A client without a password (or
// no client at all) has hash "": a dummy hash is checked instead, so that the answer takes as
// long as for a real one and tells nobody which emails have accounts.
func MatchClientPassword(hash, password string) bool {
	if len(password) > AdminPasswordMax {
		return false // bounded before hashing: the length is the caller's, not a secret
	}
	if hash == "" {
		_ = checkPassword(dummyHash, password)
		return false
	}
	return checkPassword(hash, password)
}

// CheckNewClientPassword is the rule for a password being set, the admins' own
// (AdminPasswordMin to AdminPasswordMax bytes), refused as Invalid naming field.
func CheckNewClientPassword(field, password string) error {
	switch {
	case len(password) < AdminPasswordMin:
		return fault.Invalidf(field, "must be at least %d characters", AdminPasswordMin)
	case len(password) > AdminPasswordMax:
		return fault.Invalidf(field, "must be at most %d characters", AdminPasswordMax)
	}
	return nil
}

// ClientSignInLimit is how a client's sign-ins are counted: as the admins' (SignInLimit), under
// keys of their own. SignInMaxFailures failures of one account from one address within
// LoginWindow lock that pair out; an account failing from anywhere is only slowed, so that
// nobody can lock a client out.
//
// address "" is an integration checking a password on a client's behalf (WHMCS ValidateLogin):
// its address is the provider's own server, which sends every customer's login, so locking it
// would let anyone lock a client out through the provider's site. Such checks are only slowed.
func ClientSignInLimit(address, email string) Limit {
	account := accountKey(email)
	slow := []string{"client:account:" + account}
	if address == "" {
		return Limit{Lock: "client:api:" + account, Max: math.MaxInt32, Slow: slow, LockedReason: ReasonSignInLocked, Cost: Hashed}
	}
	return Limit{Lock: "client:pair:" + AddressKey(address) + " " + account, Max: SignInMaxFailures,
		Slow: slow, LockedReason: ReasonSignInLocked, Cost: Hashed}
}

// GuardClientSignIn runs one client sign-in attempt (check: are the email and password right,
// a password hash) behind the guard every password check passes (Guard): a locked-out pair or
// every hash slot busy is refused with *Throttled before check runs. A wrong email or password
// is Invalid with ReasonSignInFailed, the same text for both.
func (s *Access) GuardClientSignIn(ctx context.Context, address, email string, check func() (bool, error)) error {
	attempt, err := s.Guard(ctx, ClientSignInLimit(address, email))
	if err != nil {
		return err
	}
	defer attempt.Hashed()
	ok, err := check()
	attempt.Hashed()
	if err != nil {
		return err
	}
	if !ok {
		if _, err := attempt.Failed(ctx); err != nil {
			return err
		}
		return &fault.Error{Kind: fault.Invalid, Message: ReasonSignInFailed}
	}
	return attempt.Succeeded(ctx)
}

// ReasonTooManyRequests refuses an address that asked too often for something that sends an
// email (a password reset).
const ReasonTooManyRequests = "Too many requests: try again in 15 minutes"

// AllowClientRequest counts one request under key (a password reset asked for an email, or from
// an address) and reports whether it is within limit requests per LoginWindow; from the
// limit-th on the key is refused until the window has passed. The count is shared by every
// starter, in the lockout table.
func (s *Access) AllowClientRequest(ctx context.Context, key string, limit int) (bool, error) {
	key = "client:request:" + key
	r, err := s.q().LoginFailures(ctx, db.LoginFailuresParams{WindowSecs: windowSecs(), Address: key})
	if err != nil && !dbtx.IsNoRows(err) {
		return false, fault.Wrap(err, "check client requests")
	}
	if r.Locked {
		return false, nil
	}
	if _, err := s.q().RecordLoginFailure(ctx, db.RecordLoginFailureParams{Address: key, MaxFailures: int32(limit),
		WindowSecs: windowSecs()}); err != nil {
		return false, fault.Wrap(err, "count client request")
	}
	s.purgeMaybe(ctx)
	return true, nil
}

func (s *Access) purgeMaybe(ctx context.Context) {
	if purgeDue(time.Now()) {
		if _, err := s.PurgeLoginFailures(ctx); err != nil {
			s.log.Warn("login failures not purged", zap.Error(err))
		}
	}
}
