package clients

import (
	"context"
	"strings"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/order"
)

// UpdateClientDetails is a client's change of their own contact details (the client area's My
// Details), under the rule CreateClient applies (ClientDetails.check with every field WHMCS's
// AddClient requires, as the client area's registration asks for them), with WHMCS's messages
// on the field at fault. Another client's email is refused as AddClient refuses it (Conflict on
// email). The currency, status and the admin's fields (notes, group, language, tax id) are not
// the client's to change. It answers the client as stored.
func (s *Clients) UpdateClientDetails(ctx context.Context, clientID int64, d ClientDetails) (Client, error) {
	return s.updateDetails(ctx, clientID, order.Client(clientID), d, true)
}

// EditClientDetails is an admin's change of a client's contact details (the console's Edit
// Client): the rule AddClient applies to an admin, who may leave out what the client's own
// form requires, as they may when adding the client. The change is on the client's Log as
// actor's.
func (s *Clients) EditClientDetails(ctx context.Context, clientID int64, actor order.Actor, d ClientDetails) (Client, error) {
	return s.updateDetails(ctx, clientID, actor, d, false)
}

// updateDetails stores a client's contact details, with a line on the client's Log naming the
// fields that changed (none: no line); complete asks for every field WHMCS's client-area forms
// require.
func (s *Clients) updateDetails(ctx context.Context, clientID int64, actor order.Actor, d ClientDetails, complete bool) (Client, error) {
	if err := input.Check(d); err != nil {
		return Client{}, err
	}
	d.Email = strings.TrimSpace(d.Email)
	if err := d.check(complete); err != nil {
		return Client{}, err
	}
	var row db.Client
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		before, err := q.LockClient(ctx, clientID)
		if err != nil {
			return err
		}
		row, err = q.UpdateClientDetails(ctx, db.UpdateClientDetailsParams{ID: clientID, FirstName: d.FirstName, LastName: d.LastName,
			CompanyName: d.CompanyName, Email: d.Email, Address1: d.Address1, Address2: d.Address2, City: d.City, State: d.State,
			Postcode: d.Postcode, Country: d.Country, Phone: d.Phone})
		if err != nil {
			return err
		}
		if changed := changedDetails(detailsOf(before), d); changed != "" {
			return logChange(ctx, q, clientID, actor, LogDetailsEdited, changed)
		}
		return nil
	})
	switch {
	case dbtx.IsUniqueViolation(err):
		return Client{}, &fault.Error{Kind: fault.Conflict, Field: "email", Message: "A user already exists with that email address"}
	case err != nil:
		return Client{}, fault.Wrap(fault.OrAbsent(err, "Client Not Found"), "update client %d", clientID)
	}
	return clientFrom(row), nil
}

// detailsOf are a stored client's contact details.
func detailsOf(c db.Client) ClientDetails {
	return ClientDetails{FirstName: c.FirstName, LastName: c.LastName, CompanyName: c.CompanyName, Email: c.Email,
		Address1: c.Address1, Address2: c.Address2, City: c.City, State: c.State, Postcode: c.Postcode, Country: c.Country,
		Phone: c.Phone}
}

// changedDetails names the fields that differ between a and b, as the forms label them:
// "Email, Phone". The values are not logged: the Log is read by every admin, and old
// addresses are not theirs to keep.
func changedDetails(a, b ClientDetails) string {
	var out []string
	for _, f := range []struct {
		label string
		a, b  string
	}{
		{"First Name", a.FirstName, b.FirstName}, {"Last Name", a.LastName, b.LastName}, {"Company Name", a.CompanyName, b.CompanyName},
		{"Email", a.Email, b.Email}, {"Address 1", a.Address1, b.Address1}, {"Address 2", a.Address2, b.Address2},
		{"City", a.City, b.City}, {"State", a.State, b.State}, {"Postcode", a.Postcode, b.Postcode},
		{"Country", a.Country, b.Country}, {"Phone", a.Phone, b.Phone},
	} {
		if f.a != f.b {
			out = append(out, f.label)
		}
	}
	return strings.Join(out, ", ")
}
