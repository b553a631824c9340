// Package config reads the settings every hostflow process shares from the environment.
package config

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/logging"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// Config is what the worker and the API need to start.
type Config struct {
	DatabaseURL       string
	TemporalAddress   string
	TemporalNamespace string
	HTTPAddr          string
	// PublicURL is where clients and admins reach hostflow (HOSTFLOW_PUBLIC_URL), as cookies
	// are decided by it; "" when unset. Links use LinkBase.
	PublicURL   string
	AdminAPIKey string
	TaskQueue   string
	Dev         bool
	Secrets     *secrets.Box
	// GatewaySecrets are webhook signing secrets by gateway name:
	// HOSTFLOW_STRIPE_WEBHOOK_SECRET for stripe, HOSTFLOW_GATEWAY_<NAME>_SECRET for the others.
	GatewaySecrets map[string]string
	Modules        Modules
	WHMCS          WHMCS
	// TrustedProxies (HOSTFLOW_TRUSTED_PROXIES) are the load balancers whose
	// X-Forwarded-For gives the client's address.
	TrustedProxies []netip.Prefix
	// TemporalTLS, when set, is the client TLS of the Temporal connection (mTLS with
	// TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY); nil dials in plain text, as the dev server wants.
	TemporalTLS *tls.Config
	Metrics     Metrics
}

// Metrics says where /metrics is served. "off" serves it nowhere.
type Metrics struct {
	// Addr (HOSTFLOW_METRICS_ADDR, default 127.0.0.1:9092) is the starter's own listener for
	// /metrics: loopback by default, since the metrics tell order volumes and Prometheus sends
	// no key. MetricsOnAPI serves /metrics on the API's listener instead (HOSTFLOW_HTTP_ADDR).
	Addr string
	// AddrSet is true when Addr was configured, not defaulted: only then does an address
	// already in use stop the starter (two starters on one host share the default).
	AddrSet bool
	// WorkerAddr (HOSTFLOW_WORKER_METRICS_ADDR, default 127.0.0.1:9091) is the worker's
	// listener for /metrics and /healthz.
	WorkerAddr string
	// WorkerAddrSet is true when WorkerAddr was configured, not defaulted: only then does an
	// address already in use stop the worker (two workers on one host share the default).
	WorkerAddrSet bool
	// Pprof (HOSTFLOW_PPROF=1) serves Go's profiles at /debug/pprof/ on the starter's and the
	// worker's own metrics listeners (never on the API's): `make bench` reads them.
	Pprof bool
}

// MetricsOff is the address that serves no metrics.
const MetricsOff = "off"

// MetricsOnAPI serves the starter's /metrics on the API's own listener, for a deployment whose
// load balancer keeps /metrics from the public.
const MetricsOnAPI = "api"

// WHMCS configures the WHMCS-compatible API.
type WHMCS struct {
	Identifier, Secret string // one credential pair, stored (hashed) at start-up
	AllowedIPs         []netip.Prefix
	AccessKey          string
}

// Load reads the environment. Outside dev mode (HOSTFLOW_DEV=1) it refuses to go on without a
// secret key; in dev mode it keeps one under .devdata so that restarts can open old secrets.
func Load() (Config, error) {
	c := Config{
		DatabaseURL:       env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hostflow?sslmode=disable"),
		TemporalAddress:   env("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
		TemporalNamespace: env("TEMPORAL_NAMESPACE", "default"),
		HTTPAddr:          env("HOSTFLOW_HTTP_ADDR", "127.0.0.1:8080"),
		PublicURL:         os.Getenv("HOSTFLOW_PUBLIC_URL"),
		AdminAPIKey:       os.Getenv("HOSTFLOW_ADMIN_API_KEY"),
		TaskQueue:         env("HOSTFLOW_TASK_QUEUE", ordermsg.TaskQueue),
		Dev:               os.Getenv("HOSTFLOW_DEV") == "1",
		GatewaySecrets:    gatewaySecrets(os.Environ()),
		Metrics: Metrics{Addr: env("HOSTFLOW_METRICS_ADDR", "127.0.0.1:9092"),
			WorkerAddr: env("HOSTFLOW_WORKER_METRICS_ADDR", "127.0.0.1:9091")},
	}
	c.Metrics.AddrSet = os.Getenv("HOSTFLOW_METRICS_ADDR") != ""
	c.Metrics.WorkerAddrSet = os.Getenv("HOSTFLOW_WORKER_METRICS_ADDR") != ""
	c.Metrics.Pprof = os.Getenv("HOSTFLOW_PPROF") == "1"
	var err error
	if c.TemporalTLS, err = temporalTLS(); err != nil {
		return c, err
	}
	if c.Modules, err = LoadModules(); err != nil {
		return c, err
	}
	if c.WHMCS, err = loadWHMCS(); err != nil {
		return c, err
	}
	if c.TrustedProxies, err = prefixes("HOSTFLOW_TRUSTED_PROXIES"); err != nil {
		return c, err
	}
	key := os.Getenv(secrets.KeyEnv)
	if key == "" && c.Dev {
		if key, err = devKey(env("HOSTFLOW_DEV_DIR", ".devdata")); err != nil {
			return c, err
		}
	}
	if key == "" {
		return c, fmt.Errorf("%s is not set: generate one with `openssl rand -base64 32` (or set HOSTFLOW_DEV=1 on a developer machine)", secrets.KeyEnv)
	}
	box, err := secretBox(key)
	if err != nil {
		return c, err
	}
	c.Secrets = box
	return c, nil
}

func devKey(dir string) (string, error) {
	path := filepath.Join(dir, "secret.key")
	b, err := os.ReadFile(path)
	if err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("read dev secret key: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	key := secrets.NewKey()
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write dev secret key: %w", err)
	}
	return key, nil
}

// Connect opens the database, creating and migrating it first, and dials Temporal: what every
// hostflow process needs before it can serve. opts add to the Temporal client's options (its
// metrics handler, its interceptors).
func (c Config) Connect(ctx context.Context, z *zap.Logger, opts ...func(*client.Options)) (*pgxpool.Pool, client.Client, error) {
	pool, err := db.Connect(ctx, c.DatabaseURL)
	if err != nil {
		return nil, nil, err
	}
	tc, err := c.DialTemporal(z, opts...)
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return pool, tc, nil
}

// DialTemporal connects to the Temporal frontend, logging through z, over TLS if configured.
func (c Config) DialTemporal(z *zap.Logger, opts ...func(*client.Options)) (client.Client, error) {
	o := client.Options{HostPort: c.TemporalAddress, Namespace: c.TemporalNamespace, Logger: logging.Temporal(z),
		ConnectionOptions: client.ConnectionOptions{TLS: c.TemporalTLS}}
	for _, opt := range opts {
		opt(&o)
	}
	cl, err := client.Dial(o)
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s: %w", c.TemporalAddress, err)
	}
	return cl, nil
}

// temporalTLS reads the Temporal client's TLS settings: TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY
// (PEM files, the client certificate and its key, for a cluster that requires mTLS),
// TEMPORAL_TLS_CA (PEM file of the CA that signed the frontend's certificate; the system's roots
// without it) and TEMPORAL_TLS_SERVER_NAME (the name the frontend's certificate is checked
// against, when the address does not carry it). With none of the four set the connection is
// plain text (nil). Each file is read here, so a wrong path stops the process at start-up.
func temporalTLS() (*tls.Config, error) {
	certFile, keyFile := os.Getenv("TEMPORAL_TLS_CERT"), os.Getenv("TEMPORAL_TLS_KEY")
	caFile, serverName := os.Getenv("TEMPORAL_TLS_CA"), os.Getenv("TEMPORAL_TLS_SERVER_NAME")
	if certFile == "" && keyFile == "" && caFile == "" && serverName == "" {
		return nil, nil
	}
	if (certFile == "") != (keyFile == "") {
		return nil, fmt.Errorf("TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together: set both (the client certificate and its key) or neither")
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: serverName}
	if certFile != "" {
		pair, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY: load the Temporal client certificate %s with key %s: %w", certFile, keyFile, err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA: read the Temporal CA certificate: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA: %s holds no PEM certificate", caFile)
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}

func loadWHMCS() (WHMCS, error) {
	w := WHMCS{Identifier: os.Getenv("HOSTFLOW_WHMCS_IDENTIFIER"), Secret: os.Getenv("HOSTFLOW_WHMCS_SECRET"),
		AccessKey: os.Getenv("HOSTFLOW_WHMCS_ACCESS_KEY")}
	if (w.Identifier == "") != (w.Secret == "") {
		return w, fmt.Errorf("HOSTFLOW_WHMCS_IDENTIFIER and HOSTFLOW_WHMCS_SECRET go together")
	}
	// The access key lets a caller past the IP allow-list: as guessable as any other key.
	if err := access.CheckConfiguredKey("HOSTFLOW_WHMCS_ACCESS_KEY", w.AccessKey); err != nil {
		return w, err
	}
	var err error
	w.AllowedIPs, err = prefixes("HOSTFLOW_WHMCS_ALLOWED_IPS")
	return w, err
}

// prefixes reads a list of addresses and CIDRs, separated by commas or spaces.
func prefixes(name string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range strings.FieldsFunc(os.Getenv(name), func(r rune) bool { return r == ',' || r == ' ' }) {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return nil, fmt.Errorf("%s: %q is not an address or CIDR", name, s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p)
	}
	return out, nil
}

func gatewaySecrets(environ []string) map[string]string {
	out := map[string]string{}
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if v == "" {
			continue
		}
		if k == "HOSTFLOW_STRIPE_WEBHOOK_SECRET" {
			out["stripe"] = v
		} else if name, ok := strings.CutPrefix(k, "HOSTFLOW_GATEWAY_"); ok {
			if name, ok = strings.CutSuffix(name, "_SECRET"); ok && name != "" {
				out[strings.ToLower(name)] = v
			}
		}
	}
	return out
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// LinkBase is what the links hostflow sends out (emails, the WHMCS API's invoice link) start
// with: the public URL, else the API's own address (a local stack).
func (c Config) LinkBase() string { return cmp.Or(c.PublicURL, "http://"+c.HTTPAddr) }

// TaskPollers is how many long polls a worker keeps open for each kind of task: more than the
// SDK's two, or an order's tasks wait for a poller more than they run (make bench:
// schedule-to-start 58 → 36 ms, 9.4 → 13.5 orders/s at concurrency 10 with eight; with two, a
// placement now and then waits about 2 s, the checkout's and the floor's p99). bin/worker, the
// floor's worker and the tests' workers all run with it.
const TaskPollers = 8
