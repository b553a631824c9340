package access

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
)

// Failed logins are counted in PostgreSQL (login_failures), so that every process shares them,
// under keys made here. The WHMCS API's are per client address: LoginMaxFailures within
// LoginWindow lock the address out for LoginWindow, as WHMCS bans an address that keeps
// guessing. The console's are in admins.go.
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

// WHMCSLimit is how the WHMCS API's credential and access-key checks from address are
// counted: per address, locked out after LoginMaxFailures.
func WHMCSLimit(address string) Limit {
	return Limit{Lock: AddressKey(address), Max: LoginMaxFailures, LockedReason: "Forbidden IP " + address, Cost: Compared}
}

// maxKeyPart bounds what a key takes from a client's input as it is: login_failures' primary
// key must stay well under PostgreSQL's index row limit whatever a client sends.
const maxKeyPart = 254

// AddressKey is the key failures from a client address are counted under: an IPv4 address as
// it is, an IPv6 address by its /64, the one network a subscriber is given (it holds 2^64
// addresses to guess from), and anything else (not an IP address) as it came, a long one by
// its SHA-256.
func AddressKey(address string) string {
	a, err := netip.ParseAddr(address)
	if err != nil {
		return boundedKey(address)
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, _ := a.WithZone("").Prefix(64)
	return p.String()
}

// boundedKey is s as it is, or its SHA-256 when it is longer than maxKeyPart.
func boundedKey(s string) string {
	if len(s) <= maxKeyPart {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// accountKey is the key of the account an email names: case and surrounding space do not make
// another account.
func accountKey(email string) string {
	return boundedKey(strings.ToLower(strings.TrimSpace(email)))
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
