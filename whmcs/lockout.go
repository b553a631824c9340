package whmcs

import (
	"sync"
	"time"
)

// Repeated failed logins from one address lock it out for a while, as WHMCS bans an IP that
// keeps guessing. The count is per API process.
const (
	maxFailures = 10
	lockout     = 15 * time.Minute
)

type failures struct {
	mu   sync.Mutex
	byIP map[string]*strike
}

type strike struct {
	count int
	until time.Time // locked out until then
	last  time.Time
}

// locked reports whether ip is locked out now.
func (f *failures) locked(ip string, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.byIP[ip]
	return s != nil && now.Before(s.until)
}

// failed counts a failed login; the maxFailures-th within the lockout window locks ip out.
func (f *failures) failed(ip string, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.byIP == nil {
		f.byIP = map[string]*strike{}
	}
	s := f.byIP[ip]
	if s == nil || now.Sub(s.last) > lockout {
		s = &strike{}
		f.byIP[ip] = s
	}
	s.count++
	s.last = now
	if s.count >= maxFailures {
		s.until = now.Add(lockout)
	}
	if len(f.byIP) > 100000 { // bounded: under a flood, forget addresses quiet for a minute
		for k, v := range f.byIP {
			if now.Sub(v.last) > time.Minute {
				delete(f.byIP, k)
			}
		}
	}
}

// succeeded forgets ip's failures.
func (f *failures) succeeded(ip string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.byIP, ip)
}
