package order

import (
	"strconv"
	"strings"
)

// Actor is who did something to an order, as its audit trail shows it: `system`, `operator`,
// `admin:<email>`, `gateway:<name>`, `client:<id>`, or an API credential.
type Actor string

// Actors that are not a person.
const (
	// System is hostflow itself: auto-setup, timers, registrar polls.
	System Actor = "system"
	// Operator is whoever signalled the workflow from Temporal's CLI or Web UI without naming
	// themselves.
	Operator Actor = "operator"
	// AdminAPI is a caller of the REST API with an admin key.
	AdminAPI Actor = "admin"
	// WHMCSAPI is a caller of the WHMCS-compatible API.
	WHMCSAPI Actor = "whmcs-api"
)

// Admin is an admin signed in to the console.
func Admin(email string) Actor { return Actor("admin:" + email) }

// Gateway is a payment gateway's callback.
func Gateway(name string) Actor { return Actor("gateway:" + name) }

// Client is a client signed in to the client area (the storefront's checkout and Change
// Nameservers): `client:<id>`. Only a string on the audit trail: no workflow reads it back.
func Client(id int64) Actor { return Actor("client:" + strconv.FormatInt(id, 10)) }

// OrOperator is a, or Operator when a message named nobody.
func (a Actor) OrOperator() Actor {
	if strings.TrimSpace(string(a)) == "" {
		return Operator
	}
	return a
}

// InConsole reports whether an admin signed in to the console did it.
func (a Actor) InConsole() bool { return strings.HasPrefix(string(a), "admin:") }
