package metrics

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Unmatched is the route label of a request no route matched: its raw path would give every
// scanner's probe a series of its own.
const Unmatched = "unmatched"

// HTTP measures and traces the requests of a chi router.
type HTTP struct {
	duration *prometheus.HistogramVec
	tracer   trace.Tracer // nil: tracing off
}

// NewHTTP registers the request duration histogram in reg. tracer, if not nil, starts a server
// span per request, continuing a W3C traceparent the client sent.
func NewHTTP(reg *Registry, tracer trace.Tracer) *HTTP {
	h := &HTTP{tracer: tracer, duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: Namespace, Name: "http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by method, chi route pattern (unmatched when none) and status code.",
		Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
	}, []string{"method", "route", "status"})}
	reg.MustRegister(h.duration)
	return h
}

// Wrap instruments next, a chi router. It gives the router a routing context of its own, so
// that the route pattern chi matched can still be read after the router returns (chi recycles
// the context it makes itself).
func (h *HTTP) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rctx := chi.NewRouteContext()
		ctx := r.Context()
		var span trace.Span
		if h.tracer != nil {
			ctx = otel.GetTextMapPropagator().Extract(ctx, propagation.HeaderCarrier(r.Header))
			ctx, span = h.tracer.Start(ctx, r.Method, trace.WithSpanKind(trace.SpanKindServer),
				trace.WithAttributes(attribute.String("http.request.method", r.Method), attribute.String("url.path", r.URL.Path)))
			defer span.End()
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(ctx, chi.RouteCtxKey, rctx)))
		route := rctx.RoutePattern()
		// A path that matched only a mount ("/api/v1/*") and then nothing in it is as unmatched
		// as one that matched nothing at all.
		if route == "" || rec.status == http.StatusNotFound && strings.HasSuffix(route, "/*") {
			route = Unmatched
		}
		h.duration.WithLabelValues(method(r.Method), route, strconv.Itoa(rec.status)).Observe(time.Since(start).Seconds())
		if span != nil {
			span.SetName(r.Method + " " + route)
			span.SetAttributes(attribute.String("http.route", route), attribute.Int("http.response.status_code", rec.status))
			if rec.status >= 500 {
				span.SetStatus(codes.Error, http.StatusText(rec.status))
			}
		}
	})
}

// methods are the label values a method may take; any other is "other", so that a client
// cannot make series with made-up methods.
var methods = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true}

func method(m string) string {
	if methods[m] {
		return m
	}
	return "other"
}

// statusRecorder keeps the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wroteHeader {
		s.status, s.wroteHeader = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wroteHeader = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the server's writer (flush, deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
