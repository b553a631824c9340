package live

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeChanges stands in for ordering.OrderChanges: the test sends ids, and learns when the
// stream's subscription ends.
type fakeChanges struct {
	ids   chan int64
	ended chan struct{}
}

func (f *fakeChanges) subscribe(ctx context.Context) <-chan int64 {
	out := make(chan int64)
	go func() {
		defer close(f.ended)
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case id := <-f.ids:
				select {
				case out <- id:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// send hands the stream a changed order's id.
func (f *fakeChanges) send(t *testing.T, id int64) {
	t.Helper()
	select {
	case f.ids <- id:
	case <-f.ended:
		t.Fatal("the stream ended")
	case <-time.After(5 * time.Second):
		t.Fatal("the stream takes no changes")
	}
}

// alwaysLive is a session that never ends.
func alwaysLive(*http.Request) (bool, error) { return true, nil }

// streamLines opens the events stream at path on a real server and returns its lines.
// Its server has the starter's kind of timeouts, only much shorter.
func streamLines(t *testing.T, path string) (*fakeChanges, <-chan string, context.CancelFunc) {
	return streamLinesOf(t, path, alwaysLive, 0)
}

func streamLinesOf(t *testing.T, path string, live func(*http.Request) (bool, error), heartbeat time.Duration) (*fakeChanges, <-chan string, context.CancelFunc) {
	t.Helper()
	f := &fakeChanges{ids: make(chan int64), ended: make(chan struct{})}
	srv := httptest.NewUnstartedServer(New(f.subscribe, live, heartbeat))
	srv.Config.ReadTimeout, srv.Config.WriteTimeout = 300*time.Millisecond, 300*time.Millisecond
	srv.Start()
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+path, nil)
	require.NoError(t, err)
	res, err := srv.Client().Do(req)
	require.NoError(t, err)
	require.Equal(t, 200, res.StatusCode)
	require.Equal(t, "text/event-stream", res.Header.Get("Content-Type"))
	lines := make(chan string, 100)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	return f, lines, cancel
}

func nextLine(t *testing.T, lines <-chan string) string {
	t.Helper()
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the stream ended")
			}
			if l != "" {
				return l
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no event")
		}
	}
}

func TestEventsStreamOneOrdersChanges(t *testing.T) {
	f, lines, cancel := streamLines(t, "/admin/events?order=7")
	require.Equal(t, "retry: 2000", nextLine(t, lines))
	require.Equal(t, ": live", nextLine(t, lines))
	f.send(t, 8) // another order: not this page's
	f.send(t, 7)
	require.Equal(t, "event: order", nextLine(t, lines))
	require.Equal(t, "data: 7", nextLine(t, lines))
	// The client going away ends the subscription.
	cancel()
	select {
	case <-f.ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the subscription outlived its client")
	}
}

func TestEventsStreamEveryOrderAndHeartbeat(t *testing.T) {
	f, lines, cancel := streamLinesOf(t, "/admin/events", alwaysLive, 50*time.Millisecond)
	defer cancel()
	nextLine(t, lines)
	nextLine(t, lines)
	require.Equal(t, ": heartbeat", nextLine(t, lines))
	// Well past the server's read and write timeouts, the stream still carries events.
	time.Sleep(time.Second)
	f.send(t, 8)
	for l := nextLine(t, lines); l != "event: order"; l = nextLine(t, lines) {
		require.Equal(t, ": heartbeat", l)
	}
	require.Equal(t, "data: 8", nextLine(t, lines))
}

// TestEventsEndWithTheSession: the session is asked at every heartbeat, and a stream whose
// session ended, or could not be read, closes at the next one.
func TestEventsEndWithTheSession(t *testing.T) {
	for _, tc := range []struct {
		name string
		live func(*http.Request) (bool, error)
	}{
		{"signed out", func(*http.Request) (bool, error) { return false, nil }},
		{"unreadable", func(*http.Request) (bool, error) { return false, errors.New("database gone") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var asked atomic.Int32
			live := func(r *http.Request) (bool, error) {
				if asked.Add(1) < 3 {
					return true, nil
				}
				return tc.live(r)
			}
			_, lines, cancel := streamLinesOf(t, "/admin/events", live, 50*time.Millisecond)
			defer cancel()
			require.Equal(t, "retry: 2000", nextLine(t, lines))
			require.Equal(t, ": live", nextLine(t, lines))
			require.Equal(t, ": heartbeat", nextLine(t, lines))
			require.Equal(t, ": heartbeat", nextLine(t, lines))
			for {
				select {
				case l, ok := <-lines:
					if !ok {
						return
					}
					require.Empty(t, l, "the stream went on after its session ended")
				case <-time.After(2 * time.Second):
					t.Fatal("the stream outlived its session")
				}
			}
		})
	}
}

func TestEventsEndWhenTheServerShutsDown(t *testing.T) {
	f := &fakeChanges{ids: make(chan int64), ended: make(chan struct{})}
	srv := httptest.NewServer(New(f.subscribe, alwaysLive, 0))
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL + "/admin/events")
	require.NoError(t, err)
	defer res.Body.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, srv.Config.Shutdown(ctx), "the open stream did not hold the shutdown up")
	<-f.ended
}

func TestEventsNeedAnOrderID(t *testing.T) {
	rec := httptest.NewRecorder()
	New(nil, alwaysLive, 0).ServeHTTP(rec, httptest.NewRequest("GET", "/admin/events?order=x", nil))
	require.Equal(t, http.StatusBadRequest, rec.Code)
}

func TestURL(t *testing.T) {
	require.Equal(t, "/admin/events", URL("/admin/events", 0))
	require.Equal(t, "/admin/events?order=7", URL("/admin/events", 7))
}
