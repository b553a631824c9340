package clients

import (
	"context"
	"strings"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
)

// UpdateClientDetails is a client's change of their own contact details (the client area's My
// Details), under the rule CreateClient applies (ClientDetails.check with every field WHMCS's
// AddClient requires, as the client area's registration asks for them), with WHMCS's messages
// on the field at fault. Another client's email is refused as AddClient refuses it (Conflict on
// email). The currency, status and the admin's fields (notes, group, language, tax id) are not
// the client's to change. It answers the client as stored.
func (s *Clients) UpdateClientDetails(ctx context.Context, clientID int64, d ClientDetails) (Client, error) {
	return s.updateDetails(ctx, clientID, d, true)
}

// EditClientDetails is an admin's change of a client's contact details (the console's Edit
// Client): the rule AddClient applies to an admin, who may leave out what the client's own
// form requires, as they may when adding the client.
func (s *Clients) EditClientDetails(ctx context.Context, clientID int64, d ClientDetails) (Client, error) {
	return s.updateDetails(ctx, clientID, d, false)
}

// updateDetails stores a client's contact details; complete asks for every field WHMCS's
// client-area forms require.
func (s *Clients) updateDetails(ctx context.Context, clientID int64, d ClientDetails, complete bool) (Client, error) {
	if err := input.Check(d); err != nil {
		return Client{}, err
	}
	d.Email = strings.TrimSpace(d.Email)
	if err := d.check(complete); err != nil {
		return Client{}, err
	}
	row, err := s.q().UpdateClientDetails(ctx, db.UpdateClientDetailsParams{ID: clientID, FirstName: d.FirstName, LastName: d.LastName,
		CompanyName: d.CompanyName, Email: d.Email, Address1: d.Address1, Address2: d.Address2, City: d.City, State: d.State,
		Postcode: d.Postcode, Country: d.Country, Phone: d.Phone})
	switch {
	case dbtx.IsUniqueViolation(err):
		return Client{}, &fault.Error{Kind: fault.Conflict, Field: "email", Message: "A user already exists with that email address"}
	case err != nil:
		return Client{}, fault.Wrap(fault.OrAbsent(err, "Client Not Found"), "update client %d", clientID)
	}
	return clientFrom(row), nil
}
