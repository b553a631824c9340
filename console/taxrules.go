package console

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/tax"
)

// The Tax Rules table of Setup → Tax Configuration (WHMCS's Tax Rules under Tax
// Configuration): every rule with its name, country, state, rate and level, an Add form and
// a Delete button each, over the same rules as REST's /tax-rules (catalog.CreateTaxRule,
// catalog.DeleteTaxRule), so a rate outside 0-100 or with more than 3 decimals is refused on
// the rate field here as there.

// taxRulesView is the Tax Rules table and its Add form, shown below the tax settings.
type taxRulesView struct {
	Rules []tax.Rule
	// Form is what the Add form was sent with, kept with a refusal.
	Form   catalog.NewTaxRule
	Errors fieldErrors
}

// taxRuleFields are the Add form's fields, named as the REST API names them.
var taxRuleFields = []string{"name", "country", "state", "rate", "level"}

// taxRuleRoutes mounts the Tax Rules' Add and Delete; the table is shown by the Tax
// Configuration page (settingsForm, through withTaxRules).
func (c *Console) taxRuleRoutes(r chi.Router) {
	r.Post("/setup/tax/rules", c.addTaxRule)
	r.Post("/setup/tax/rules/{id}/delete", c.deleteTaxRule)
}

// withTaxRules adds the Tax Rules table to the settings page it belongs to (Tax
// Configuration), keeping a refused Add form's values and errors when v already has them.
func (c *Console) withTaxRules(ctx context.Context, key string, v *settingsView) error {
	if key != "tax" {
		return nil
	}
	rules, err := c.svc.TaxRules(ctx)
	if err != nil {
		return err
	}
	if v.Rules == nil {
		v.Rules = &taxRulesView{Form: catalog.NewTaxRule{Level: int(tax.Level1)}}
	}
	v.Rules.Rules = rules
	return nil
}

// addTaxRule adds a rule; a refused one is shown on its field with what was typed, the rules
// and the settings as they are.
func (c *Console) addTaxRule(w http.ResponseWriter, r *http.Request) {
	if !c.readPosted(w, r) {
		return
	}
	get := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	level, _ := strconv.Atoi(get("level")) // not a number: 0, which the rule refuses on level
	in := catalog.NewTaxRule{Level: level, Name: get("name"), Country: get("country"), State: get("state"), Rate: get("rate")}
	rule, err := c.svc.CreateTaxRule(r.Context(), in)
	if err != nil {
		errs, status, ok := refused(err, taxRuleFields...)
		if !ok {
			c.pages.ServerError(w, r, err)
			return
		}
		c.renderTaxPage(w, r, status, &taxRulesView{Form: in, Errors: errs})
		return
	}
	c.pages.SetFlash(w, r, page.FlashOK, "Tax rule "+rule.Name+" ("+rule.Rate.Short()+"%) added.")
	c.redirect(w, r, c.path("/setup/tax"))
}

// deleteTaxRule deletes a rule; invoices written with it keep their rate and name.
func (c *Console) deleteTaxRule(w http.ResponseWriter, r *http.Request) {
	if !c.readPosted(w, r) {
		return
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err == nil {
		err = c.svc.DeleteTaxRule(r.Context(), id)
	} else {
		err = fault.Absent("Tax rule not found")
	}
	if err != nil {
		if _, status, ok := refused(err); ok {
			c.pages.Error(w, r, status, "No such tax rule: "+chi.URLParam(r, "id"))
			return
		}
		c.pages.ServerError(w, r, err)
		return
	}
	c.pages.SetFlash(w, r, page.FlashOK, "Tax rule deleted.")
	c.redirect(w, r, c.path("/setup/tax"))
}

// renderTaxPage renders Tax Configuration with the stored settings and the rules view given.
func (c *Console) renderTaxPage(w http.ResponseWriter, r *http.Request, status int, rules *taxRulesView) {
	p := settingsPages["tax"]
	values, err := c.svc.Settings(r.Context())
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	v := settingsView{settingsPage: p, Values: values, Rules: rules}
	if err := c.withTaxRules(r.Context(), "tax", &v); err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	c.pages.Render(w, r, status, "setup-settings", &page.View{Title: p.Title, Nav: setupNav, Data: v})
}
