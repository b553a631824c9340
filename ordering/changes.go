package ordering

import (
	"context"
	"strconv"
	"sync"
	"time"

	"go.uber.org/zap"
)

// orderChannel is the PostgreSQL channel order changes are announced on (migration 00015).
const orderChannel = "hostflow_order"

// changes fans PostgreSQL's notices of changed orders out to subscribers: one listening
// connection a process, however many pages are open.
type changes struct {
	mu   sync.Mutex
	subs map[chan int64]struct{}
	stop context.CancelFunc
}

// OrderChanges delivers the id of every order that changes, as its change commits, until ctx
// ends. A subscriber that falls behind misses ids rather than holding the others up: a live
// page reloads what it shows anyway.
func (s *Ordering) OrderChanges(ctx context.Context) <-chan int64 {
	ch := make(chan int64, 64)
	c := &s.changes
	c.mu.Lock()
	if c.subs == nil {
		c.subs = map[chan int64]struct{}{}
	}
	if len(c.subs) == 0 {
		lctx, stop := context.WithCancel(context.Background())
		c.stop = stop
		go s.listenOrders(lctx)
	}
	c.subs[ch] = struct{}{}
	c.mu.Unlock()
	go func() {
		<-ctx.Done()
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.subs, ch)
		close(ch)
		if len(c.subs) == 0 {
			c.stop()
		}
	}()
	return ch
}

// listenOrders holds a connection that LISTENs for order changes, reconnecting after a
// failure, until ctx ends.
func (s *Ordering) listenOrders(ctx context.Context) {
	for wait := time.Second; ctx.Err() == nil; wait = min(2*wait, 30*time.Second) {
		if err := s.listenOnce(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("order change listener", zap.Error(err), zap.Duration("retry_in", wait))
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
		}
	}
}

func (s *Ordering) listenOnce(ctx context.Context) error {
	pooled, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// A connection that LISTENs is this listener's alone, and closes with it.
	conn := pooled.Hijack()
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+orderChannel); err != nil {
		return err
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		id, err := strconv.ParseInt(n.Payload, 10, 64)
		if err != nil {
			continue
		}
		s.changes.mu.Lock()
		for ch := range s.changes.subs {
			select {
			case ch <- id:
			default:
			}
		}
		s.changes.mu.Unlock()
	}
}
