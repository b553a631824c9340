// Package clients serves WHMCS's client actions: AddClient, UpdateClient (its password),
// ValidateLogin, GetClients and GetClientsDetails with its stats, over the core's clients.
package clients

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/whmcs/catalog"
	"github.com/hostflow/hostflow/whmcs/reads"
	"github.com/hostflow/hostflow/whmcs/wire"
)

// Actions are the client actions, over the core.
type Actions struct{ svc *service.Service }

// New returns the client actions.
func New(svc *service.Service) *Actions { return &Actions{svc: svc} }

// AddClient serves AddClient.
func (a *Actions) AddClient(ctx context.Context, p wire.Params) (wire.Reply, error) {
	currency, err := a.currencyParam(ctx, p.Str("currency"))
	if err != nil {
		return nil, err
	}
	group, err := p.Int("groupid")
	if err != nil {
		return nil, err
	}
	c, err := a.svc.CreateClient(ctx, clients.NewClient{FirstName: p.Str("firstname"), LastName: p.Str("lastname"),
		CompanyName: p.Str("companyname"), Email: p.Str("email"), Address1: p.Str("address1"), Address2: p.Str("address2"),
		City: p.Str("city"), State: p.Str("state"), Postcode: p.Str("postcode"), Country: strings.ToUpper(p.Str("country")),
		Phone: p.Str("phonenumber"), Currency: currency, Notes: p.Str("notes"), Language: p.Str("language"),
		TaxID: p.Str("tax_id"), TaxExempt: p.Flag("taxexempt"), GroupID: group, MarketingOptIn: p.Flag("marketingoptin"),
		Complete: !p.Flag("skipvalidation"),
		Password: p.Secret("password2"), NoSignupEmail: p.Flag("noemail")})
	if err != nil {
		return nil, inPasswordWords(err)
	}
	return wire.Reply{"clientid": wire.ID(c.ID)}, nil // a string, as in AddClient's example
}

// inPasswordWords names WHMCS's field, password2, in a refusal of the password.
func inPasswordWords(err error) error {
	var fe *fault.Error
	if errors.As(err, &fe) && fe.Kind == fault.Invalid && fe.Field == "password" {
		return wire.Fail("password2: " + fe.Message)
	}
	return err
}

// updateClientFields are UpdateClient's fields besides password2, taxexempt and tax_id, which
// hostflow does not change through it yet: refused, never dropped.
var updateClientFields = []string{"firstname", "lastname", "companyname", "email", "address1", "address2", "city", "state",
	"postcode", "country", "phonenumber", "securityqid", "securityqans", "cardtype", "cardnum", "expdate", "startdate",
	"issuenumber", "bankcode", "bankacct", "cvv", "currency", "groupid", "customfields", "language", "clientip", "notes",
	"status", "paymentmethod", "marketingoptin", "clearcreditcard"}

// UpdateClient serves UpdateClient: the client by clientid or clientemail; password2, which
// sets the client's password and signs out every session they have; taxexempt and tax_id, the
// client's tax fields (as REST's PATCH /clients/{id} sets them).
func (a *Actions) UpdateClient(ctx context.Context, p wire.Params) (wire.Reply, error) {
	id, err := p.Int("clientid")
	if err != nil {
		return nil, err
	}
	email := p.Str("clientemail")
	if id == 0 && email == "" {
		return nil, wire.Fail("Client ID Not Found")
	}
	if err := p.Refuse(updateClientFields, "hostflow's UpdateClient sets password2, taxexempt and tax_id only"); err != nil {
		return nil, err
	}
	c, err := a.svc.Client(ctx, id, email)
	if err != nil {
		return nil, wire.InNotFoundWords(err, "Client ID Not Found")
	}
	if t := (clients.ClientTax{TaxExempt: p.Bool("taxexempt"), TaxID: p.OptStr("tax_id", nil, "")}); t.TaxExempt != nil || t.TaxID != nil {
		if _, err := a.svc.SetClientTax(ctx, c.ID, t); err != nil {
			return nil, err
		}
	}
	if pw := p.Secret("password2"); pw != "" {
		if err := a.svc.SetClientPassword(ctx, c.ID, pw); err != nil {
			return nil, inPasswordWords(err)
		}
	}
	return wire.Reply{"clientid": wire.ID(c.ID)}, nil // a string, as in UpdateClient's example
}

// ValidateLogin serves ValidateLogin: a client's email and password2, checked behind the same
// guard as the client area's sign-in (failures slow the account down), with WHMCS's one answer for an unknown email and a wrong password. hostflow opens
// no session for an API caller: passwordhash is empty, and there is no two-factor sign-in.
func (a *Actions) ValidateLogin(ctx context.Context, p wire.Params) (wire.Reply, error) {
	// On the client's behalf (""): the caller is the provider's server, whose address every
	// customer's login shares, so the account is slowed, never locked (access.ClientSignInLimit).
	c, err := a.svc.ValidateClientLogin(ctx, "", p.Str("email"), p.Secret("password2"))
	var fe *fault.Error
	var th *access.Throttled
	switch {
	case errors.As(err, &fe) && fe.Kind == fault.Invalid:
		return nil, wire.Fail("Email or Password Invalid")
	case errors.As(err, &th):
		return nil, wire.Fail(th.Reason) // every hash slot busy: the guard's own words
	case err != nil:
		return nil, err
	}
	// Strings, as in ValidateLogin's example answer.
	return wire.Reply{"userid": wire.ID(c.ID), "passwordhash": "", "twoFactorEnabled": "false"}, nil
}

// currencyParam takes WHMCS's currency id (GetCurrencies' id), or, for callers that send one,
// a currency code; "" is the default currency.
func (a *Actions) currencyParam(ctx context.Context, v string) (string, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return strings.ToUpper(v), nil
	}
	return catalog.CurrencyByID(ctx, a.svc, id)
}

// GetClients serves GetClients.
func (a *Actions) GetClients(ctx context.Context, p wire.Params) (wire.Reply, error) {
	off, lim, err := p.Page()
	if err != nil {
		return nil, err
	}
	rows, total, err := a.svc.SearchClients(ctx, p.Str("search"), p.Str("status"), off, lim)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, c := range rows {
		list = append(list, map[string]any{"id": c.ID, "firstname": c.FirstName, "lastname": c.LastName,
			"companyname": c.CompanyName, "email": c.Email, "datecreated": c.CreatedAt.Format("2006-01-02"),
			"groupid": c.GroupID, "status": c.Status})
	}
	return wire.Reply{"totalresults": total, "startnumber": off, "numreturned": len(list), "clients": map[string]any{"client": list}}, nil
}

// GetClientsDetails serves GetClientsDetails.
func (a *Actions) GetClientsDetails(ctx context.Context, p wire.Params) (wire.Reply, error) {
	id, err := p.Int("clientid")
	if err != nil {
		return nil, err
	}
	email := p.Str("email")
	if id == 0 && email == "" {
		return nil, wire.Fail("Either clientid Or email Is Required")
	}
	c, err := a.svc.Client(ctx, id, email)
	if err != nil {
		return nil, err
	}
	codes, err := catalog.Currencies(ctx, a.svc)
	if err != nil {
		return nil, err
	}
	details := clientDetails(c)
	details["currency"] = codes.ID(c.Currency)
	credit, err := a.svc.CreditBalanceOf(ctx, c.ID, c.Currency)
	if err != nil {
		return nil, err
	}
	details["credit"] = money.Format(credit, c.Currency)
	stats, err := reads.ReadClientStats(ctx, a.svc.Pool, c.ID)
	if err != nil {
		return nil, err
	}
	out := wire.Reply{"client": details, "stats": clientStats(stats, c.Currency, credit)}
	for k, v := range details { // WHMCS also puts every field at the top level
		out[k] = v
	}
	return out, nil
}

func clientDetails(c clients.Client) map[string]any {
	return map[string]any{"userid": c.ID, "id": c.ID, "client_id": c.ID, "firstname": c.FirstName, "lastname": c.LastName,
		"fullname": strings.TrimSpace(c.FirstName + " " + c.LastName), "companyname": c.CompanyName, "email": c.Email,
		"address1": c.Address1, "address2": c.Address2, "city": c.City, "state": c.State, "postcode": c.Postcode,
		"countrycode": c.Country, "country": c.Country, "phonenumber": c.Phone, "currency_code": c.Currency,
		"status": c.Status, "datecreated": c.CreatedAt.Format("2006-01-02"), "notes": c.Notes, "language": c.Language,
		"tax_id": c.TaxID, "taxexempt": c.TaxExempt, "groupid": c.GroupID, "marketing_emails_opt_in": c.MarketingOptIn}
}

// statsKinds are GetClientsDetails' names for the product types in its product counts.
var statsKinds = map[order.ProductType]string{order.HostingAccount: "hosting", order.ResellerAccount: "reseller",
	order.Server: "servers", order.OtherProduct: "other"}

// clientStats is GetClientsDetails' stats: amounts as WHMCS formats them with the currency's
// prefix and suffix; credit is the client's credit balance in its currency. hostflow keeps no
// quotes, tickets or affiliates: those count 0.
func clientStats(st reads.ClientStats, currency string, credit int64) map[string]any {
	amount := func(minor int64) string { return money.Format(minor, currency) + " " + currency }
	inv := st.Invoices
	out := map[string]any{"numdueinvoices": inv.UnpaidCount, "dueinvoicesbalance": amount(inv.UnpaidBalance), "incredit": credit > 0,
		"creditbalance": amount(credit), "grossRevenue": amount(inv.Income), "expenses": amount(0), "income": amount(inv.Income),
		"numoverdueinvoices": inv.OverdueCount, "overdueinvoicesbalance": amount(inv.OverdueBalance), "numDraftInvoices": 0,
		"draftInvoicesBalance": amount(0), "numunpaidinvoices": inv.UnpaidCount, "unpaidinvoicesamount": amount(inv.UnpaidBalance),
		"numpaidinvoices": inv.PaidCount, "paidinvoicesamount": amount(inv.PaidTotal), "numcancelledinvoices": inv.CancelledCount,
		"cancelledinvoicesamount": amount(inv.CancelledTotal), "numrefundedinvoices": inv.RefundedCount,
		"refundedinvoicesamount": amount(inv.RefundedTotal), "numcollectionsinvoices": 0, "collectionsinvoicesamount": amount(0),
		"numpaymentpendinginvoices": 0, "paymentpendinginvoicesamount": amount(0), "numacceptedquotes": 0, "numquotes": 0,
		"numtickets": 0, "numactivetickets": 0, "numaffiliatesignups": 0, "isAffiliate": false}
	var active, total, activeDomains, domains int64
	byKind, activeByKind := map[string]int64{}, map[string]int64{}
	for _, it := range st.Items {
		isActive := it.Status == string(order.Active)
		if it.Kind == reads.StatsDomain {
			domains += it.N
			if isActive {
				activeDomains += it.N
			}
			continue
		}
		// A product type without a name of its own in WHMCS's stats counts in the totals only.
		k := statsKinds[order.ProductType(it.Kind)]
		byKind[k] += it.N
		total += it.N
		if isActive {
			activeByKind[k] += it.N
			active += it.N
		}
	}
	for _, k := range statsKinds {
		out["productsnum"+k], out["productsnumactive"+k] = byKind[k], activeByKind[k]
	}
	out["productsnumactive"], out["productsnumtotal"], out["numactivedomains"], out["numdomains"] = active, total, activeDomains, domains
	return out
}

// CloseClient serves CloseClient: the client Closed and each of their Pending orders cancelled
// through its workflow (clients.CloseClient), answering WHMCS's clientid. WHMCS also sets the
// client's other products Cancelled or Terminated; hostflow leaves an Active order's services
// for the admin, as REST and the console say. A cancel that failed is WHMCS's result=error
// with the order and its words: the client is Closed, and calling again cancels what is left.
func (a *Actions) CloseClient(ctx context.Context, p wire.Params) (wire.Reply, error) {
	id, err := p.Int("clientid")
	if err != nil {
		return nil, err
	}
	if id <= 0 {
		return nil, wire.Fail("Client ID Not Found")
	}
	done, err := a.svc.CloseClient(ctx, id, order.WHMCSAPI, "")
	if err != nil {
		return nil, wire.InNotFoundWords(err, "Client ID Not Found")
	}
	if len(done.Failed) > 0 {
		var msgs []string
		for _, o := range done.Failed {
			msgs = append(msgs, fmt.Sprintf("order %d: %s", o.OrderID, o.Error))
		}
		return nil, wire.Fail("Client closed; not every order was cancelled: " + strings.Join(msgs, "; "))
	}
	return wire.Reply{"clientid": done.Client.ID}, nil
}
