// Package metrics is what hostflow shows operators: Prometheus metrics of its own (HTTP
// requests, order lifecycle, module and email calls, backlog gauges read from PostgreSQL), the
// Temporal SDK's metrics on the same registry, and OpenTelemetry tracing when an OTLP endpoint
// is configured. Labels are bounded sets (route patterns, module and operation names, status
// codes): never an order id, a raw path or anything secret.
package metrics

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/uber-go/tally/v4"
	tallyprom "github.com/uber-go/tally/v4/prometheus"
	"go.temporal.io/sdk/client"
	contribtally "go.temporal.io/sdk/contrib/tally"
	"go.uber.org/zap"
)

// Namespace prefixes hostflow's own metric names; the SDK's begin with temporal_.
const Namespace = "hostflow"

// Registry is one process's metrics: its own collectors, the Go runtime's and the process's,
// and the Temporal SDK's once TemporalHandler has been called.
type Registry struct {
	reg *prometheus.Registry
	log *zap.Logger
}

// New returns a registry holding the Go runtime and process collectors.
func New(log *zap.Logger) *Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return &Registry{reg: reg, log: log}
}

// MustRegister adds collectors; a name registered twice is a programming error.
func (r *Registry) MustRegister(cs ...prometheus.Collector) { r.reg.MustRegister(cs...) }

// Handler serves the registry in Prometheus' text format. A collector that fails (PostgreSQL
// down) does not blank the page: the rest is still served.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError,
		ErrorLog: zap.NewStdLog(r.log), Registry: r.reg, Timeout: 10 * time.Second})
}

// temporalBuckets cover what the SDK times: from a sub-millisecond local activity to a long
// poll (about a minute).
var temporalBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120}

// TemporalHandler returns the Temporal client's MetricsHandler, reporting into this registry,
// and what flushes and stops it at exit. The SDK's names follow its Prometheus conventions
// (temporal_workflow_task_execution_latency_seconds, temporal_activity_execution_failed_total,
// ...), so the SDK's own dashboards work on them.
func (r *Registry) TemporalHandler() (client.MetricsHandler, io.Closer) {
	reporter := tallyprom.NewReporter(tallyprom.Options{
		Registerer: r.reg, Gatherer: r.reg,
		// Histograms, not the default summaries: they aggregate across workers.
		DefaultTimerType: tallyprom.HistogramTimerType, DefaultHistogramBuckets: temporalBuckets,
		// The SDK may emit one name with two tag sets; the reporter's default is to panic then.
		OnRegisterError: func(err error) {
			var already prometheus.AlreadyRegisteredError
			if !errors.As(err, &already) {
				r.log.Warn("Temporal SDK metric not registered", zap.Error(err))
			}
		},
	})
	scope, closer := tally.NewRootScope(tally.ScopeOptions{CachedReporter: reporter, Separator: tallyprom.DefaultSeparator,
		SanitizeOptions: &contribtally.PrometheusSanitizeOptions}, time.Second)
	return contribtally.NewMetricsHandler(contribtally.NewPrometheusNamingScope(scope)), closer
}
