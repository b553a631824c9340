package email

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/sandbox/smtp"
)

func capture(t *testing.T) (*smtp.Server, *SMTP) {
	srv, err := smtp.Start()
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	host, port, _ := strings.Cut(srv.Addr, ":")
	p, _ := strconv.Atoi(port)
	s, err := NewSMTP(Config{Host: host, Port: p, TLS: "none", From: "billing@host.example", FromName: "Host Example"})
	require.NoError(t, err)
	return srv, s
}

func TestSendKeepsTheMessageID(t *testing.T) {
	srv, s := capture(t)
	m := Message{To: "ada@example.com", ToName: "Ada Lovelace", Subject: "Order Confirmation #1234567890",
		Text: "Dear Ada,\nthanks — your order is in.\n", MessageID: MessageID("order-12/order-confirmation/1", "hostflow.test")}
	require.NoError(t, s.Send(context.Background(), m))
	got := srv.Messages()
	require.Len(t, got, 1)
	require.Equal(t, "order-12.order-confirmation.1@hostflow.test", got[0].MessageID)
	require.Equal(t, "Order Confirmation #1234567890", got[0].Subject)
	require.Equal(t, []string{"ada@example.com"}, got[0].To)
	require.Contains(t, got[0].Body, "thanks — your order is in.")
}

// The admin's sender, where set, replaces the configured one, each of address and name on its
// own.
func TestSendFrom(t *testing.T) {
	for _, tc := range []struct {
		name, from, fromName, wantFrom, wantHeader string
	}{
		{"configured", "", "", "billing@host.example", `"Host Example" <billing@host.example>`},
		{"the admin's", "sales@shop.example", "Shop Sales", "sales@shop.example", `"Shop Sales" <sales@shop.example>`},
		{"the admin's address only", "sales@shop.example", "", "sales@shop.example", `"Host Example" <sales@shop.example>`},
		{"the admin's name only", "", "Shop Sales", "billing@host.example", `"Shop Sales" <billing@host.example>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, s := capture(t)
			m := Message{To: "ada@example.com", Subject: "x", Text: "x", MessageID: "x@y", From: tc.from, FromName: tc.fromName}
			require.NoError(t, s.Send(context.Background(), m))
			got := srv.Messages()
			require.Len(t, got, 1)
			require.Equal(t, tc.wantFrom, got[0].From, "the envelope sender")
			require.Contains(t, string(got[0].Raw), "From: "+tc.wantHeader)
		})
	}
}

func TestRefusals(t *testing.T) {
	srv, s := capture(t)
	m := Message{To: "ada@example.com", Subject: "x", Text: "x", MessageID: "x@y"}
	srv.Refuse(451, "Try again later")
	err := s.Send(context.Background(), m)
	var temp *TemporaryError
	require.True(t, errors.As(err, &temp), "a 4xx is worth a retry: %v", err)
	srv.Refuse(550, "Mailbox unavailable")
	err = s.Send(context.Background(), m)
	require.Error(t, err)
	require.False(t, errors.As(err, &temp), "a 5xx is final: %v", err)
	require.ErrorContains(t, err, "Mailbox unavailable")
}

func TestTemplatesRenderAndOverride(t *testing.T) {
	data := Data{Company: "Host Example", ClientName: "Ada Lovelace", OrderNumber: 1234567890, InvoiceID: 7, Currency: "USD",
		Total: "26.99", Items: []Item{{Description: "Basic - example.com", Amount: "14.99"}},
		Service: &Service{Product: "Basic", Domain: "example.com", Username: "examplec", Password: "S3cret!", Server: "web1.host.example"},
		Domain:  &Domain{Name: "example.com", Period: 1, Status: "Active", Nameservers: []string{"ns1.host.example"}}}
	for _, name := range []string{OrderConfirmation, HostingWelcome, DomainRegistration, DomainTransfer} {
		subject, text, err := Templates{}.Render(name, data)
		require.NoError(t, err, name)
		require.NotEmpty(t, subject, name)
		require.Contains(t, text, "Dear Ada Lovelace", name)
	}
	_, text, _ := Templates{}.Render(HostingWelcome, data)
	require.Contains(t, text, "examplec")
	require.Contains(t, text, "S3cret!")

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "order-confirmation.tmpl"),
		[]byte(`{{define "subject"}}Thanks, order {{.OrderNumber}}{{end}}{{define "text"}}Hi {{.ClientName}}{{end}}`), 0o644))
	subject, text, err := Templates{Dir: dir}.Render(OrderConfirmation, data)
	require.NoError(t, err)
	require.Equal(t, "Thanks, order 1234567890", subject)
	require.Equal(t, "Hi Ada Lovelace\n", text)
	_, _, err = Templates{Dir: dir}.Render(HostingWelcome, data)
	require.NoError(t, err, "templates not overridden stay built in")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "domain-registration.tmpl"),
		[]byte(`{{define "subject"}}{{.Nope}}{{end}}{{define "text"}}x{{end}}`), 0o644))
	_, _, err = Templates{Dir: dir}.Render(DomainRegistration, data)
	require.ErrorContains(t, err, "domain-registration")
}

// The client account's emails render the links they exist for, and are overridden by a file
// of their name like the others.
func TestClientAccountTemplates(t *testing.T) {
	data := Data{Company: "Host Example", ClientName: "Ada Lovelace", ClientEmail: "ada@example.com",
		Account: &Account{SignInURL: "https://host.example/client/login", ResetURL: "https://host.example/client/reset?token=abc",
			ResetExpires: "1 hour"}}
	subject, text, err := Templates{}.Render(ClientSignup, data)
	require.NoError(t, err)
	require.Equal(t, "Welcome to Host Example", subject)
	require.Contains(t, text, "Dear Ada Lovelace")
	require.Contains(t, text, "https://host.example/client/login")
	subject, text, err = Templates{}.Render(PasswordReset, data)
	require.NoError(t, err)
	require.Equal(t, "Your password reset link", subject)
	require.Contains(t, text, "https://host.example/client/reset?token=abc")
	require.Contains(t, text, "within 1 hour")

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, PasswordReset+".tmpl"),
		[]byte(`{{define "subject"}}Reset{{end}}{{define "text"}}Go to {{.Account.ResetURL}}{{end}}`), 0o644))
	subject, text, err = Templates{Dir: dir}.Render(PasswordReset, data)
	require.NoError(t, err)
	require.Equal(t, "Reset", subject)
	require.Equal(t, "Go to https://host.example/client/reset?token=abc\n", text)
}

// The email log keeps an email without the keys it carried: a hosting password, a reset link.
func TestKeptLeavesOutKeys(t *testing.T) {
	d := Data{Company: "Host", ClientName: "Ada", Service: &Service{Username: "ada", Password: "S3cret!pw", Server: "web1"},
		Account: &Account{SignInURL: "https://host.example/client/login", ResetURL: "https://host.example/client/reset?token=abc"}}
	kept := d.Kept()
	require.Equal(t, "ada", kept.Service.Username)
	require.NotContains(t, kept.Service.Password, "S3cret")
	require.NotContains(t, kept.Account.ResetURL, "token")
	require.Equal(t, "https://host.example/client/login", kept.Account.SignInURL)
	require.Equal(t, "S3cret!pw", d.Service.Password, "the email sent keeps its keys")
	require.Contains(t, d.Account.ResetURL, "token=abc")
	_, text, err := Templates{}.Render(HostingWelcome, kept)
	require.NoError(t, err)
	require.NotContains(t, text, "S3cret!pw")
	_, text, err = Templates{}.Render(PasswordReset, kept)
	require.NoError(t, err)
	require.NotContains(t, text, "token=abc")
}
