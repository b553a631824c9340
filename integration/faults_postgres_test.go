package integration

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// pgDown is how long the fault tests keep PostgreSQL stopped, as a restart by an operator or
// a managed database's failover does.
const pgDown = 15 * time.Second

// TestFaultPostgresRestarted stops the stack's PostgreSQL for 15 s and starts it again while
// orders are placed and paid. While it is down a placement and a payment answer 503 with a
// Retry-After at once, and /healthz takes the starter and the worker out; the same requests
// retried with their Idempotency-Key succeed once it is back. The starter and the worker
// reconnect by themselves, and every order ends placed once, paid once, provisioned once, in
// PostgreSQL and in Temporal, with no workflow left retrying a write.
func TestFaultPostgresRestarted(t *testing.T) {
	f := newFaultStack(t)
	before := newOrders("pg-before", 3)
	for _, o := range before {
		require.Equal(t, http.StatusCreated, f.place(o).status)
	}
	// Paid just before the stop: their workflows provision and write while it goes down.
	for _, o := range before {
		require.Equal(t, http.StatusCreated, f.pay(o).status)
	}
	streamed := newOrders("pg-stream", 6)
	load := f.startLoader(streamed, 2*time.Second, pgDown+30*time.Second)

	time.Sleep(time.Second)
	require.NoError(t, f.pg.Stop())
	stopped := time.Now()
	during := &faultOrder{key: "pg-during", domain: "pg-during.com"}
	a := f.place(during)
	f.unavailable(a, "placement while PostgreSQL is down")
	require.Less(t, a.took, clientTimeout, "answered rather than hung")
	f.unavailable(f.pay(before[0]), "payment while PostgreSQL is down")
	require.Eventually(t, func() bool { return f.healthz(f.base) == 503 && f.healthz(f.workerURL) == 503 },
		10*time.Second, 200*time.Millisecond, "/healthz takes the starter and the worker out while PostgreSQL is down")
	time.Sleep(pgDown - time.Since(stopped))
	require.NoError(t, f.pg.Start())

	a = f.untilAnswered("placement retried with its Idempotency-Key", 30*time.Second, func() answer { return f.place(during) })
	require.Equal(t, http.StatusCreated, a.status, "%v", a.body)
	a = f.untilAnswered("payment retried", 30*time.Second, func() answer { return f.pay(during) })
	require.Equal(t, http.StatusCreated, a.status, "%v", a.body)
	saw503 := load.wait(60 * time.Second)
	t.Logf("the streaming caller retried %d times on 503", saw503)
	require.Eventually(t, func() bool { return f.healthz(f.base) == 200 && f.healthz(f.workerURL) == 200 },
		20*time.Second, 200*time.Millisecond, "/healthz puts them back once PostgreSQL is")

	f.checkPaidOrders(append(append(before, streamed...), during), 0)
	f.stillRunning()
}
