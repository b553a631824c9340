package integration

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestHealthzFollowsDependencies checks the /healthz a load balancer or an orchestrator asks:
// the starter's and the worker's answer 200 while PostgreSQL and Temporal both answer, 503
// within a few seconds of either going away (status only: nothing says which, or why), and 200
// again once it is back, without the processes being restarted.
func TestHealthzFollowsDependencies(t *testing.T) {
	f := newFaultStack(t)
	f.healthIs(200, "with both up")
	body := f.healthBody(f.base)
	require.NotContains(t, body, "postgres", "status only")
	require.NotContains(t, body, "temporal")

	require.NoError(t, f.pg.Stop())
	f.healthIs(503, "with PostgreSQL stopped")
	require.Equal(t, `{"status":"unavailable"}`, f.healthBody(f.base), "status only, no detail")
	require.NoError(t, f.pg.Start())
	f.healthIs(200, "with PostgreSQL back")

	require.NoError(t, f.temporal.Freeze())
	f.healthIs(503, "with Temporal frozen")
	require.NoError(t, f.temporal.Thaw())
	f.healthIs(200, "with Temporal thawed")

	f.temporal.Kill()
	f.healthIs(503, "with Temporal killed")
	require.NoError(t, f.temporal.Start())
	f.healthIs(200, "with Temporal restarted")
	f.stillRunning()
}

// healthIs waits until both the starter's and the worker's /healthz answer want.
func (f *faultStack) healthIs(want int, when string) {
	f.t.Helper()
	require.Eventually(f.t, func() bool { return f.healthz(f.base) == want && f.healthz(f.workerURL) == want },
		20*time.Second, 200*time.Millisecond, "/healthz of the starter and the worker should answer %d %s", want, when)
}

func (f *faultStack) healthBody(base string) string {
	f.t.Helper()
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(base + "/healthz")
	require.NoError(f.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(f.t, err)
	return strings.TrimSpace(string(raw))
}
