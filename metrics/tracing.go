package metrics

import (
	"context"
	"fmt"
	"os"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"
)

// Service names of hostflow's processes in traces.
const (
	StarterService = "hostflow-starter"
	WorkerService  = "hostflow-worker"
)

// Tracing is one process's OpenTelemetry tracing. It is on only when an OTLP endpoint is
// configured (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), so that a
// plain deployment neither pays for spans nor logs export errors to nowhere. The exporter
// reads the standard OTEL_EXPORTER_OTLP_* settings (headers, TLS, timeout) itself, and the
// provider OTEL_TRACES_SAMPLER*.
type Tracing struct {
	provider *sdktrace.TracerProvider // nil: off
}

// TracingEnabled reports whether the environment asks for traces.
func TracingEnabled() bool {
	if strings.EqualFold(os.Getenv("OTEL_SDK_DISABLED"), "true") {
		return false
	}
	return os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// StartTracing sets up tracing for the process called service (OTEL_SERVICE_NAME overrides
// it), or returns a Tracing that is off.
func StartTracing(ctx context.Context, service string) (*Tracing, error) {
	if !TracingEnabled() {
		return &Tracing{}, nil
	}
	exporter, err := otlpExporter(ctx)
	if err != nil {
		return nil, err
	}
	res, err := resource.New(ctx, resource.WithAttributes(attribute.String("service.name", service)),
		resource.WithFromEnv(), resource.WithTelemetrySDK(), resource.WithHost())
	if err != nil {
		return nil, fmt.Errorf("tracing resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return &Tracing{provider: tp}, nil
}

// otlpExporter is OTLP over HTTP (the specification's default, port 4318) or, with
// OTEL_EXPORTER_OTLP_PROTOCOL=grpc, over gRPC (port 4317).
func otlpExporter(ctx context.Context) (sdktrace.SpanExporter, error) {
	protocol := os.Getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
	if protocol == "" {
		protocol = os.Getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
	}
	var exp sdktrace.SpanExporter
	var err error
	switch protocol {
	case "", "http/protobuf":
		exp, err = otlptracehttp.New(ctx)
	case "grpc":
		exp, err = otlptracegrpc.New(ctx)
	default:
		return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_PROTOCOL %q: hostflow exports traces over http/protobuf or grpc", protocol)
	}
	if err != nil {
		return nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	return exp, nil
}

// On reports whether spans are recorded.
func (t *Tracing) On() bool { return t.provider != nil }

// Tracer is the tracer of HTTP request spans, or nil when tracing is off.
func (t *Tracing) Tracer() trace.Tracer {
	if t.provider == nil {
		return nil
	}
	return t.provider.Tracer("github.com/hostflow/hostflow")
}

// Interceptors are the Temporal client's interceptors: the SDK's OpenTelemetry interceptor,
// which carries the span of an API request into the workflow it starts or messages, and from
// the workflow into its activities. None when tracing is off.
func (t *Tracing) Interceptors() ([]interceptor.ClientInterceptor, error) {
	if t.provider == nil {
		return nil, nil
	}
	i, err := temporalotel.NewTracingInterceptor(temporalotel.TracerOptions{Tracer: t.provider.Tracer("temporal-sdk-go")})
	if err != nil {
		return nil, err
	}
	return []interceptor.ClientInterceptor{i}, nil
}

// Shutdown sends the spans still buffered.
func (t *Tracing) Shutdown(ctx context.Context) error {
	if t.provider == nil {
		return nil
	}
	return t.provider.Shutdown(ctx)
}
