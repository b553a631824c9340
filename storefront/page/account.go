package page

import (
	"net/url"
	"strings"

	"github.com/hostflow/hostflow/clients"
)

// The account forms, as the accountfields partial writes them: registration (its own page and
// checkout's) and My Details, with WHMCS's AddClient field names; and the passwords typed
// twice (Change Password, the reset link's page).

// Account is the account form, with WHMCS's AddClient field names (firstname, …,
// phonenumber), kept as typed except the password.
type Account struct {
	FirstName, LastName, CompanyName, Email string
	Address1, Address2, City, State         string
	Postcode, Country, Phone                string
}

// ReadAccount reads the account form's fields, trimmed.
func ReadAccount(v url.Values) Account {
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return Account{FirstName: get("firstname"), LastName: get("lastname"), CompanyName: get("companyname"), Email: get("email"),
		Address1: get("address1"), Address2: get("address2"), City: get("city"), State: get("state"), Postcode: get("postcode"),
		Country: get("country"), Phone: get("phonenumber")}
}

// AccountOf is the form filled in with a client's details.
func AccountOf(c *clients.Client) Account {
	return Account{FirstName: c.FirstName, LastName: c.LastName, CompanyName: c.CompanyName, Email: c.Email, Address1: c.Address1,
		Address2: c.Address2, City: c.City, State: c.State, Postcode: c.Postcode, Country: c.Country, Phone: c.Phone}
}

// NewClient is the registration as package clients takes it: every field WHMCS's client
// signup asks for is required (Complete), in the currency the cart is priced in.
func (a Account) NewClient(password, currency string) clients.NewClient {
	return clients.NewClient{FirstName: a.FirstName, LastName: a.LastName, CompanyName: a.CompanyName, Email: a.Email,
		Address1: a.Address1, Address2: a.Address2, City: a.City, State: a.State, Postcode: a.Postcode, Country: a.Country,
		Phone: a.Phone, Currency: currency, Password: password, Complete: true}
}

// Details are the form's contact details, as My Details saves them.
func (a Account) Details() clients.ClientDetails {
	return clients.ClientDetails{FirstName: a.FirstName, LastName: a.LastName, CompanyName: a.CompanyName, Email: a.Email,
		Address1: a.Address1, Address2: a.Address2, City: a.City, State: a.State, Postcode: a.Postcode, Country: a.Country,
		Phone: a.Phone}
}

// formFields are the account form's names of package clients' fields, where they differ: a
// refusal is shown on the field the customer typed into.
var formFields = map[string]string{"first_name": "firstname", "last_name": "lastname", "company_name": "companyname",
	"phone": "phonenumber"}

// FormField is the account form's field of a refusal's field.
func FormField(field string) string {
	if f, ok := formFields[field]; ok {
		return f
	}
	return field
}

// ReasonPasswordsDiffer is the answer when the new password and its confirmation differ.
const ReasonPasswordsDiffer = "The passwords you entered did not match"
