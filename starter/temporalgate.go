package main

import (
	"context"
	"errors"
	"sync"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/fault"
)

const (
	// gateProbeEvery is how often the gate asks Temporal whether it serves.
	gateProbeEvery = time.Second
	// gateProbeTimeout is how long an answer may take before Temporal counts as down: a frozen
	// or unreachable frontend otherwise holds each request until its own deadline (30 s for a
	// placement, 2 min for an admin action), past any client's timeout.
	gateProbeTimeout = 2 * time.Second
	// gateDownAfter is how many probes in a row must fail before Temporal counts as down: one
	// slow answer (a GC pause, a busy dev server) must not cancel every call in flight. One
	// answer brings it back.
	gateDownAfter = 2
)

// errTemporalDown is the cause of a call's context cancelled by the gate.
var errTemporalDown = errors.New("the Temporal frontend stopped answering")

// temporalGate fails the starter's calls to Temporal at once while Temporal does not answer
// its health check, and cancels the calls in flight when it stops answering, so that a caller
// gets a 503 with a Retry-After within seconds instead of a request that hangs. A probe that
// answers again opens the gate: the SDK's connection reconnects by itself.
type temporalGate struct {
	interceptor.ClientInterceptorBase
	log *zap.Logger

	mu     sync.Mutex
	down   bool
	failed int           // probes failed in a row
	lost   chan struct{} // closed when Temporal is found down; a fresh one once it is back
}

func newTemporalGate(log *zap.Logger) *temporalGate {
	return &temporalGate{log: log, lost: make(chan struct{})}
}

// clientOptions installs the gate on the starter's Temporal client.
func (g *temporalGate) clientOptions(o *client.Options) {
	o.Interceptors = append(o.Interceptors, g)
}

// watch probes Temporal until ctx ends.
func (g *temporalGate) watch(ctx context.Context, tc client.Client) {
	tick := time.NewTicker(gateProbeEvery)
	defer tick.Stop()
	for {
		probe, cancel := context.WithTimeout(ctx, gateProbeTimeout)
		_, err := tc.CheckHealth(probe, &client.CheckHealthRequest{})
		cancel()
		if ctx.Err() != nil {
			return
		}
		g.set(err)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// set records a probe's outcome, logging each change once.
func (g *temporalGate) set(probeErr error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if probeErr == nil {
		g.failed = 0
	} else {
		g.failed++
	}
	switch down := g.failed >= gateDownAfter; {
	case down && !g.down:
		g.log.Warn("Temporal is not answering: calls to it fail with 503 until it does", zap.Error(probeErr))
		close(g.lost)
	case !down && g.down:
		g.log.Info("Temporal answers again")
		g.lost = make(chan struct{})
	}
	g.down = g.failed >= gateDownAfter
}

// enter admits a call: an error while Temporal is down, else the call's context, cancelled
// with errTemporalDown if Temporal is found down before the call ends (done releases it).
func (g *temporalGate) enter(ctx context.Context) (context.Context, func(), error) {
	g.mu.Lock()
	down, lost := g.down, g.lost
	g.mu.Unlock()
	if down {
		return ctx, func() {}, unavailable()
	}
	ctx, cancel := context.WithCancelCause(ctx)
	finished := make(chan struct{})
	go func() {
		select {
		case <-lost:
			cancel(errTemporalDown)
		case <-finished:
		}
	}()
	return ctx, func() { close(finished); cancel(nil) }, nil
}

// explain says a call the gate cut short is unavailable, whatever the SDK made of the
// cancellation.
func explain(ctx context.Context, err error) error {
	if err != nil && errors.Is(context.Cause(ctx), errTemporalDown) {
		return unavailable()
	}
	return err
}

func unavailable() error {
	return &fault.Error{Kind: fault.Unavailable, Message: "the order service (Temporal) is not answering; retry shortly " +
		"(with the same Idempotency-Key when placing an order)"}
}

// gated runs one call through the gate.
func gated[T any](g *temporalGate, ctx context.Context, call func(context.Context) (T, error)) (T, error) {
	ctx, done, err := g.enter(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	defer done()
	v, err := call(ctx)
	return v, explain(ctx, err)
}

// InterceptClient makes the gate a client interceptor.
func (g *temporalGate) InterceptClient(next interceptor.ClientOutboundInterceptor) interceptor.ClientOutboundInterceptor {
	return &gatedClient{ClientOutboundInterceptorBase: interceptor.ClientOutboundInterceptorBase{Next: next}, gate: g}
}

// gatedClient passes the calls that start, update and signal workflows through the gate (an
// update's wait for its outcome runs inside its call). Queries go straight through: the order
// page asks one with a 2 s bound of its own and shows the page without its answer, where a
// refusal would fail the page.
type gatedClient struct {
	interceptor.ClientOutboundInterceptorBase
	gate *temporalGate
}

func (c *gatedClient) ExecuteWorkflow(ctx context.Context, in *interceptor.ClientExecuteWorkflowInput) (client.WorkflowRun, error) {
	return gated(c.gate, ctx, func(ctx context.Context) (client.WorkflowRun, error) { return c.Next.ExecuteWorkflow(ctx, in) })
}

func (c *gatedClient) SignalWorkflow(ctx context.Context, in *interceptor.ClientSignalWorkflowInput) error {
	_, err := gated(c.gate, ctx, func(ctx context.Context) (struct{}, error) { return struct{}{}, c.Next.SignalWorkflow(ctx, in) })
	return err
}

func (c *gatedClient) SignalWithStartWorkflow(ctx context.Context, in *interceptor.ClientSignalWithStartWorkflowInput) (client.WorkflowRun, error) {
	return gated(c.gate, ctx, func(ctx context.Context) (client.WorkflowRun, error) { return c.Next.SignalWithStartWorkflow(ctx, in) })
}

func (c *gatedClient) UpdateWorkflow(ctx context.Context, in *interceptor.ClientUpdateWorkflowInput) (client.WorkflowUpdateHandle, error) {
	return gated(c.gate, ctx, func(ctx context.Context) (client.WorkflowUpdateHandle, error) { return c.Next.UpdateWorkflow(ctx, in) })
}

func (c *gatedClient) UpdateWithStartWorkflow(ctx context.Context, in *interceptor.ClientUpdateWithStartWorkflowInput) (client.WorkflowUpdateHandle, error) {
	return gated(c.gate, ctx, func(ctx context.Context) (client.WorkflowUpdateHandle, error) {
		return c.Next.UpdateWithStartWorkflow(ctx, in)
	})
}
