package integration

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// temporalFrozen is how long the Temporal fault test holds the dev server stopped (SIGSTOP).
const temporalFrozen = 20 * time.Second

// TestFaultTemporalUnavailable makes the stack's Temporal server unavailable twice, first
// frozen (SIGSTOP) for 20 s and then killed and started again on the same state file. While it
// is away a placement and an admin action answer 503 with a Retry-After within seconds, not
// after a client's timeout; a payment is taken (the money is PostgreSQL's) and /healthz takes
// the starter out. Once it is back the starter and the worker reconnect by themselves, the
// placement and the action retried with their keys succeed, the outbox delivers every payment,
// and every order ends placed once, paid once, provisioned once, in PostgreSQL and in Temporal.
func TestFaultTemporalUnavailable(t *testing.T) {
	f := newFaultStack(t)
	orders := newOrders("tmp", 2)
	for _, o := range orders {
		require.Equal(t, http.StatusCreated, f.place(o).status)
	}
	doomed := &faultOrder{key: "tmp-cancelled", domain: "tmp-cancelled.com"}
	require.Equal(t, http.StatusCreated, f.place(doomed).status)

	require.NoError(t, f.temporal.Freeze())
	frozen := time.Now()
	refused := f.whileTemporalAway("frozen", orders[0], doomed)
	time.Sleep(temporalFrozen - time.Since(frozen))
	require.NoError(t, f.temporal.Thaw())
	f.afterTemporalBack("frozen", refused, doomed)
	orders = append(orders, refused)

	f.temporal.Kill()
	refused = f.whileTemporalAway("killed", orders[1], doomed)
	require.NoError(t, f.temporal.Start())
	f.afterTemporalBack("killed", refused, doomed)
	orders = append(orders, refused)

	f.checkPaidOrders(orders, 1)
	require.Equal(t, 1, f.count("SELECT count(*) FROM orders WHERE id = $1 AND status = 'Cancelled'", doomed.orderID))
	f.stillRunning()
}

// whileTemporalAway checks what callers get while Temporal does not answer: a placement and
// an admin action refused with 503 quickly, a payment taken. It returns the refused order, to
// be placed again with its key once Temporal is back.
func (f *faultStack) whileTemporalAway(how string, toPay, doomed *faultOrder) *faultOrder {
	t := f.t
	t.Helper()
	o := &faultOrder{key: "tmp-" + how, domain: "tmp-" + how + ".com"}
	a := f.untilRefused("placement while Temporal is "+how, func() answer { return f.place(o) })
	require.Less(t, a.took, clientTimeout, "answered rather than hung")
	a = f.untilRefused("cancel while Temporal is "+how, func() answer { return f.cancel(doomed, how) })
	require.Less(t, a.took, clientTimeout, "answered rather than hung")
	a = f.pay(toPay)
	require.Equal(t, http.StatusCreated, a.status, "a payment needs only PostgreSQL: %v", a.body)
	require.Eventually(t, func() bool { return f.healthz(f.base) == 503 }, 10*time.Second, 200*time.Millisecond,
		"/healthz takes the starter out while Temporal is %s", how)
	return o
}

// untilRefused calls until the starter has noticed Temporal is away (a call sent in the first
// moments may still be waiting on it) and checks the refusal; every answer must come before a
// client's timeout.
func (f *faultStack) untilRefused(what string, call func() answer) answer {
	f.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		a := call()
		require.NotZero(f.t, a.status, "%s: no answer within %s (%v)", what, clientTimeout, a.body)
		if a.status == http.StatusServiceUnavailable || time.Now().After(deadline) {
			f.unavailable(a, what)
			return a
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// afterTemporalBack retries what was refused, with the same keys, until it succeeds, and pays
// the order it placed.
func (f *faultStack) afterTemporalBack(how string, o, doomed *faultOrder) {
	t := f.t
	t.Helper()
	a := f.untilAnswered("placement retried after Temporal was "+how, 45*time.Second, func() answer { return f.place(o) })
	require.Equal(t, http.StatusCreated, a.status, "%v", a.body)
	a = f.untilAnswered("payment after Temporal was "+how, 30*time.Second, func() answer { return f.pay(o) })
	require.Equal(t, http.StatusCreated, a.status, "%v", a.body)
	a = f.untilAnswered("cancel retried after Temporal was "+how, 30*time.Second, func() answer { return f.cancel(doomed, how) })
	if how == "frozen" {
		require.Equal(t, http.StatusOK, a.status, "%v", a.body)
	} else {
		require.Equal(t, http.StatusConflict, a.status, "already cancelled: %v", a.body)
	}
}

// cancel sends the admin action Cancel, the same request each time for one outage.
func (f *faultStack) cancel(o *faultOrder, how string) answer {
	return f.send("POST", fmt.Sprintf("/api/v1/orders/%d/cancel", o.orderID), "cancel-"+how, map[string]any{})
}
