package cpanel

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/provisioning"
)

// Name is the module's name on products and servers.
const Name = "cpanel"

// Module provisions hosting accounts on cPanel & WHM servers. Each server brings its own
// hostname, user and API token.
type Module struct {
	// Timeout bounds one WHM call; createacct can take a minute on a busy server.
	Timeout time.Duration

	mu         sync.Mutex
	transports map[transportKey]*http.Transport // one per server configuration, kept alive between calls
}

// transportKey is what a transport depends on: the server it dials and whether it verifies the
// server's certificate.
type transportKey struct {
	host       string
	skipVerify bool
}

// New returns the module with a timeout fit for createacct.
func New() *Module { return &Module{Timeout: 3 * time.Minute} }

func (m *Module) client(s provisioning.Server) *client {
	host := hostPort(s.Hostname)
	return newClient(s, host, m.transport(transportKey{host: host, skipVerify: s.SkipTLSVerify}), m.Timeout)
}

// transport returns the server configuration's transport, so that its connections (and TLS
// sessions) are reused from one call to the next.
func (m *Module) transport(k transportKey) *http.Transport {
	m.mu.Lock()
	defer m.mu.Unlock()
	if tr := m.transports[k]; tr != nil {
		return tr
	}
	if m.transports == nil {
		m.transports = map[transportKey]*http.Transport{}
	}
	tr := newTransport(k.skipVerify)
	m.transports[k] = tr
	return tr
}

// Create makes the account. It is idempotent: if the account already exists with this
// domain (an earlier try timed out, or WHM reported a failure after creating it), that is the
// account asked for and Create succeeds. An account of that name for another domain is never
// touched.
func (m *Module) Create(ctx context.Context, a provisioning.Account) error {
	c := m.client(a.Server)
	if acct, err := c.owned(ctx, a); acct != nil || err != nil {
		return err
	}
	// WHM refuses a name whose first 8 letters another account has, and reserved names: ask
	// first, so that such a refusal is known for what it is.
	var whmErr *Error
	if err := c.call(ctx, "verify_new_username", url.Values{"user": {a.Username}}, nil); errors.As(err, &whmErr) {
		return permanent.Wrap(fmt.Errorf("%w: %s", provisioning.ErrUsernameTaken, whmErr.Reason))
	} else if err != nil {
		return err
	}
	params := url.Values{"username": {a.Username}, "domain": {a.Domain}, "password": {a.Password}}
	if a.Package != "" {
		params.Set("plan", a.Package)
	}
	if a.Email != "" {
		params.Set("contactemail", a.Email)
	}
	err := c.call(ctx, "createacct", params, nil)
	if errors.As(err, &whmErr) {
		// WHM has been seen to report a failure for an account it did create.
		if acct, lookErr := c.owned(ctx, a); acct != nil && lookErr == nil {
			return nil
		}
		return permanent.Wrap(fmt.Errorf("createacct: %s", whmErr.Reason))
	}
	return err
}

// owned looks the account up by its username and refuses one that belongs to another domain:
// nothing is done to another customer's account. nil, nil: there is no such account.
func (c *client) owned(ctx context.Context, a provisioning.Account) (*account, error) {
	acct, err := c.lookup(ctx, a.Username)
	if err != nil || acct == nil {
		return nil, asPermanent(err)
	}
	if !strings.EqualFold(acct.Domain, a.Domain) {
		return nil, permanent.Wrap(fmt.Errorf("%w: %s belongs to %s on %s", provisioning.ErrUsernameTaken,
			a.Username, acct.Domain, a.Server.Hostname))
	}
	return acct, nil
}

// Suspend suspends the account; suspending a suspended account succeeds. An account of that
// name for another domain is refused, never suspended.
func (m *Module) Suspend(ctx context.Context, a provisioning.Account, reason string) error {
	return m.run(ctx, a, "suspendacct", url.Values{"user": {a.Username}, "reason": {reason}},
		func(acct *account) bool { return acct != nil && acct.Suspended == 1 })
}

// Unsuspend lifts a suspension; an account that is not suspended succeeds.
func (m *Module) Unsuspend(ctx context.Context, a provisioning.Account) error {
	return m.run(ctx, a, "unsuspendacct", url.Values{"user": {a.Username}},
		func(acct *account) bool { return acct != nil && acct.Suspended == 0 })
}

// Terminate removes the account; an account already gone succeeds. An account of that name
// for another domain is refused, never removed.
func (m *Module) Terminate(ctx context.Context, a provisioning.Account) error {
	return m.run(ctx, a, "removeacct", url.Values{"username": {a.Username}},
		func(acct *account) bool { return acct == nil })
}

// ChangePackage moves the account to another package (plan).
func (m *Module) ChangePackage(ctx context.Context, a provisioning.Account) error {
	if a.Package == "" {
		return permanent.Wrap(errors.New("changepackage: no package to change to (the product names none)"))
	}
	return m.run(ctx, a, "changepackage", url.Values{"user": {a.Username}, "pkg": {a.Package}},
		func(acct *account) bool { return acct != nil && acct.Plan == a.Package })
}

// ChangePassword sets the account's password. There is no way to read a password back, so a
// retry simply sets it again, which is harmless.
func (m *Module) ChangePassword(ctx context.Context, a provisioning.Account) error {
	c := m.client(a.Server)
	if _, err := c.owned(ctx, a); err != nil {
		return err
	}
	err := c.call(ctx, "passwd", url.Values{"user": {a.Username}, "password": {a.Password}}, nil)
	return asPermanent(err)
}

// run first checks that the account, if WHM has it, is this service's (its domain), as Create
// does; an account already gone, when gone is what is wanted, needs no call. It then calls
// function and, if WHM refuses, asks whether the account is already as wanted (a retry after a
// lost reply) before passing WHM's reason on.
func (m *Module) run(ctx context.Context, a provisioning.Account, function string, params url.Values, done func(*account) bool) error {
	c := m.client(a.Server)
	acct, err := c.owned(ctx, a)
	if err != nil {
		return err
	}
	if acct == nil && done(nil) {
		return nil // gone already: nothing of this name to act on
	}
	err = c.call(ctx, function, params, nil)
	var whmErr *Error
	if !errors.As(err, &whmErr) {
		return err
	}
	if acct, lookErr := c.lookup(ctx, a.Username); lookErr == nil && done(acct) {
		return nil
	}
	return permanent.Wrap(fmt.Errorf("%s: %s", function, whmErr.Reason))
}

// asPermanent marks a WHM refusal as not worth retrying.
func asPermanent(err error) error {
	var whmErr *Error
	if errors.As(err, &whmErr) {
		return permanent.Wrap(fmt.Errorf("%s: %s", whmErr.Function, whmErr.Reason))
	}
	return err
}
