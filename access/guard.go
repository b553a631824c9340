package access

import (
	"context"
	"math"
	"runtime"
	"time"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
)

// The guard is the one gate every check of a password or credential passes: the console's
// sign-in, the WHMCS API's credentials and access key (and the client area's sign-in). It
// refuses a locked-out key before the secret is looked at, slows down a key that keeps
// failing, bounds the password hashes running at once, and counts an attempt so that parallel
// guesses count as sequential ones would.

// hashSlots bounds the password hashes running at once in this process. One argon2id hash
// holds argonMemory (19 MiB) while it runs, so a few hundred parallel sign-ins would take GiBs
// and get the starter, which also serves the WHMCS API and the webhooks, killed. About one per
// core: more would only wait for a CPU while holding their memory. A check that finds every
// slot taken is refused at once (ReasonBusy) rather than queued, since a queue holds memory too.
var hashSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))

// HashSlots is how many password hashes may run at once in this process.
func HashSlots() int { return cap(hashSlots) }

// busyRetry is how soon a check refused for want of a hash slot may try again: a hash takes
// tens of milliseconds, so a second is plenty.
const busyRetry = time.Second

// Refusals of the guard, said before the secret is looked at.
const (
	ReasonBusy = "Too many sign-ins at once: try again in a moment"
)

// Throttled is a check the guard refused before looking at the secret: every hash slot was
// busy, or the key is locked out. RetryAfter is when trying again may succeed; adapters answer
// 429 with a Retry-After header (the WHMCS API with WHMCS's own refusal).
type Throttled struct {
	Reason     string
	RetryAfter time.Duration
	// Locked is true for a lockout, false for busy hash slots.
	Locked bool
}

func (e *Throttled) Error() string { return e.Reason }

// Cost says what a check spends, and so when its attempt is counted.
type Cost int

const (
	// Hashed is a password hash (argon2id): it takes a hash slot, and the attempt is counted
	// before hashing, so a locked key, or attempts past the limit however parallel, never hash.
	Hashed Cost = iota + 1
	// Compared is a comparison with a stored digest, as cheap as a read. A failure is counted
	// when it is known, and a success stands only if the lock key is not locked out once it is
	// known: parallel calls of a right credential all succeed (scripts call the WHMCS API in
	// parallel from one address), and a right guess among many parallel wrong ones is refused
	// once Max of them have been counted.
	Compared
)

// Limit is how a check's attempts are counted in login_failures.
type Limit struct {
	// Lock is the key refused outright: Max failures within LoginWindow lock it out for
	// LoginWindow.
	Lock string
	// Max is the failures that lock Lock out.
	Max int
	// Slow are keys that are never refused but slowed down: from SignInSlowAfter failures
	// within LoginWindow each check waits longer (signInDelay) before it starts.
	Slow []string
	// LockedReason is what a locked-out check is told.
	LockedReason string
	Cost         Cost
}

// Attempt is one check let through by Guard; it ends with Succeeded or Failed.
type Attempt struct {
	s     *Access
	limit Limit
	// slot is held while a Hashed check hashes; released by Hashed (or by the end).
	slot bool
	// counted is the lock key's failures once this attempt was counted in them.
	counted int
}

// Guard lets one check start, or refuses it with *Throttled (or an error of the database).
// A Hashed check holds a hash slot from here until Hashed, Succeeded or Failed.
func (s *Access) Guard(ctx context.Context, l Limit) (*Attempt, error) {
	keys := append([]string{l.Lock}, l.Slow...)
	rows, err := s.q().LoginCounts(ctx, db.LoginCountsParams{WindowSecs: windowSecs(), Addresses: keys})
	if err != nil {
		return nil, fault.Wrap(err, "check login failures")
	}
	slow := 0
	for _, r := range rows {
		if r.Address == l.Lock && r.LockedSecs > 0 {
			return nil, &Throttled{Reason: l.LockedReason, RetryAfter: time.Duration(r.LockedSecs) * time.Second, Locked: true}
		}
		if r.Address != l.Lock {
			slow = max(slow, int(r.Failures))
		}
	}
	// The slow-down waits without a hash slot, so that waiting checks hold no hash memory.
	if err := sleepCtx(ctx, signInDelay(slow)); err != nil {
		return nil, err
	}
	a := &Attempt{s: s, limit: l}
	if l.Cost != Hashed {
		return a, nil
	}
	select {
	case hashSlots <- struct{}{}:
		a.slot = true
	default:
		return nil, &Throttled{Reason: ReasonBusy, RetryAfter: busyRetry}
	}
	// Counted before hashing: the attempt is a failure until it succeeds.
	n, err := a.record(ctx)
	if err != nil {
		a.Hashed()
		return nil, err
	}
	a.counted = n
	if n > l.Max {
		// Parallel attempts have passed the limit since the counts were read.
		a.Hashed()
		return nil, &Throttled{Reason: l.LockedReason, RetryAfter: LoginWindow, Locked: true}
	}
	return a, nil
}

// Hashed releases the attempt's hash slot as soon as the hash is done; later calls do nothing.
func (a *Attempt) Hashed() {
	if a.slot {
		a.slot = false
		<-hashSlots
	}
}

// Succeeded ends a right check: its keys' failures are forgotten. A Compared check is
// refused with *Throttled instead if its lock key was locked out meanwhile.
func (a *Attempt) Succeeded(ctx context.Context) error {
	a.Hashed()
	keys := append([]string{a.limit.Lock}, a.limit.Slow...)
	if a.limit.Cost == Compared {
		rows, err := a.s.q().LoginCounts(ctx, db.LoginCountsParams{WindowSecs: windowSecs(), Addresses: keys})
		if err != nil {
			return fault.Wrap(err, "check login failures")
		}
		if len(rows) == 0 {
			return nil // nothing to forget: the common case of a script's calls
		}
		for _, r := range rows {
			if r.Address == a.limit.Lock && r.LockedSecs > 0 {
				return &Throttled{Reason: a.limit.LockedReason, RetryAfter: time.Duration(max(r.LockedSecs, 1)) * time.Second, Locked: true}
			}
		}
	}
	for _, k := range keys {
		if err := a.s.q().ClearLoginFailures(ctx, k); err != nil {
			return fault.Wrap(err, "clear login failures")
		}
	}
	return nil
}

// Failed ends a wrong check; locked reports whether its lock key is now locked out. A Hashed
// check was counted when it started; a Compared one is counted now.
func (a *Attempt) Failed(ctx context.Context) (locked bool, err error) {
	a.Hashed()
	if a.limit.Cost == Compared {
		if a.counted, err = a.record(ctx); err != nil {
			return false, err
		}
	}
	if purgeDue(time.Now()) {
		if _, err := a.s.PurgeLoginFailures(ctx); err != nil {
			a.s.log.Warn("login failures not purged", zap.Error(err))
		}
	}
	return a.counted >= a.limit.Max, nil
}

// record counts one failure under every key of the attempt and returns the lock key's count.
// Only the lock key can lock; the slow keys count without a limit.
func (a *Attempt) record(ctx context.Context) (int, error) {
	n := 0
	for i, k := range append([]string{a.limit.Lock}, a.limit.Slow...) {
		limit := int32(math.MaxInt32)
		if i == 0 {
			limit = int32(a.limit.Max)
		}
		r, err := a.s.q().RecordLoginFailure(ctx, db.RecordLoginFailureParams{Address: k, MaxFailures: limit, WindowSecs: windowSecs()})
		if err != nil {
			return 0, fault.Wrap(err, "record login failure")
		}
		if i == 0 {
			n = int(r.Failures)
		}
	}
	return n, nil
}
