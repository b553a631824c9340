package page

import (
	"strings"

	"github.com/hostflow/hostflow/email"
)

// emailNames are package email's templates by WHMCS's names for its emails, as the email log
// shows which email each was.
var emailNames = map[string]string{
	email.OrderConfirmation: "Order Confirmation", email.HostingWelcome: "Hosting Account Welcome Email",
	email.DomainRegistration: "Domain Registration Confirmation", email.DomainTransfer: "Domain Transfer Initiated",
	email.InvoiceCreated: "Invoice Created", email.InvoicePaymentConfirmation: "Invoice Payment Confirmation",
	email.NewOrderNotification: "New Order Notification", email.ClientSignup: "Client Signup Email",
	email.PasswordReset: "Password Reset Validation",
}

// EmailName is a template's email in words: "invoice-created" is "Invoice Created"; a
// template of an operator's own is its name with spaces.
func EmailName(template string) string {
	if n, ok := emailNames[template]; ok {
		return n
	}
	return strings.NewReplacer("-", " ", "_", " ").Replace(template)
}
