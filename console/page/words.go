package page

import (
	"fmt"
	"strings"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/order"
)

// The console shows people words, not the names the code and the audit trail store: an audit
// line's action as the button or step it was, an actor as who it is.

// eventNames are the audit trail's actions that are not order.Actions (whose labels are the
// buttons' own): what the workflow, the ledger and the editors write.
var eventNames = map[string]string{
	"placed": "Order placed", "discarded": "Order discarded", "notes": "Admin notes changed",
	"service-edit": "Service edited", "domain-edit": "Domain edited", "email": "Email sent", "email-failed": "Email not sent", "email-resent": "Email resent",
	"fraud-check": "Fraud check", "registrar-status": "Registrar status",
	"create": "Module Create", "register": "Domain Register", "terminate": "Module Terminate",
	string(order.ActionDomainNameservers): "Nameservers changed",
	// The client's own Log (clients.Log*).
	clients.LogDetailsEdited: "Client details edited", clients.LogClosed: "Client closed",
	clients.LogNoteAdded: "Note added", clients.LogNoteEdited: "Note edited", clients.LogNoteDeleted: "Note deleted",
}

// EventName is an audit line's action in words: "set-pending" is "Set Back to Pending",
// "create-failed" is "Module Create failed".
func EventName(action string) string {
	if n, ok := eventNames[action]; ok {
		return n
	}
	if base, ok := strings.CutSuffix(action, "-failed"); ok {
		return EventName(base) + " failed"
	}
	if spec, ok := order.Lookup(order.Action(action)); ok {
		// An item command says what it ran on, as the set-up steps do: "Module Suspend".
		switch spec.On {
		case order.OnService:
			return "Module " + spec.Label
		case order.OnDomain:
			return "Domain " + spec.Label
		}
		return spec.Label
	}
	if action == "" {
		return ""
	}
	return strings.ToUpper(action[:1]) + strings.ReplaceAll(action[1:], "-", " ")
}

// ActorName is who did something as a person reads it: an admin by their name (admins maps
// their emails to names; an admin gone since shows their email), the order's client by name,
// the APIs and hostflow itself by what they are.
func ActorName(a order.Actor, admins map[string]string, clientName string) string {
	kind, ref, _ := strings.Cut(string(a), ":")
	switch {
	case a == order.System:
		return "hostflow"
	case a == order.Operator:
		return "An operator (Temporal)"
	case a == order.AdminAPI:
		return "REST API key"
	case a == order.WHMCSAPI:
		return "WHMCS API"
	case kind == "admin" && ref != "":
		if n := admins[strings.ToLower(ref)]; n != "" {
			return n
		}
		return ref
	case kind == "client":
		return fmt.Sprintf("%s (client)", clientName)
	case kind == "gateway":
		return "Payment gateway " + ref
	}
	return string(a)
}

// Plural is n with word, in the plural unless n is 1: "1 order", "2 orders".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
