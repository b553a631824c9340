// Package live is the console's live updates: the server-sent-event stream (/admin/events) that
// tells an open order page, the orders list, the dashboard or a client's page which order
// changed, so that it refreshes what it shows (static/live.js of package page). The stream is
// fed by ordering.OrderChanges, PostgreSQL's LISTEN/NOTIFY shared by every open page of the
// process. Without JavaScript nothing subscribes and pages are reloaded by hand.
package live

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// DefaultHeartbeat is how often a stream sends a comment, so that proxies keep it open, and
// checks that its session is still live.
const DefaultHeartbeat = 25 * time.Second

// Stream timing; a variable so that tests can shorten it.
var (
	// writeWindow is how long one event's write may take before the client counts as gone; the
	// deadline is moved on before every write, so the starter's WriteTimeout never ends a stream.
	writeWindow = 15 * time.Second
)

// retryMillis is how soon EventSource reconnects after the stream breaks.
const retryMillis = 2000

// URL is the stream served at path as one order's page follows it, or as a page of every
// order does when id is 0.
func URL(path string, id int64) string {
	if id == 0 {
		return path
	}
	return path + "?order=" + strconv.FormatInt(id, 10)
}

// Stream serves the events stream; the console puts it behind its sign-in.
type Stream struct {
	// changes subscribes to the ids of changed orders: the service's, or a test's.
	changes func(context.Context) <-chan int64
	// live reports whether the session a stream was opened with is still live.
	live func(*http.Request) (bool, error)
	// heartbeat is how often a stream sends a comment and asks live.
	heartbeat time.Duration
	// shutdowns end the streams when their server shuts down.
	shutdowns shutdowns
}

// New returns the stream of the changes changes subscribes to until its context ends. The
// sign-in in front of it lets a stream open; live is asked at every heartbeat (DefaultHeartbeat
// when zero) whether its session still is, so that a stream ends within a heartbeat of its
// sign-out, its expiry or its admin's deactivation.
func New(changes func(context.Context) <-chan int64, live func(*http.Request) (bool, error), heartbeat time.Duration) *Stream {
	if heartbeat <= 0 {
		heartbeat = DefaultHeartbeat
	}
	return &Stream{changes: changes, live: live, heartbeat: heartbeat}
}

// ServeHTTP streams server-sent events: "order" with the id of a changed order (only the order
// asked for with ?order=), and a comment every heartbeat, until the client goes away or its
// session ends.
func (s *Stream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var only int64
	if q := r.URL.Query().Get("order"); q != "" {
		id, err := strconv.ParseInt(q, 10, 64)
		if err != nil || id <= 0 {
			http.Error(w, "order must be an order id", http.StatusBadRequest)
			return
		}
		only = id
	}
	ctx := r.Context()
	closing := s.closing(r)
	changes := s.changes(ctx)
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no") // nginx: pass events on as they come
	w.WriteHeader(http.StatusOK)
	// send writes one event and flushes it, with a fresh deadline for this write alone.
	send := func(format string, args ...any) bool {
		now := time.Now()
		// Not every writer has deadlines (tests' recorders): then there is none to move.
		_ = rc.SetWriteDeadline(now.Add(writeWindow))
		// Keep the read deadline ahead too, so that the server's ReadTimeout never applies mid-stream.
		_ = rc.SetReadDeadline(now.Add(s.heartbeat + writeWindow))
		if _, err := fmt.Fprintf(w, format, args...); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("retry: %d\n: live\n\n", retryMillis) {
		return
	}
	tick := time.NewTicker(s.heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-closing:
			// The server is shutting down: it waits for no stream, and EventSource reconnects
			// to whichever starter serves next.
			return
		case id, ok := <-changes:
			if !ok {
				return
			}
			if only != 0 && id != only {
				continue
			}
			if !send("event: order\ndata: %d\n\n", id) {
				return
			}
		case <-tick.C:
			// A session that ended (or cannot be read: the stream fails closed) ends the
			// stream; EventSource's reconnection then meets the sign-in.
			if s.live != nil {
				if ok, err := s.live(r); err != nil || !ok {
					return
				}
			}
			if !send(": heartbeat\n\n") {
				return
			}
		}
	}
}

// shutdowns are closed when their server shuts down, one per server that served a stream.
type shutdowns struct {
	mu sync.Mutex
	by map[*http.Server]chan struct{}
}

// closing is closed when the server r came to begins shutting down (http.Server.Shutdown
// waits for active requests, and a stream never ends by itself); nil, never closed, when r
// names no server.
func (s *Stream) closing(r *http.Request) <-chan struct{} {
	srv, ok := r.Context().Value(http.ServerContextKey).(*http.Server)
	if !ok {
		return nil
	}
	s.shutdowns.mu.Lock()
	defer s.shutdowns.mu.Unlock()
	if s.shutdowns.by == nil {
		s.shutdowns.by = map[*http.Server]chan struct{}{}
	}
	ch, ok := s.shutdowns.by[srv]
	if !ok {
		ch = make(chan struct{})
		s.shutdowns.by[srv] = ch
		srv.RegisterOnShutdown(func() { close(ch) })
	}
	return ch
}
