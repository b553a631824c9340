package console

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/console/page"
)

// setupSection is one entry of the Setup page: WHMCS's Configuration (System Settings) screens
// that hostflow has.
type setupSection struct {
	Name, Path, About string
}

// setupSections are the Setup page's entries, in WHMCS's order.
var setupSections = []setupSection{
	{"Products/Services", "/setup/products", "Product groups, and the products you sell: their details, module settings and pricing."},
	{"Servers", "/setup/servers", "The control-panel servers hosting accounts are created on."},
	{"Domain Pricing", "/setup/tlds", "The TLDs you sell, their prices and automatic registrar."},
	{"Promotions", "/setup/promotions", "Promotion codes and the discounts they give."},
	{"Payment Gateways", "/setup/gateways", "The payment methods' display names and whether they are offered; the gateways' webhook URLs and signing secrets."},
	{"General Settings", "/setup/general", "Unpaid order cancellation, the staff's email, manual payment methods, bank transfer instructions."},
	{"Tax Configuration", "/setup/tax", "Whether tax is charged, inclusive or exclusive, compound, and on domains; your home country for EU VAT; the tax rules."},
	{"Fraud Protection", "/setup/fraud", "The fraud score threshold, and whether existing clients are checked."},
	{"Administrators", "/setup/admins", "Administrator Users: who signs in to this console; deactivate one or reset their password."},
	{"API Keys & Credentials", "/setup/api", "The REST API's admin keys and the WHMCS API's credentials (Manage API Credentials)."},
}

// setupRoutes registers Setup and the sections built here (Products/Services); the other
// sections register their own.
func (c *Console) setupRoutes(r chi.Router) {
	r.Get("/setup", c.setupPage)
	c.productRoutes(r)
	c.serverRoutes(r)
	c.settingsRoutes(r)
	c.taxRuleRoutes(r)
	c.accessRoutes(r)
}

// setupPage serves /admin/setup: the Setup sections, each a link.
func (c *Console) setupPage(w http.ResponseWriter, r *http.Request) {
	c.pages.Render(w, r, http.StatusOK, "setup", &page.View{Title: "Setup", Nav: setupNav, Data: setupSections})
}
