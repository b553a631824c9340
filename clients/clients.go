package clients

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/access"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/money"
)

// NewClient is a client to create.
type NewClient struct {
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	CompanyName string `json:"company_name"`
	Email       string `json:"email"`
	Address1    string `json:"address1"`
	City        string `json:"city"`
	State       string `json:"state"`
	Postcode    string `json:"postcode"`
	Country     string `json:"country"`
	Phone       string `json:"phone"`
	Currency    string `json:"currency"`
	Address2    string `json:"address2"`
	Notes       string `json:"notes" input:"text"`
	Language    string `json:"language" input:"max=32"`
	TaxID       string `json:"tax_id" input:"max=64"`
	GroupID     int64  `json:"group_id"`
	// MarketingOptIn is the client's consent to marketing emails.
	MarketingOptIn bool `json:"marketing_optin"`
	// TaxExempt exempts the client from tax (WHMCS's taxexempt): their invoices carry none.
	TaxExempt bool `json:"tax_exempt"`
	// Password, when set, lets the client sign in to the client area; without one they sign in
	// only after a password reset. It is checked by the admins' rule and kept only hashed.
	Password string `json:"password" input:"max=1024"`
	// NoSignupEmail keeps the Client Signup email, which a client created with a password
	// gets, from being sent (WHMCS's AddClient noemail).
	NoSignupEmail bool `json:"-"`
	// Complete asks for every field WHMCS's AddClient requires (address, city, state, postcode,
	// country and phone besides the name and email), as the WHMCS API does unless the caller
	// says skipvalidation.
	Complete bool `json:"-"`
}

// ClientDetails are a client's contact details: what AddClient stores of them, and what the
// client keeps up to date in the client area's My Details (UpdateClientDetails). One rule
// checks them both ways (check).
type ClientDetails struct {
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	CompanyName string `json:"company_name"`
	Email       string `json:"email"`
	Address1    string `json:"address1"`
	Address2    string `json:"address2"`
	City        string `json:"city"`
	State       string `json:"state"`
	Postcode    string `json:"postcode"`
	Country     string `json:"country"`
	Phone       string `json:"phone"`
}

// details are the contact details of a client to create.
func (c NewClient) details() ClientDetails {
	return ClientDetails{FirstName: c.FirstName, LastName: c.LastName, CompanyName: c.CompanyName, Email: c.Email,
		Address1: c.Address1, Address2: c.Address2, City: c.City, State: c.State, Postcode: c.Postcode, Country: c.Country,
		Phone: c.Phone}
}

// requiredClientFields are the fields WHMCS's AddClient requires besides the name and email,
// with its messages, in its order.
var requiredClientFields = []struct {
	field, message string
	value          func(ClientDetails) string
}{
	{"address1", "You did not enter your address (line 1)", func(c ClientDetails) string { return c.Address1 }},
	{"city", "You did not enter your city", func(c ClientDetails) string { return c.City }},
	{"state", "You did not enter your state", func(c ClientDetails) string { return c.State }},
	{"postcode", "You did not enter your postcode", func(c ClientDetails) string { return c.Postcode }},
	{"country", "You did not enter your country", func(c ClientDetails) string { return c.Country }},
	{"phone", "You did not enter your phone number", func(c ClientDetails) string { return c.Phone }},
}

// check is the one rule for a client's contact details, at creation and when they change, with
// WHMCS's AddClient messages: a first and last name, a valid email, a country as an ISO code,
// and, when complete, every field AddClient requires (requiredClientFields). The email is
// checked trimmed, as it is stored.
func (d ClientDetails) check(complete bool) error {
	switch {
	case strings.TrimSpace(d.FirstName) == "":
		return fault.Invalidf("first_name", "You did not enter your first name")
	case strings.TrimSpace(d.LastName) == "":
		return fault.Invalidf("last_name", "You did not enter your last name")
	case !input.Email(strings.TrimSpace(d.Email)):
		return fault.Invalidf("email", "The email address you entered was not valid")
	case d.Country != "" && (len(d.Country) != 2 || strings.ToUpper(d.Country) != d.Country):
		return fault.Invalidf("country", "Valid country required")
	}
	for _, f := range requiredClientFields {
		if complete && strings.TrimSpace(f.value(d)) == "" {
			return fault.Invalidf(f.field, "%s", f.message)
		}
	}
	return nil
}

// CreateClient validates and stores a client. Messages are WHMCS's AddClient texts.
func (s *Clients) CreateClient(ctx context.Context, c NewClient) (Client, error) {
	if err := input.Check(c); err != nil {
		return Client{}, err
	}
	c.Email = strings.TrimSpace(c.Email)
	if err := c.details().check(c.Complete); err != nil {
		return Client{}, err
	}
	taxID, err := normalTaxID(c.Country, c.TaxID)
	if err != nil {
		return Client{}, err
	}
	c.TaxID = taxID
	if c.GroupID < 0 {
		return Client{}, fault.Invalidf("group_id", "must be 0 (none) or a group id")
	}
	if c.Currency == "" {
		c.Currency = "USD"
	}
	if !money.ValidCurrency(c.Currency) {
		return Client{}, fault.Invalidf("currency", "must be an ISO 4217 code such as USD")
	}
	var hash string
	if c.Password != "" {
		if err := access.CheckNewClientPassword("password", c.Password); err != nil {
			return Client{}, err
		}
		hash = access.HashClientPassword(c.Password) // before the transaction: argon2id is slow on purpose
	}
	var row db.Client
	err = dbtx.InTx(ctx, s.pool, func(q *db.Queries) (err error) {
		if err := q.AddCurrency(ctx, c.Currency); err != nil {
			return err
		}
		row, err = q.CreateClient(ctx, db.CreateClientParams{FirstName: c.FirstName, LastName: c.LastName, CompanyName: c.CompanyName,
			Email: c.Email, Address1: c.Address1, Address2: c.Address2, City: c.City, State: c.State, Postcode: c.Postcode,
			Country: c.Country, Phone: c.Phone, Currency: c.Currency, Notes: c.Notes, Language: c.Language, TaxID: c.TaxID,
			GroupID: c.GroupID, MarketingOptin: c.MarketingOptIn, TaxExempt: c.TaxExempt})
		if err != nil || hash == "" {
			return err
		}
		row.PasswordHash = hash
		_, err = q.SetClientPasswordHash(ctx, db.SetClientPasswordHashParams{ID: row.ID, PasswordHash: hash})
		return err
	})
	if dbtx.IsUniqueViolation(err) {
		return Client{}, &fault.Error{Kind: fault.Conflict, Field: "email", Message: "A user already exists with that email address"}
	}
	if err != nil {
		return Client{}, fault.Wrap(err, "create client")
	}
	if hash != "" && !c.NoSignupEmail {
		s.sendSignupEmail(ctx, row.ID)
	}
	return clientFrom(row), nil
}

// sendSignupEmail starts the Client Signup email of a client who can sign in. The client is
// written already: a workflow that could not be started is logged, not the client's failure
// (they may ask for a password reset, which says where to sign in).
func (s *Clients) sendSignupEmail(ctx context.Context, clientID int64) {
	if s.accounts.Mail == nil {
		return
	}
	key := fmt.Sprintf("client-signup:%d", clientID)
	if err := s.accounts.Mail.SendClientMail(ctx, Mail{Key: key, Template: MailSignup, ClientID: clientID}); err != nil {
		s.accounts.Log.Error("client signup email not queued", zap.Int64("client_id", clientID), zap.Error(err))
	}
}

// ListClients pages through clients by id.
func (s *Clients) ListClients(ctx context.Context, after int64, limit int32) ([]Client, error) {
	rows, err := s.q().ListClients(ctx, db.ListClientsParams{ID: after, Limit: limit})
	return dbtx.Views(rows, clientFrom), fault.Wrap(err, "list clients")
}

// Client is a client account.
type Client struct {
	ID          int64
	FirstName   string
	LastName    string
	CompanyName string
	Email       string
	Address1    string
	City        string
	State       string
	Postcode    string
	Country     string
	Phone       string
	Currency    string
	Status      string // WHMCS's client status: Active, Inactive or Closed
	CreatedAt   time.Time
	Address2    string
	Notes       string
	Language    string
	TaxID       string
	GroupID     int64
	// MarketingOptIn is the client's consent to marketing emails.
	MarketingOptIn bool
	// TaxExempt exempts the client from tax.
	TaxExempt bool
	// HasPassword says whether the client can sign in with a password (else only after a reset).
	HasPassword bool
}

func clientFrom(c db.Client) Client {
	return Client{ID: c.ID, FirstName: c.FirstName, LastName: c.LastName, CompanyName: c.CompanyName, Email: c.Email,
		Address1: c.Address1, City: c.City, State: c.State, Postcode: c.Postcode, Country: c.Country, Phone: c.Phone,
		Currency: c.Currency, Status: c.Status, CreatedAt: c.CreatedAt.Time, Address2: c.Address2, Notes: c.Notes,
		Language: c.Language, TaxID: c.TaxID, GroupID: c.GroupID, MarketingOptIn: c.MarketingOptin, TaxExempt: c.TaxExempt, HasPassword: c.PasswordHash != ""}
}

// Client returns a client by id, or by email when id is 0.
func (s *Clients) Client(ctx context.Context, id int64, email string) (Client, error) {
	var c db.Client
	var err error
	if id != 0 {
		c, err = s.q().GetClient(ctx, id)
	} else {
		c, err = s.q().GetClientByEmail(ctx, email)
	}
	return clientFrom(c), fault.OrAbsent(err, "Client Not Found")
}

// SearchClients lists clients whose email, first, last or full name or company starts with
// search, as WHMCS's GetClients documents its search: a page of them from off, at most
// lim, and how many there are.
func (s *Clients) SearchClients(ctx context.Context, search, status string, off, lim int32) ([]Client, int64, error) {
	rows, err := s.FindClients(ctx, search, status, off, lim)
	if err != nil {
		return nil, 0, err
	}
	q, pattern := s.q(), clientPattern(search)
	var n int64
	if pattern == "" {
		n, err = q.ListTotal(ctx, db.ListTotalParams{Tbl: countedClients, Status: status})
	} else {
		n, err = q.WHMCSCountFoundClients(ctx, db.WHMCSCountFoundClientsParams{Pattern: pattern, Status: status})
	}
	return rows, n, fault.Wrap(err, "count clients")
}

// FindClients is SearchClients' page without the count: a common name's count visits tens of
// thousands of rows, which a page that offers Next needs not know.
func (s *Clients) FindClients(ctx context.Context, search, status string, off, lim int32) ([]Client, error) {
	rows, err := s.q().WHMCSFindClients(ctx, db.WHMCSFindClientsParams{Pattern: clientPattern(search), Status: status, Off: off, Lim: lim})
	return dbtx.Views(rows, clientFrom), fault.Wrap(err, "search clients")
}

// clientPattern is the LIKE pattern of a search: what starts with it; "" finds every client.
func clientPattern(search string) string {
	if search == "" {
		return ""
	}
	return dbtx.EscapeLike(search) + "%"
}

// countedClients is the name list_counts (migration 00018) counts clients under: a total read
// under another name would be 0.
const countedClients = "clients"
