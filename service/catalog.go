package service

import (
	"context"
	"errors"
	"net"
	"net/mail"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
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
	// Complete asks for every field WHMCS's AddClient requires (address, city, state, postcode,
	// country and phone besides the name and email), as the WHMCS API does unless the caller
	// says skipvalidation.
	Complete bool `json:"-"`
}

// requiredClientFields are the fields WHMCS's AddClient requires besides the name and email,
// with its messages, in its order.
var requiredClientFields = []struct {
	field, message string
	value          func(NewClient) string
}{
	{"address1", "You did not enter your address (line 1)", func(c NewClient) string { return c.Address1 }},
	{"city", "You did not enter your city", func(c NewClient) string { return c.City }},
	{"state", "You did not enter your state", func(c NewClient) string { return c.State }},
	{"postcode", "You did not enter your postcode", func(c NewClient) string { return c.Postcode }},
	{"country", "You did not enter your country", func(c NewClient) string { return c.Country }},
	{"phone", "You did not enter your phone number", func(c NewClient) string { return c.Phone }},
}

// CreateClient validates and stores a client. Messages are WHMCS's AddClient texts.
func (s *Service) CreateClient(ctx context.Context, c NewClient) (Client, error) {
	if err := checkInput(c); err != nil {
		return Client{}, err
	}
	c.Email = strings.TrimSpace(c.Email)
	switch {
	case strings.TrimSpace(c.FirstName) == "":
		return Client{}, invalid("first_name", "You did not enter your first name")
	case strings.TrimSpace(c.LastName) == "":
		return Client{}, invalid("last_name", "You did not enter your last name")
	case !validEmail(c.Email):
		return Client{}, invalid("email", "The email address you entered was not valid")
	case c.Country != "" && (len(c.Country) != 2 || strings.ToUpper(c.Country) != c.Country):
		return Client{}, invalid("country", "Valid country required")
	case c.GroupID < 0:
		return Client{}, invalid("group_id", "must be 0 (none) or a group id")
	}
	for _, f := range requiredClientFields {
		if c.Complete && strings.TrimSpace(f.value(c)) == "" {
			return Client{}, invalid(f.field, "%s", f.message)
		}
	}
	if c.Currency == "" {
		c.Currency = "USD"
	}
	if !money.ValidCurrency(c.Currency) {
		return Client{}, invalid("currency", "must be an ISO 4217 code such as USD")
	}
	var row db.Client
	err := s.inTx(ctx, func(q *db.Queries) (err error) {
		if err := q.AddCurrency(ctx, c.Currency); err != nil {
			return err
		}
		row, err = q.CreateClient(ctx, db.CreateClientParams{FirstName: c.FirstName, LastName: c.LastName, CompanyName: c.CompanyName,
			Email: c.Email, Address1: c.Address1, Address2: c.Address2, City: c.City, State: c.State, Postcode: c.Postcode,
			Country: c.Country, Phone: c.Phone, Currency: c.Currency, Notes: c.Notes, Language: c.Language, TaxID: c.TaxID,
			GroupID: c.GroupID, MarketingOptin: c.MarketingOptIn})
		return err
	})
	if isUniqueViolation(err) {
		return Client{}, &Error{Kind: Conflict, Field: "email", Message: "A user already exists with that email address"}
	}
	return clientFrom(row), wrap(err, "create client")
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

// ListClients pages through clients by id.
func (s *Service) ListClients(ctx context.Context, after int64, limit int32) ([]Client, error) {
	rows, err := s.q().ListClients(ctx, db.ListClientsParams{ID: after, Limit: limit})
	return views(rows, clientFrom), wrap(err, "list clients")
}

// NewProduct is a product to create, with its prices per currency and billing cycle.
type NewProduct struct {
	Name         string            `json:"name"`
	Type         order.ProductType `json:"type"`
	Module       string            `json:"module"`
	AutoSetup    order.AutoSetup   `json:"auto_setup"`
	WelcomeEmail *bool             `json:"welcome_email"`
	PackageName  string            `json:"package_name"`
	ServerGroup  string            `json:"server_group"` // set up on a server of this group; empty: any
	Prices       []NewPrice        `json:"prices"`
}

// NewPrice is one price of a product.
type NewPrice struct {
	Currency     string             `json:"currency"`
	BillingCycle order.BillingCycle `json:"billing_cycle"`
	SetupFee     string             `json:"setup_fee"`
	Price        string             `json:"price"`
}

// What a product's type and billing cycle may be, as a refusal lists them.
var productTypeList, billingCycleList = func() (string, string) {
	var types []order.ProductType
	var cycles []order.BillingCycle
	for _, t := range order.ProductTypes {
		types = append(types, t.Type)
	}
	for _, c := range order.BillingCycles {
		cycles = append(cycles, c.Cycle)
	}
	return join(types), join(cycles)
}()

// CreateProduct validates and stores a product and its prices in one transaction.
func (s *Service) CreateProduct(ctx context.Context, p NewProduct) (Product, error) {
	if err := checkInput(p); err != nil {
		return Product{}, err
	}
	if p.Module == "" {
		p.Module = "none"
	}
	if p.AutoSetup == "" {
		p.AutoSetup = order.SetupOnAccept
	}
	switch {
	case strings.TrimSpace(p.Name) == "":
		return Product{}, invalid("name", "is required")
	case !p.Type.Valid():
		return Product{}, invalid("type", "must be one of %s", productTypeList)
	case s.Panels != nil && s.Panels[p.Module] == nil:
		return Product{}, invalid("module", "unknown module %q (have %s)", p.Module, strings.Join(s.Panels.Names(), ", "))
	case !slices.Contains(order.AutoSetups, p.AutoSetup):
		return Product{}, invalid("auto_setup", "must be one of %s", join(order.AutoSetups))
	case len(p.Prices) == 0:
		return Product{}, invalid("prices", "at least one price is required")
	}
	prices := make([]db.ProductPrice, len(p.Prices))
	for i, pr := range p.Prices {
		field := "prices[" + itoa(i) + "]"
		if !money.ValidCurrency(pr.Currency) {
			return Product{}, invalid(field+".currency", "must be an ISO 4217 code such as USD")
		}
		if !pr.BillingCycle.Valid() {
			return Product{}, invalid(field+".billing_cycle", "must be one of %s", billingCycleList)
		}
		amount, err := money.Parse(pr.Price, pr.Currency)
		if err != nil {
			return Product{}, invalid(field+".price", "%v", err)
		}
		setup := int64(0)
		if pr.SetupFee != "" {
			if setup, err = money.Parse(pr.SetupFee, pr.Currency); err != nil {
				return Product{}, invalid(field+".setup_fee", "%v", err)
			}
		}
		prices[i] = db.ProductPrice{Currency: pr.Currency, BillingCycle: pr.BillingCycle, SetupFee: setup, Price: amount}
	}
	welcome := p.WelcomeEmail == nil || *p.WelcomeEmail
	var out Product
	err := s.inTx(ctx, func(q *db.Queries) error {
		row, err := q.CreateProduct(ctx, db.CreateProductParams{Name: p.Name, Type: p.Type, Module: p.Module,
			AutoSetup: p.AutoSetup, WelcomeEmail: welcome, PackageName: p.PackageName, ServerGroup: strings.TrimSpace(p.ServerGroup)})
		if err != nil {
			return err
		}
		for _, pr := range prices {
			if err := q.AddCurrency(ctx, pr.Currency); err != nil {
				return err
			}
			if err := q.SetProductPrice(ctx, db.SetProductPriceParams{ProductID: row.ID, Currency: pr.Currency, BillingCycle: pr.BillingCycle,
				SetupFee: pr.SetupFee, Price: pr.Price}); err != nil {
				return err
			}
		}
		out = productFrom(row, prices)
		return nil
	})
	return out, wrap(err, "create product")
}

// ListProducts returns every product with its prices, in two queries.
func (s *Service) ListProducts(ctx context.Context) ([]Product, error) {
	q := s.q()
	rows, err := q.ListProducts(ctx)
	if err != nil {
		return nil, wrap(err, "list products")
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	prices, err := q.ListProductPrices(ctx, ids)
	if err != nil {
		return nil, wrap(err, "list product prices")
	}
	byID := map[int64][]db.ProductPrice{}
	for _, p := range prices {
		byID[p.ProductID] = append(byID[p.ProductID], p)
	}
	out := make([]Product, len(rows))
	for i, r := range rows {
		out[i] = productFrom(r, byID[r.ID])
	}
	return out, nil
}

// NewServer is a control-panel server to create. Credentials (an API token or password) are
// sealed before they are stored.
type NewServer struct {
	Name        string `json:"name"`
	Module      string `json:"module"`
	Hostname    string `json:"hostname"`
	Username    string `json:"username"`
	Credentials string `json:"credentials" input:"max=4096"` // a WHM API token, or a password
	MaxAccounts int32  `json:"max_accounts"`
	Active      *bool  `json:"active"`
	ServerGroup string `json:"server_group"`
	// TLSSkipVerify accepts the server's self-signed certificate.
	TLSSkipVerify bool `json:"tls_skip_verify"`
}

// CreateServer validates and stores a server.
func (s *Service) CreateServer(ctx context.Context, n NewServer) (Server, error) {
	if err := checkInput(n); err != nil {
		return Server{}, err
	}
	switch {
	case strings.TrimSpace(n.Name) == "":
		return Server{}, invalid("name", "is required")
	case n.Module == "" || s.Panels != nil && s.Panels[n.Module] == nil:
		return Server{}, invalid("module", "unknown module %q", n.Module)
	case !validServerAddress(n.Hostname):
		return Server{}, invalid("hostname", "%q is not a hostname or IP address (with an optional :port)", n.Hostname)
	case n.MaxAccounts < 0:
		return Server{}, invalid("max_accounts", "must not be negative")
	}
	active := n.Active == nil || *n.Active
	row, err := s.createServer(ctx, db.CreateServerParams{Name: n.Name, Module: n.Module, Hostname: n.Hostname, Username: n.Username,
		MaxAccounts: n.MaxAccounts, Active: active, ServerGroup: strings.TrimSpace(n.ServerGroup), TlsSkipVerify: n.TLSSkipVerify},
		n.Credentials)
	return serverFrom(row, 0), wrap(err, "create server")
}

// ListServers returns servers with their account counts.
func (s *Service) ListServers(ctx context.Context) ([]Server, error) {
	rows, err := s.q().ListServers(ctx)
	return views(rows, func(r db.ListServersRow) Server {
		return serverFrom(db.Server{ID: r.ID, Name: r.Name, Module: r.Module, Hostname: r.Hostname, Username: r.Username, MaxAccounts: r.MaxAccounts,
			Active: r.Active, CreatedAt: r.CreatedAt, ServerGroup: r.ServerGroup, TlsSkipVerify: r.TlsSkipVerify}, r.Accounts)
	}), wrap(err, "list servers")
}

// ServersByID returns the servers by id without their account counts (Accounts 0), which
// take a count of every live account: for pages that show a server's name, module and state.
func (s *Service) ServersByID(ctx context.Context) (map[int64]Server, error) {
	rows, err := s.q().ListServersBare(ctx)
	out := make(map[int64]Server, len(rows))
	for _, r := range rows {
		out[r.ID] = serverFrom(r, 0)
	}
	return out, wrap(err, "list servers")
}

// NewTLD is a TLD to sell.
type NewTLD struct {
	TLD           string `json:"tld"`
	Currency      string `json:"currency"`
	RegisterPrice string `json:"register_price"`
	TransferPrice string `json:"transfer_price"`
	AutoRegistrar string `json:"auto_registrar"`
}

// CreateTLD validates and stores a TLD.
func (s *Service) CreateTLD(ctx context.Context, n NewTLD) (TLD, error) {
	if err := checkInput(n); err != nil {
		return TLD{}, err
	}
	n.TLD = strings.ToLower(strings.TrimSpace(n.TLD))
	if !strings.HasPrefix(n.TLD, ".") {
		n.TLD = "." + n.TLD
	}
	if n.Currency == "" {
		n.Currency = "USD"
	}
	if !validHostname("x" + n.TLD) {
		return TLD{}, invalid("tld", "%q is not a TLD", n.TLD)
	}
	if !money.ValidCurrency(n.Currency) {
		return TLD{}, invalid("currency", "must be an ISO 4217 code such as USD")
	}
	reg, err := money.Parse(n.RegisterPrice, n.Currency)
	if err != nil {
		return TLD{}, invalid("register_price", "%v", err)
	}
	tr, err := money.Parse(n.TransferPrice, n.Currency)
	if err != nil {
		return TLD{}, invalid("transfer_price", "%v", err)
	}
	var auto *string
	if n.AutoRegistrar != "" {
		if s.Registrars != nil && s.Registrars[n.AutoRegistrar] == nil {
			return TLD{}, invalid("auto_registrar", "unknown registrar %q (have %s)", n.AutoRegistrar, strings.Join(s.Registrars.Names(), ", "))
		}
		auto = &n.AutoRegistrar
	}
	var row db.Tld
	err = s.inTx(ctx, func(q *db.Queries) (err error) {
		if err := q.AddCurrency(ctx, n.Currency); err != nil {
			return err
		}
		row, err = q.CreateTLD(ctx, db.CreateTLDParams{Tld: n.TLD, Currency: n.Currency, RegisterPrice: reg, TransferPrice: tr, AutoRegistrar: auto})
		return err
	})
	if isUniqueViolation(err) {
		return TLD{}, &Error{Kind: Conflict, Field: "tld", Message: n.TLD + " already exists"}
	}
	return tldFrom(row), wrap(err, "create tld")
}

// ListTLDs returns every TLD.
func (s *Service) ListTLDs(ctx context.Context) ([]TLD, error) {
	rows, err := s.q().ListTLDs(ctx)
	return views(rows, tldFrom), wrap(err, "list tlds")
}

// validServerAddress accepts a hostname or IP address, with or without a port.
func validServerAddress(a string) bool {
	host := a
	if h, port, err := net.SplitHostPort(a); err == nil {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return false
		}
		host = h
	}
	return net.ParseIP(host) != nil || validHostname(host)
}

// validHostname accepts LDH labels of 1 to 63 characters, at least two labels, 253 at most.
func validHostname(h string) bool {
	if len(h) == 0 || len(h) > 253 {
		return false
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}
