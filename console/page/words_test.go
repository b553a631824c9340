package page

import (
	"testing"

	"github.com/hostflow/hostflow/order"
)

func TestEventName(t *testing.T) {
	for action, want := range map[string]string{
		"set-pending": "Set Back to Pending", "accept": "Accept Order", "create-failed": "Module Create failed",
		"placed": "Order placed", "email-failed": "Email not sent", "fraud-check-failed": "Fraud check failed", "registrar-status": "Registrar status",
		"module-suspend": "Module Suspend", "module-change-package-failed": "Module Change Package failed",
		"domain-renew": "Domain Renew", "domain-nameservers": "Nameservers changed",
		"something-new": "Something new", "": "",
	} {
		if got := EventName(action); got != want {
			t.Errorf("EventName(%q) = %q, want %q", action, got, want)
		}
	}
}

func TestActorName(t *testing.T) {
	admins := map[string]string{"grace@host.example": "Grace Hopper"}
	for actor, want := range map[order.Actor]string{
		order.Admin("Grace@Host.example"): "Grace Hopper", order.Admin("gone@host.example"): "gone@host.example",
		order.System: "hostflow", order.AdminAPI: "REST API key", order.WHMCSAPI: "WHMCS API", order.Client(9): "Ada Lovelace (client)",
		order.Gateway("stripe"): "Payment gateway stripe", order.Operator: "An operator (Temporal)",
	} {
		if got := ActorName(actor, admins, "Ada Lovelace"); got != want {
			t.Errorf("ActorName(%q) = %q, want %q", actor, got, want)
		}
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 orders", 1: "1 order", 2: "2 orders"} {
		if got := Plural(n, "order"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestEmailName(t *testing.T) {
	for template, want := range map[string]string{
		"invoice-created": "Invoice Created", "new-order-notification": "New Order Notification",
		"password_reset": "Password Reset Validation", "my-own_notice": "my own notice", "": "",
	} {
		if got := EmailName(template); got != want {
			t.Errorf("EmailName(%q) = %q, want %q", template, got, want)
		}
	}
}
