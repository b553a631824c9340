package clients_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/fault"
)

// A client's change of their contact details goes through the rule that creates a client,
// with WHMCS's messages on the field at fault, and changes nothing else of the client.
func TestUpdateClientDetails(t *testing.T) {
	ctx := context.Background()
	s, _, _ := accounts(t)
	c := newClient(t, s, "ada@example.com", "correct horse battery")
	newClient(t, s, "grace@example.com", "")
	full := clients.ClientDetails{FirstName: "Augusta", LastName: "King", CompanyName: "Engines", Email: " augusta@example.com ",
		Address1: "12 St James's Square", Address2: "Flat 2", City: "London", State: "London", Postcode: "SW1Y 4JH", Country: "GB",
		Phone: "+44 20 7946 0001"}
	for _, bad := range []struct {
		change         func(*clients.ClientDetails)
		field, message string
	}{
		{func(d *clients.ClientDetails) { d.FirstName = " " }, "first_name", "You did not enter your first name"},
		{func(d *clients.ClientDetails) { d.Email = "nope" }, "email", "The email address you entered was not valid"},
		{func(d *clients.ClientDetails) { d.Country = "gb" }, "country", "Valid country required"},
		{func(d *clients.ClientDetails) { d.City = "" }, "city", "You did not enter your city"},
		{func(d *clients.ClientDetails) { d.Phone = "" }, "phone", "You did not enter your phone number"},
		{func(d *clients.ClientDetails) { d.Address1 = "line\nbreak" }, "address1", ""},
	} {
		d := full
		bad.change(&d)
		_, err := s.UpdateClientDetails(ctx, c.ID, d)
		requireRefusal(t, err, fault.Invalid, bad.field, bad.message)
	}
	taken := full
	taken.Email = "GRACE@example.com"
	_, err := s.UpdateClientDetails(ctx, c.ID, taken)
	requireRefusal(t, err, fault.Conflict, "email", "A user already exists with that email address")
	_, err = s.UpdateClientDetails(ctx, 999999, full)
	requireRefusal(t, err, fault.NotFound, "", "Client Not Found")

	got, err := s.UpdateClientDetails(ctx, c.ID, full)
	require.NoError(t, err)
	require.Equal(t, "augusta@example.com", got.Email, "kept trimmed, as AddClient keeps it")
	require.Equal(t, "Flat 2", got.Address2)
	require.Equal(t, "GB", got.Country)
	require.Equal(t, c.Currency, got.Currency)
	require.True(t, got.HasPassword, "the password is untouched")
	_, _, err = s.ClientSignIn(ctx, "192.0.2.1", "augusta@example.com", "correct horse battery")
	require.NoError(t, err, "signs in with the new email")
}

// CheckPasswordReset tells a live link from a used, unknown or empty one, without using it up.
func TestCheckPasswordReset(t *testing.T) {
	ctx := context.Background()
	s, _, _ := accounts(t)
	newClient(t, s, "ada@example.com", "correct horse battery")
	tok, _, ok, err := s.IssuePasswordReset(ctx, "client-password-reset:k", "ada@example.com")
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, s.CheckPasswordReset(ctx, tok))
	require.NoError(t, s.CheckPasswordReset(ctx, tok), "checking does not use it up")
	for _, bad := range []string{"", "bogus", tok + "x"} {
		requireRefusal(t, s.CheckPasswordReset(ctx, bad), fault.Invalid, "token", clients.ReasonResetInvalid)
	}
	_, err = s.ResetClientPassword(ctx, tok, "a new passphrase")
	require.NoError(t, err)
	requireRefusal(t, s.CheckPasswordReset(ctx, tok), fault.Invalid, "token", clients.ReasonResetInvalid)
}
