package metrics

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.uber.org/zap"
)

// Process is what a hostflow process sets up for operators before it dials Temporal: its
// registry, the SDK's metrics in it, and tracing.
type Process struct {
	*Registry
	Tracing      *Tracing
	temporal     client.MetricsHandler
	closeTally   io.Closer
	interceptors []interceptor.ClientInterceptor
}

// Start sets up metrics and, if configured, tracing for the process called service.
func Start(ctx context.Context, log *zap.Logger, service string) (*Process, error) {
	tr, err := StartTracing(ctx, service)
	if err != nil {
		return nil, err
	}
	ics, err := tr.Interceptors()
	if err != nil {
		return nil, errors.Join(err, tr.Shutdown(ctx))
	}
	if tr.On() {
		log.Info("tracing on", zap.String("service", service))
	}
	p := &Process{Registry: New(log), Tracing: tr, interceptors: ics}
	p.temporal, p.closeTally = p.TemporalHandler()
	return p, nil
}

// ClientOptions gives the Temporal client the SDK metrics handler and the tracing interceptor;
// workers made from the client inherit both.
func (p *Process) ClientOptions(o *client.Options) {
	o.MetricsHandler = p.temporal
	o.Interceptors = append(o.Interceptors, p.interceptors...)
}

// Close flushes the SDK's metrics and the spans still buffered.
func (p *Process) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return errors.Join(p.closeTally.Close(), p.Tracing.Shutdown(ctx))
}

// Profiling adds Go's profiles (net/http/pprof) under /debug/pprof/ to mux: a CPU profile of a
// running process is where its time goes, without a rebuild.
func Profiling(mux *http.ServeMux) {
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
}

// Serve serves mux on a listener of its own at addr until ctx ends. It listens before it
// returns, so that an address in use is an error of the caller's to decide on.
func Serve(ctx context.Context, log *zap.Logger, addr string, h http.Handler) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener stopped", zap.String("addr", addr), zap.Error(err))
		}
	}()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Info("metrics listening", zap.String("addr", "http://"+l.Addr().String()+"/metrics"))
	return nil
}
