package whmcs

import (
	"context"
	"strings"

	"github.com/hostflow/hostflow/service"
)

func (h *Handler) addClient(ctx context.Context, p params) (reply, error) {
	c, err := h.svc.CreateClient(ctx, service.NewClient{FirstName: p.str("firstname"), LastName: p.str("lastname"),
		CompanyName: p.str("companyname"), Email: p.str("email"), Address1: p.str("address1"), City: p.str("city"),
		State: p.str("state"), Postcode: p.str("postcode"), Country: strings.ToUpper(p.str("country")),
		Phone: p.str("phonenumber"), Currency: currencyCode(p.str("currency"))})
	if err != nil {
		return nil, err
	}
	return reply{"clientid": str(c.ID)}, nil // a string, as in AddClient's example
}

// currencyCode takes WHMCS's currency id (1 is the default currency) or a code.
func currencyCode(v string) string {
	if v == "" || v == "1" {
		return ""
	}
	return strings.ToUpper(v)
}

func (h *Handler) getClients(ctx context.Context, p params) (reply, error) {
	off, lim, err := p.page()
	if err != nil {
		return nil, err
	}
	rows, total, err := h.svc.SearchClients(ctx, p.str("search"), p.str("status"), service.Page{Offset: off, Limit: lim})
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, c := range rows {
		list = append(list, map[string]any{"id": c.ID, "firstname": c.FirstName, "lastname": c.LastName,
			"companyname": c.CompanyName, "email": c.Email, "datecreated": c.CreatedAt.Format("2006-01-02"),
			"groupid": 0, "status": c.Status})
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
	details := clientDetails(c)
	out := reply{"client": details}
	for k, v := range details { // WHMCS also puts every field at the top level
		out[k] = v
	}
	return out, nil
}

func clientDetails(c service.Client) map[string]any {
	return map[string]any{"userid": c.ID, "id": c.ID, "client_id": c.ID, "firstname": c.FirstName, "lastname": c.LastName,
		"fullname": strings.TrimSpace(c.FirstName + " " + c.LastName), "companyname": c.CompanyName, "email": c.Email,
		"address1": c.Address1, "address2": "", "city": c.City, "state": c.State, "postcode": c.Postcode,
		"countrycode": c.Country, "country": c.Country, "phonenumber": c.Phone, "currency_code": c.Currency,
		"status": c.Status, "datecreated": c.CreatedAt.Format("2006-01-02")}
}
