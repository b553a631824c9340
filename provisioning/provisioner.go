// Package provisioning is the control-panel side of hostflow: the Provisioner interface a module
// (cPanel, Plesk, ...) implements, and the registry that picks one by a product's module name.
package provisioning

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
)

// Account is what a module needs to act on one hosting account.
type Account struct {
	ServiceID int64
	Domain    string
	Username  string
	Password  string
	Package   string
	Email     string // the client's, for the panel's contact address
	Server    Server
}

// Server is the control-panel server an account lives on.
type Server struct {
	ID          int64
	Hostname    string
	Username    string
	Credentials string
	// SkipTLSVerify accepts a self-signed certificate, as panels fresh from install have.
	SkipTLSVerify bool
}

// Provisioner creates and manages hosting accounts on a control panel. Every method must be
// idempotent: Temporal retries it after timeouts and crashes, so a Create that already happened
// must succeed again without a second account.
type Provisioner interface {
	Create(ctx context.Context, a Account) error
	Suspend(ctx context.Context, a Account, reason string) error
	Unsuspend(ctx context.Context, a Account) error
	Terminate(ctx context.Context, a Account) error
	// ChangePackage moves the account to a.Package; ChangePassword sets a.Password on it.
	ChangePackage(ctx context.Context, a Account) error
	ChangePassword(ctx context.Context, a Account) error
}

// LiveAccount reports whether a service of module in status has an account running on its
// panel: the accounts a Cancel or Fraud terminates, and that a Delete must not forget.
func LiveAccount(status order.Status, module string) bool {
	return module != None && (status == order.Active || status == order.Suspended)
}

// CreatesOnAccept reports whether Accept Order sets up a Pending service of module through the
// module when the admin leaves Run Module Create to its default: a product with a module,
// unless the product is never set up automatically.
func CreatesOnAccept(module string, setup order.AutoSetup) bool {
	return module != None && setup != order.SetupNever
}

// ErrUsernameTaken says the panel has the account's username for someone else (or refuses it
// as a new name). A generated username is then replaced by the next free one.
var ErrUsernameTaken = errors.New("username taken on the server")

// None is the module name for products provisioned by hand.
const None = "none"

// Registry maps module names to provisioners.
type Registry map[string]Provisioner

// NewRegistry returns a registry holding the "none" module.
func NewRegistry() Registry { return Registry{None: manual{}} }

// Get returns the provisioner for module.
func (r Registry) Get(module string) (Provisioner, error) {
	p, ok := r[module]
	if !ok {
		return nil, permanent.Wrap(fmt.Errorf("no provisioning module %q", module))
	}
	return p, nil
}

// Names lists the registered modules.
func (r Registry) Names() []string { return slices.Sorted(maps.Keys(r)) }

// manual is the "none" module: nothing is automated, the admin sets accounts up by hand, so every
// action succeeds without calling anything.
type manual struct{}

func (manual) Create(context.Context, Account) error          { return nil }
func (manual) Suspend(context.Context, Account, string) error { return nil }
func (manual) Unsuspend(context.Context, Account) error       { return nil }
func (manual) Terminate(context.Context, Account) error       { return nil }
func (manual) ChangePackage(context.Context, Account) error   { return nil }
func (manual) ChangePassword(context.Context, Account) error  { return nil }
