package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/registrar"
)

// Calls times the worker's calls to the outside world: control-panel modules, registrars and
// the mail relay. It wraps their interfaces where the worker builds its activities, so the
// activities do not know they are measured.
type Calls struct {
	duration *prometheus.HistogramVec
	failures *prometheus.CounterVec
	emails   *prometheus.CounterVec
	emailDur prometheus.Histogram
}

// Kinds of module, the kind label of the module call metrics.
const (
	KindPanel     = "panel"
	KindRegistrar = "registrar"
)

// Outcomes of an email send, the outcome label of email_sends_total.
const (
	emailSent             = "sent"
	emailTemporaryFailure = "temporary_failure" // retried
	emailFailed           = "failed"
	emailNotConfigured    = "not_configured" // no SMTP relay
)

// emailOutcomes lists them, so every outcome shows from the start, at 0.
var emailOutcomes = []string{emailSent, emailTemporaryFailure, emailFailed, emailNotConfigured}

// NewCalls registers the module and email metrics in reg.
func NewCalls(reg *Registry) *Calls {
	buckets := []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120}
	c := &Calls{
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: Namespace, Name: "module_call_duration_seconds",
			Help:    "Time of a call to a control-panel (kind panel) or registrar (kind registrar) module, by module and operation, failed or not.",
			Buckets: buckets}, []string{"kind", "module", "operation"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "module_call_failures_total",
			Help: "Calls to a control-panel or registrar module that returned an error, by module and operation."}, []string{"kind", "module", "operation"}),
		emails: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "email_sends_total",
			Help: "Emails handed to the mail relay, by outcome: sent, temporary_failure (retried), failed, not_configured (no SMTP relay)."}, []string{"outcome"}),
		emailDur: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: Namespace, Name: "email_send_duration_seconds",
			Help: "Time to hand one email to the mail relay.", Buckets: buckets}),
	}
	for _, o := range emailOutcomes {
		c.emails.WithLabelValues(o)
	}
	reg.MustRegister(c.duration, c.failures, c.emails, c.emailDur)
	return c
}

// timed runs one module call and records its time, and its failure if it failed.
func timed[T any](c *Calls, kind, module, op string, fn func() (T, error)) (T, error) {
	start := time.Now()
	v, err := fn()
	c.duration.WithLabelValues(kind, module, op).Observe(time.Since(start).Seconds())
	if err != nil {
		c.failures.WithLabelValues(kind, module, op).Inc()
	}
	return v, err
}

// call is timed for a call that answers only an error.
func (c *Calls) call(kind, module, op string, fn func() error) error {
	_, err := timed(c, kind, module, op, func() (struct{}, error) { return struct{}{}, fn() })
	return err
}

// The operation label values, one per interface method.
var (
	panelOps     = []string{"create", "suspend", "unsuspend", "terminate", "change_package", "change_password"}
	registrarOps = []string{"register", "transfer", "status"}
	managerOps   = []string{"nameservers", "set_nameservers", "expiry", "renew"}
)

// zero makes a module's failure counters show from the start, at 0, so that rate() and
// alerts see the first failure as an increase.
func (c *Calls) zero(kind, module string, ops []string) {
	for _, op := range ops {
		c.failures.WithLabelValues(kind, module, op)
	}
}

// Panels returns r with each module measured under its name. A module that tests a server's
// connection (provisioning.Tester) stays one, as Registrars keeps a registrar.Manager.
func (c *Calls) Panels(r provisioning.Registry) provisioning.Registry {
	out := make(provisioning.Registry, len(r))
	for name, p := range r {
		measured := panel{next: p, name: name, c: c}
		c.zero(KindPanel, name, panelOps)
		if t, ok := p.(provisioning.Tester); ok {
			out[name] = testerPanel{panel: measured, t: t}
			c.zero(KindPanel, name, []string{testConnectionOp})
		} else {
			out[name] = measured
		}
	}
	return out
}

// testConnectionOp is the operation label of a Test Connection.
const testConnectionOp = "test_connection"

type testerPanel struct {
	panel
	t provisioning.Tester
}

func (p testerPanel) TestConnection(ctx context.Context, s provisioning.Server) (string, error) {
	return timed(p.c, KindPanel, p.name, testConnectionOp, func() (string, error) { return p.t.TestConnection(ctx, s) })
}

type panel struct {
	next provisioning.Provisioner
	name string
	c    *Calls
}

func (p panel) call(op string, fn func() error) error { return p.c.call(KindPanel, p.name, op, fn) }

func (p panel) Create(ctx context.Context, a provisioning.Account) error {
	return p.call("create", func() error { return p.next.Create(ctx, a) })
}
func (p panel) Suspend(ctx context.Context, a provisioning.Account, reason string) error {
	return p.call("suspend", func() error { return p.next.Suspend(ctx, a, reason) })
}
func (p panel) Unsuspend(ctx context.Context, a provisioning.Account) error {
	return p.call("unsuspend", func() error { return p.next.Unsuspend(ctx, a) })
}
func (p panel) Terminate(ctx context.Context, a provisioning.Account) error {
	return p.call("terminate", func() error { return p.next.Terminate(ctx, a) })
}
func (p panel) ChangePackage(ctx context.Context, a provisioning.Account) error {
	return p.call("change_package", func() error { return p.next.ChangePackage(ctx, a) })
}
func (p panel) ChangePassword(ctx context.Context, a provisioning.Account) error {
	return p.call("change_password", func() error { return p.next.ChangePassword(ctx, a) })
}

// Registrars returns r with each registrar measured under its name. A registrar that also
// manages domains it holds (registrar.Manager) stays one: the registry finds that by a type
// assertion, which a plain wrapper would hide.
func (c *Calls) Registrars(r registrar.Registry) registrar.Registry {
	out := make(registrar.Registry, len(r))
	for name, m := range r {
		reg := registrarCalls{next: m, name: name, c: c}
		c.zero(KindRegistrar, name, registrarOps)
		if mg, ok := m.(registrar.Manager); ok {
			out[name] = managerCalls{registrarCalls: reg, mg: mg}
			c.zero(KindRegistrar, name, managerOps)
		} else {
			out[name] = reg
		}
	}
	return out
}

type registrarCalls struct {
	next registrar.Registrar
	name string
	c    *Calls
}

func (r registrarCalls) Register(ctx context.Context, d registrar.Domain) (registrar.Result, error) {
	return timed(r.c, KindRegistrar, r.name, "register", func() (registrar.Result, error) { return r.next.Register(ctx, d) })
}
func (r registrarCalls) Transfer(ctx context.Context, d registrar.Domain) (registrar.Result, error) {
	return timed(r.c, KindRegistrar, r.name, "transfer", func() (registrar.Result, error) { return r.next.Transfer(ctx, d) })
}
func (r registrarCalls) Status(ctx context.Context, d registrar.Domain) (registrar.Result, error) {
	return timed(r.c, KindRegistrar, r.name, "status", func() (registrar.Result, error) { return r.next.Status(ctx, d) })
}

type managerCalls struct {
	registrarCalls
	mg registrar.Manager
}

func (m managerCalls) Nameservers(ctx context.Context, name string) ([]string, error) {
	return timed(m.c, KindRegistrar, m.name, "nameservers", func() ([]string, error) { return m.mg.Nameservers(ctx, name) })
}
func (m managerCalls) SetNameservers(ctx context.Context, name string, nameservers []string) error {
	return m.c.call(KindRegistrar, m.name, "set_nameservers", func() error { return m.mg.SetNameservers(ctx, name, nameservers) })
}
func (m managerCalls) Expiry(ctx context.Context, name string) (time.Time, error) {
	return timed(m.c, KindRegistrar, m.name, "expiry", func() (time.Time, error) { return m.mg.Expiry(ctx, name) })
}
func (m managerCalls) Renew(ctx context.Context, name string, years int) (time.Time, error) {
	return timed(m.c, KindRegistrar, m.name, "renew", func() (time.Time, error) { return m.mg.Renew(ctx, name, years) })
}

// Sender returns s with each send counted by outcome and timed.
func (c *Calls) Sender(s email.Sender) email.Sender { return sender{next: s, c: c} }

type sender struct {
	next email.Sender
	c    *Calls
}

func (s sender) Send(ctx context.Context, m email.Message) error {
	start := time.Now()
	err := s.next.Send(ctx, m)
	s.c.emailDur.Observe(time.Since(start).Seconds())
	var temp *email.TemporaryError
	outcome := emailSent
	switch {
	case errors.Is(err, email.ErrNotConfigured):
		outcome = emailNotConfigured
	case errors.As(err, &temp):
		outcome = emailTemporaryFailure
	case err != nil:
		outcome = emailFailed
	}
	s.c.emails.WithLabelValues(outcome).Inc()
	return err
}
