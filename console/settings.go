package console

import (
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/web"
)

// The settings pages of Setup: General Settings and Fraud Protection, each a form over the
// settings the orders read (catalog.PutSettings, REST's PUT /settings), and Payment Gateways,
// where a gateway's webhook secret is set (billing.SetGatewaySecret, REST's PUT /gateways) and
// each payment method's display name and whether it is offered (billing.SetMethod).

// settingsPage is one settings form: its path, title, and the settings it holds, in order.
type settingsPage struct {
	Path, Title, About string
	Fields             []settingField
}

// settingField is one setting on a form: its key (the REST API's), label and help, and how it
// is typed.
type settingField struct {
	Key, Label, Help string
	// Kind is "text", "number", "textarea", "yesno", "country" (a two-letter code), or
	// "counter": a number that is only raised, saved only when the admin changed it (payments
	// move it meanwhile), or "fraudmodule": a choice of the fraud modules the environment runs.
	Kind string
}

// settingsPages are the settings forms, by path.
var settingsPages = map[string]settingsPage{
	"general": {Path: "/setup/general", Title: "General Settings", About: "What orders and invoices follow.",
		Fields: []settingField{
			{catalog.SettingCancelUnpaidAfterDays, "Automatically cancel unpaid orders after (days)",
				"A Pending order whose invoice is still unpaid this many days after placement is cancelled. 0 never cancels.", "number"},
			{catalog.SettingStaffEmail, "Staff email",
				"Where the New Order Notification goes, comma-separated. Empty: each active administrator.", "text"},
			{catalog.SettingMailFromName, "Email From Name", "The name the emails are sent from. Empty: HOSTFLOW_MAIL_FROM_NAME.", "text"},
			{catalog.SettingMailFrom, "Email From Address", "The address the emails are sent from. Empty: HOSTFLOW_MAIL_FROM.", "text"},
			{catalog.SettingManualPaymentMethods, "Manual payment methods",
				"Comma-separated system names (banktransfer, mailin) an order may name besides the gateways; an admin marks them paid.", "text"},
			{catalog.SettingBankTransferInstructions, "Bank transfer instructions",
				"What an invoice to be paid by bank transfer tells the customer: the account and the reference to quote.", "textarea"},
			{catalog.SettingCompanyName, "Company Name", "The seller on invoices and their PDFs. Empty: HOSTFLOW_COMPANY_NAME.", "text"},
			{catalog.SettingCompanyAddress, "Pay To Text (address)", "The company's postal address as invoices print it, a line each.", "textarea"},
			{catalog.SettingCompanyTaxID, "Company VAT/Tax ID", "Printed under the company's address on invoices.", "text"},
			{catalog.SettingSequentialInvoiceNumbers, "Sequential Paid Invoice Numbering",
				"An invoice takes the next number, without gaps, when it is paid; until then it is known by its ID.", "yesno"},
			{catalog.SettingInvoiceNumberFormat, "Sequential Invoice Number Format",
				"{NUMBER} with any text and {YEAR}, {MONTH}, {DAY} (the day paid), e.g. INV-{YEAR}-{NUMBER}. Empty: {NUMBER}.", "text"},
			{catalog.SettingInvoiceNumberNext, "Next Paid Invoice Number", "The number the next paid invoice takes; it can only be raised.", "counter"},
		}},
	"tax": {Path: "/setup/tax", Title: "Tax Configuration", About: "Whether and how orders are taxed, and the tax rules: the rates charged by the client's country and state.",
		Fields: []settingField{
			{catalog.SettingTaxEnabled, "Tax Support", "Charge tax on taxable products by the tax rules of the client's country and state.", "yesno"},
			{catalog.SettingTaxInclusive, "Prices include tax", "Prices are entered inclusive of tax, which is carved out of them; otherwise tax is added on top.", "yesno"},
			{catalog.SettingTaxCompound, "Compound Tax", "Level 2 tax is charged on the amount plus the level 1 tax.", "yesno"},
			{catalog.SettingTaxDomains, "Apply Tax to Domains", "Domain registrations and transfers are taxed too.", "yesno"},
			{catalog.SettingSellerCountry, "Your Home Country",
				"Where you are, as an ISO country code (DE). A seller in the EU charges no VAT to a business with a valid VAT number in another EU country: the invoice says the VAT is reverse charged.", "country"},
		}},
	"fraud": {Path: "/setup/fraud", Title: "Fraud Protection", About: "When an order's fraud check marks it Fraud.",
		Fields: []settingField{
			{catalog.SettingFraudModule, "Fraud module",
				"The service that scores each order. None checks nothing: every order passes.", "fraudmodule"},
			{catalog.SettingFraudThreshold, "Risk score threshold",
				"An order whose fraud score is above this (0–100) is set to Fraud and is not set up.", "number"},
			{catalog.SettingFraudSkipActiveClients, "Skip the fraud check for existing clients",
				"A client who already has an Active order is not checked again.", "yesno"},
		}},
}

type settingsView struct {
	settingsPage
	Values map[string]string
	Errors fieldErrors
	// Rules is the Tax Rules table, on Tax Configuration only (taxrules.go).
	Rules *taxRulesView
	// FraudModules are the fraud modules the environment can run, the fraudmodule field's
	// choices.
	FraudModules []string
}

// MaxMindConfigured tells the page whether MaxMind can be chosen, or is to be configured first.
func (v settingsView) MaxMindConfigured() bool {
	return slices.Contains(v.FraudModules, fraud.ModuleMaxMind)
}

// settingsRoutes mounts the settings pages and Payment Gateways.
func (c *Console) settingsRoutes(r chi.Router) {
	r.Get("/setup/{settings:general|fraud|tax}", c.settingsForm)
	r.Post("/setup/{settings:general|fraud|tax}", c.saveSettings)
	r.Get("/setup/gateways", c.gatewayList)
	r.Post("/setup/gateways", c.saveGateway)
	r.Post("/setup/gateways/methods/{name}", c.saveMethod)
}

// settingsForm serves a settings form with the stored values.
func (c *Console) settingsForm(w http.ResponseWriter, r *http.Request) {
	key := chi.URLParam(r, "settings")
	p := settingsPages[key]
	values, err := c.svc.Settings(r.Context())
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	v := settingsView{settingsPage: p, Values: values, FraudModules: c.svc.FraudModuleChoices()}
	if err := c.withTaxRules(r.Context(), key, &v); err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	c.pages.Render(w, r, http.StatusOK, "setup-settings", &page.View{Title: p.Title, Nav: setupNav, Data: v})
}

// saveSettings stores a settings form, all or none; a refused value is shown on its field with
// what was typed.
func (c *Console) saveSettings(w http.ResponseWriter, r *http.Request) {
	key := chi.URLParam(r, "settings")
	p := settingsPages[key]
	if !c.readPosted(w, r) {
		return
	}
	values := map[string]string{}
	keys := make([]string, len(p.Fields))
	for i, f := range p.Fields {
		v := r.PostForm.Get(f.Key)
		switch f.Kind {
		case "yesno":
			v = map[bool]string{true: "true", false: "false"}[v != ""]
		case "textarea":
			v = strings.ReplaceAll(v, "\r\n", "\n")
		default:
			v = strings.TrimSpace(v)
		}
		keys[i] = f.Key
		if f.Kind == "counter" && v == r.PostForm.Get(f.Key+"_shown") {
			continue // unchanged here: payments may have moved it since the form was shown
		}
		values[f.Key] = v
	}
	if err := c.svc.PutSettings(r.Context(), values); err != nil {
		errs, status, ok := refused(err, keys...)
		if !ok {
			c.pages.ServerError(w, r, err)
			return
		}
		v := settingsView{settingsPage: p, Values: values, Errors: errs, FraudModules: c.svc.FraudModuleChoices()}
		if err := c.withTaxRules(r.Context(), key, &v); err != nil {
			c.pages.ServerError(w, r, err)
			return
		}
		c.pages.Render(w, r, status, "setup-settings", &page.View{Title: p.Title, Nav: setupNav, Data: v})
		return
	}
	c.pages.SetFlash(w, r, page.FlashOK, p.Title+" saved.")
	c.redirect(w, r, c.path(p.Path))
}

type gatewaysView struct {
	Gateways []gatewayRow
	// Methods are every payment method, each its own form (display name, shown on the order
	// form); Method is the one sent, whose typed values and refusal replace what is stored.
	Methods []billing.Method
	Method  string
	// Name is the gateway the form was sent for, kept with a refusal (never the secret).
	Name   string
	Errors fieldErrors
	// MethodErrors are the refusal of the Method form.
	MethodErrors fieldErrors
}

// gatewayRow is a gateway with the address its callbacks go to.
type gatewayRow struct {
	billing.Gateway
	Webhook string
}

// gatewayList serves /admin/setup/gateways: each gateway, where its secret comes from, and the
// webhook URL to paste into the gateway's dashboard.
func (c *Console) gatewayList(w http.ResponseWriter, r *http.Request) {
	c.renderGateways(w, r, http.StatusOK, gatewaysView{})
}

func (c *Console) renderGateways(w http.ResponseWriter, r *http.Request, status int, v gatewaysView) {
	gws, err := c.svc.Gateways(r.Context())
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	for _, g := range gws {
		v.Gateways = append(v.Gateways, gatewayRow{Gateway: g, Webhook: c.publicBase(r) + gateway.WebhookPath(g.Name)})
	}
	methods, err := c.svc.Methods(r.Context())
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	for i, m := range methods {
		if m.Name == v.Method && v.MethodErrors != nil {
			methods[i] = billing.Method{Name: m.Name, DisplayName: r.PostForm.Get("display_name"), Enabled: r.PostForm.Get("enabled") == "true"}
		}
	}
	v.Methods = methods
	c.pages.Render(w, r, status, "setup-gateways", &page.View{Title: "Payment Gateways", Nav: setupNav, Data: v})
}

// saveGateway sets a gateway's webhook secret, sealed; a new name adds the gateway.
func (c *Console) saveGateway(w http.ResponseWriter, r *http.Request) {
	if !c.readPosted(w, r) {
		return
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	if err := c.svc.SetGatewaySecret(r.Context(), name, r.PostForm.Get("secret")); err != nil {
		errs, status, ok := refused(err, "name", "secret")
		if !ok {
			c.pages.ServerError(w, r, err)
			return
		}
		c.renderGateways(w, r, status, gatewaysView{Name: name, Errors: errs})
		return
	}
	c.pages.SetFlash(w, r, page.FlashOK, "The webhook secret of "+billing.MethodName(name)+" is saved, sealed.")
	c.redirect(w, r, c.path("/setup/gateways"))
}

// saveMethod sets a payment method's display name and whether the order forms offer it
// (billing.SetMethod, REST's PUT /gateways/{name}).
func (c *Console) saveMethod(w http.ResponseWriter, r *http.Request) {
	if !c.readPosted(w, r) {
		return
	}
	name := chi.URLParam(r, "name")
	display, enabled := r.PostForm.Get("display_name"), r.PostForm.Get("enabled") == "true"
	m, err := c.svc.SetMethod(r.Context(), name, billing.MethodChange{DisplayName: &display, Enabled: &enabled})
	if err != nil {
		errs, status, ok := refused(err, "display_name")
		if !ok {
			c.pages.ServerError(w, r, err)
			return
		}
		c.renderGateways(w, r, status, gatewaysView{Method: name, MethodErrors: errs})
		return
	}
	state := "offered on the order forms"
	if !m.Enabled {
		state = "not offered to new orders"
	}
	c.pages.SetFlash(w, r, page.FlashOK, m.DisplayName+" ("+m.Name+") is saved, "+state+".")
	c.redirect(w, r, c.path("/setup/gateways"))
}

// publicBase is where the gateways reach hostflow: the public URL when one is set, else the
// address the admin is using.
func (c *Console) publicBase(r *http.Request) string {
	if c.opts.PublicURL != "" {
		return strings.TrimRight(c.opts.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || web.ForwardedHTTPS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
