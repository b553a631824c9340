package access

import (
	"context"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
)

// Failed logins to the WHMCS API are counted per client address in PostgreSQL, so that every
// API process shares them: LoginMaxFailures within LoginWindow lock the address out for
// LoginWindow, as WHMCS bans an address that keeps guessing.
const (
	LoginMaxFailures = 10
	LoginWindow      = 15 * time.Minute
	// LoginFailuresCap bounds the table: past it the oldest addresses that are not locked out
	// are forgotten first, so a flood of addresses never clears a lockout.
	LoginFailuresCap = 100000
)

// Purges run at most every purgeInterval, or after purgeAfter failures, per process.
const (
	purgeInterval = 30 * time.Second
	purgeAfter    = 1000
)

var purges struct {
	mu     sync.Mutex
	last   time.Time
	misses int
}

func windowSecs() int32 { return int32(LoginWindow / time.Second) }

// LoginLocked reports whether address is locked out now, and its failures within the window.
func (s *Access) LoginLocked(ctx context.Context, address string) (locked bool, failures int, err error) {
	r, err := s.q().LoginFailures(ctx, db.LoginFailuresParams{WindowSecs: windowSecs(), Address: address})
	if dbtx.IsNoRows(err) {
		return false, 0, nil
	}
	return r.Locked, int(r.Failures), fault.Wrap(err, "check login failures")
}

// LoginFailed counts a failed login from address and reports whether it is now locked out.
func (s *Access) LoginFailed(ctx context.Context, address string) (locked bool, err error) {
	r, err := s.q().RecordLoginFailure(ctx, db.RecordLoginFailureParams{Address: address, MaxFailures: LoginMaxFailures,
		WindowSecs: windowSecs()})
	if err != nil {
		return false, fault.Wrap(err, "record login failure")
	}
	if purgeDue(time.Now()) {
		if _, err := s.PurgeLoginFailures(ctx); err != nil {
			s.log.Warn("login failures not purged", zap.Error(err))
		}
	}
	return r.Locked, nil
}

// LoginSucceeded forgets address's failures.
func (s *Access) LoginSucceeded(ctx context.Context, address string) error {
	return fault.Wrap(s.q().ClearLoginFailures(ctx, address), "clear login failures")
}

// PurgeLoginFailures forgets addresses quiet for longer than the window and, past
// LoginFailuresCap rows, the oldest that are not locked out. It returns how many it dropped
// beyond the expired ones.
func (s *Access) PurgeLoginFailures(ctx context.Context) (int64, error) {
	n, err := s.q().PurgeLoginFailures(ctx, db.PurgeLoginFailuresParams{WindowSecs: windowSecs(), MaxRows: LoginFailuresCap})
	return n, fault.Wrap(err, "purge login failures")
}

func purgeDue(now time.Time) bool {
	purges.mu.Lock()
	defer purges.mu.Unlock()
	purges.misses++
	if now.Sub(purges.last) < purgeInterval && purges.misses < purgeAfter {
		return false
	}
	purges.last, purges.misses = now, 0
	return true
}
