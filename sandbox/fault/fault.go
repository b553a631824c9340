// Package fault is what a sandbox can be told to suffer, as the real service does at times: an
// outage of the next n requests, and a delay on every answer.
package fault

import (
	"sync"
	"time"
)

// Injector holds the faults to show; a sandbox embeds it and asks Next for each request.
type Injector struct {
	mu    sync.Mutex
	down  int // the next n requests fail
	delay time.Duration
}

// Down makes the next n requests fail as an outage does.
func (f *Injector) Down(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = n
}

// Delay makes every answer wait d.
func (f *Injector) Delay(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.delay = d
}

// Next says how long this request waits and whether it fails, and counts it against an outage.
func (f *Injector) Next() (delay time.Duration, down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down > 0 {
		f.down--
		return f.delay, true
	}
	return f.delay, false
}
