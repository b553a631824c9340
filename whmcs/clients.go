package whmcs

import (
	"context"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
)

func (h *Handler) addClient(ctx context.Context, p params) (reply, error) {
	currency, err := h.currencyParam(ctx, p.str("currency"))
	if err != nil {
		return nil, err
	}
	group, err := p.int("groupid")
	if err != nil {
		return nil, err
	}
	c, err := h.svc.CreateClient(ctx, clients.NewClient{FirstName: p.str("firstname"), LastName: p.str("lastname"),
		CompanyName: p.str("companyname"), Email: p.str("email"), Address1: p.str("address1"), Address2: p.str("address2"),
		City: p.str("city"), State: p.str("state"), Postcode: p.str("postcode"), Country: strings.ToUpper(p.str("country")),
		Phone: p.str("phonenumber"), Currency: currency, Notes: p.str("notes"), Language: p.str("language"),
		TaxID: p.str("tax_id"), GroupID: group, MarketingOptIn: p.flag("marketingoptin"), Complete: !p.flag("skipvalidation")})
	if err != nil {
		return nil, err
	}
	return reply{"clientid": str(c.ID)}, nil // a string, as in AddClient's example
}

// currencyParam takes WHMCS's currency id (GetCurrencies' id), or, for callers that send one,
// a currency code; "" is the default currency.
func (h *Handler) currencyParam(ctx context.Context, v string) (string, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return strings.ToUpper(v), nil
	}
	return h.currencyByID(ctx, id)
}

func (h *Handler) getClients(ctx context.Context, p params) (reply, error) {
	off, lim, err := p.page()
	if err != nil {
		return nil, err
	}
	rows, total, err := h.svc.SearchClients(ctx, p.str("search"), p.str("status"), off, lim)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, c := range rows {
		list = append(list, map[string]any{"id": c.ID, "firstname": c.FirstName, "lastname": c.LastName,
			"companyname": c.CompanyName, "email": c.Email, "datecreated": c.CreatedAt.Format("2006-01-02"),
			"groupid": c.GroupID, "status": c.Status})
	}
	return reply{"totalresults": total, "startnumber": off, "numreturned": len(list), "clients": map[string]any{"client": list}}, nil
}

func (h *Handler) getClientsDetails(ctx context.Context, p params) (reply, error) {
	id, err := p.int("clientid")
	if err != nil {
		return nil, err
	}
	email := p.str("email")
	if id == 0 && email == "" {
		return nil, fail("Either clientid Or email Is Required")
	}
	c, err := h.svc.Client(ctx, id, email)
	if err != nil {
		return nil, err
	}
	codes, err := h.currencies(ctx)
	if err != nil {
		return nil, err
	}
	details := clientDetails(c)
	details["currency"] = codes.id(c.Currency)
	stats, err := h.readClientStats(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	out := reply{"client": details, "stats": clientStats(stats, c.Currency)}
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
		"tax_id": c.TaxID, "groupid": c.GroupID, "marketing_emails_opt_in": c.MarketingOptIn}
}

// statsKinds are GetClientsDetails' names for the product types in its product counts.
var statsKinds = map[order.ProductType]string{order.HostingAccount: "hosting", order.ResellerAccount: "reseller",
	order.Server: "servers", order.OtherProduct: "other"}

// clientStats is GetClientsDetails' stats: amounts as WHMCS formats them with the currency's
// prefix and suffix. hostflow keeps no credit, quotes, tickets or affiliates: those count 0.
func clientStats(st statsRows, currency string) map[string]any {
	amount := func(minor int64) string { return money.Format(minor, currency) + " " + currency }
	inv := st.Invoices
	out := map[string]any{"numdueinvoices": inv.UnpaidCount, "dueinvoicesbalance": amount(inv.UnpaidBalance), "incredit": false,
		"creditbalance": amount(0), "grossRevenue": amount(inv.Income), "expenses": amount(0), "income": amount(inv.Income),
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
		if it.Kind == statsDomain {
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
