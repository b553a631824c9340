package api

import (
	"net/http"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
)

func (h *Handler) createClient(w http.ResponseWriter, r *http.Request) {
	var in clients.NewClient
	if !decode(w, r, &in) {
		return
	}
	c, err := h.svc.CreateClient(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, clientView(c))
}

func (h *Handler) listClients(w http.ResponseWriter, r *http.Request) {
	after, ok := queryInt(w, r, "cursor", 0, 0)
	if !ok {
		return
	}
	limit, ok := queryInt(w, r, "limit", 50, 500)
	if !ok {
		return
	}
	rows, err := h.svc.ListClients(r.Context(), after, int32(limit))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]clientJSON, len(rows))
	for i, c := range rows {
		out[i] = clientView(c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"clients": out})
}

type clientJSON struct {
	ID          int64  `json:"id"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	CompanyName string `json:"company_name,omitempty"`
	Email       string `json:"email"`
	Country     string `json:"country,omitempty"`
	Currency    string `json:"currency"`
	Status      string `json:"status"`
	// HasPassword says whether the client can sign in to the client area (never the hash).
	HasPassword bool   `json:"has_password"`
	TaxExempt   bool   `json:"tax_exempt"`
	TaxID       string `json:"tax_id,omitempty"`
}

func clientView(c clients.Client) clientJSON {
	return clientJSON{ID: c.ID, FirstName: c.FirstName, LastName: c.LastName, CompanyName: c.CompanyName, Email: c.Email,
		Country: c.Country, Currency: c.Currency, Status: c.Status, HasPassword: c.HasPassword, TaxExempt: c.TaxExempt, TaxID: c.TaxID}
}

// patchClient serves PATCH /api/v1/clients/{id}: an admin's change of the client's tax fields
// (tax_exempt, tax_id); any other field is refused as unknown.
func (h *Handler) patchClient(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	var in clients.ClientTax
	if !decode(w, r, &in) {
		return
	}
	c, err := h.svc.SetClientTax(r.Context(), id, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, clientView(c))
}

func (h *Handler) createProduct(w http.ResponseWriter, r *http.Request) {
	var in catalog.NewProduct
	if !decode(w, r, &in) {
		return
	}
	p, err := h.svc.CreateProduct(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, productView(p))
}

func (h *Handler) listProducts(w http.ResponseWriter, r *http.Request) {
	rows, err := h.svc.ListProducts(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]productJSON, len(rows))
	for i, p := range rows {
		out[i] = productView(p)
	}
	writeJSON(w, http.StatusOK, map[string]any{"products": out})
}

// updateProduct serves PUT /products/{id}: the product as a whole, as POST /products takes it
// (its prices replace the ones it had).
func (h *Handler) updateProduct(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	var in catalog.NewProduct
	if !decode(w, r, &in) {
		return
	}
	p, err := h.svc.UpdateProduct(r.Context(), id, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, productView(p))
}

// deleteProduct serves DELETE /products/{id}: refused (409) while an order uses the product.
func (h *Handler) deleteProduct(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	if err := h.svc.DeleteProduct(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"deleted": id})
}

func (h *Handler) createProductGroup(w http.ResponseWriter, r *http.Request) {
	var in catalog.NewProductGroup
	if !decode(w, r, &in) {
		return
	}
	g, err := h.svc.CreateProductGroup(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, groupView(g))
}

func (h *Handler) listProductGroups(w http.ResponseWriter, r *http.Request) {
	groups, err := h.svc.ProductGroups(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]productGroupJSON, len(groups))
	for i, g := range groups {
		out[i] = groupView(g)
	}
	writeJSON(w, http.StatusOK, map[string]any{"product_groups": out})
}

type productGroupJSON struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Position int32  `json:"position"`
	Hidden   bool   `json:"hidden"`
}

func groupView(g catalog.ProductGroup) productGroupJSON {
	return productGroupJSON{ID: g.ID, Name: g.Name, Position: g.Position, Hidden: g.Hidden}
}

type productJSON struct {
	ID           int64             `json:"id"`
	Name         string            `json:"name"`
	Type         order.ProductType `json:"type"`
	GroupID      *int64            `json:"group_id"`
	Description  string            `json:"description,omitempty"`
	Module       string            `json:"module"`
	AutoSetup    order.AutoSetup   `json:"auto_setup"`
	WelcomeEmail bool              `json:"welcome_email"`
	PackageName  string            `json:"package_name,omitempty"`
	ServerGroup  string            `json:"server_group,omitempty"`
	Hidden       bool              `json:"hidden"`
	Stock        *int32            `json:"stock,omitempty"`
	Taxable      bool              `json:"taxable"`
	Prices       []priceJSON       `json:"prices"`
}

type priceJSON struct {
	Currency     string             `json:"currency"`
	BillingCycle order.BillingCycle `json:"billing_cycle"`
	SetupFee     string             `json:"setup_fee"`
	Price        string             `json:"price"`
}

func productView(p catalog.Product) productJSON {
	out := productJSON{ID: p.ID, Name: p.Name, Type: p.Type, GroupID: p.GroupID, Description: p.Description, Module: p.Module,
		AutoSetup: p.AutoSetup, WelcomeEmail: p.WelcomeEmail, PackageName: p.PackageName, ServerGroup: p.ServerGroup, Hidden: p.Hidden,
		Stock: p.Stock, Taxable: p.Taxable, Prices: []priceJSON{}}
	for _, pr := range p.Prices {
		out.Prices = append(out.Prices, priceJSON{Currency: pr.Currency, BillingCycle: pr.BillingCycle,
			SetupFee: money.Format(pr.SetupFee, pr.Currency), Price: money.Format(pr.Price, pr.Currency)})
	}
	return out
}

type serverJSON struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	Module        string `json:"module"`
	Hostname      string `json:"hostname"`
	Username      string `json:"username,omitempty"`
	MaxAccounts   int32  `json:"max_accounts"`
	Active        bool   `json:"active"`
	ServerGroup   string `json:"server_group,omitempty"`
	TLSSkipVerify bool   `json:"tls_skip_verify"`
	Accounts      int64  `json:"accounts"`
}

func serverView(s catalog.Server) serverJSON {
	return serverJSON{ID: s.ID, Name: s.Name, Module: s.Module, Hostname: s.Hostname, Username: s.Username,
		MaxAccounts: s.MaxAccounts, Active: s.Active, ServerGroup: s.ServerGroup, TLSSkipVerify: s.TLSSkipVerify, Accounts: s.Accounts}
}

func (h *Handler) createServer(w http.ResponseWriter, r *http.Request) {
	var in catalog.NewServer
	if !decode(w, r, &in) {
		return
	}
	s, err := h.svc.CreateServer(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// Credentials are sealed in the database and never shown again.
	writeJSON(w, http.StatusCreated, serverView(s))
}

func (h *Handler) listServers(w http.ResponseWriter, r *http.Request) {
	rows, err := h.svc.ListServers(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]serverJSON, len(rows))
	for i, s := range rows {
		out[i] = serverView(s)
	}
	writeJSON(w, http.StatusOK, map[string]any{"servers": out})
}

type tldJSON struct {
	TLD           string `json:"tld"`
	Currency      string `json:"currency"`
	RegisterPrice string `json:"register_price"`
	TransferPrice string `json:"transfer_price"`
	RenewPrice    string `json:"renew_price"`
	AutoRegistrar string `json:"auto_registrar"`
	EPPRequired   bool   `json:"epp_required"`
}

func tldView(t catalog.TLD) tldJSON {
	return tldJSON{TLD: t.TLD, Currency: t.Currency, RegisterPrice: money.Format(t.RegisterPrice, t.Currency),
		TransferPrice: money.Format(t.TransferPrice, t.Currency), RenewPrice: money.Format(t.RenewPrice, t.Currency),
		AutoRegistrar: t.AutoRegistrar, EPPRequired: t.EPPRequired}
}

func (h *Handler) createTLD(w http.ResponseWriter, r *http.Request) {
	var in catalog.NewTLD
	if !decode(w, r, &in) {
		return
	}
	t, err := h.svc.CreateTLD(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, tldView(t))
}

func (h *Handler) listTLDs(w http.ResponseWriter, r *http.Request) {
	rows, err := h.svc.ListTLDs(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]tldJSON, len(rows))
	for i, t := range rows {
		out[i] = tldView(t)
	}
	writeJSON(w, http.StatusOK, map[string]any{"tlds": out})
}

func (h *Handler) listSettings(w http.ResponseWriter, r *http.Request) {
	s, err := h.svc.Settings(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

func (h *Handler) putSettings(w http.ResponseWriter, r *http.Request) {
	var in map[string]string
	if !decode(w, r, &in) {
		return
	}
	if err := h.svc.PutSettings(r.Context(), in); err != nil {
		h.fail(w, r, err)
		return
	}
	h.listSettings(w, r)
}
