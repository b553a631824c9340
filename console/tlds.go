package console

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/registrar"
)

// tldForm is the Domain Pricing form as typed: prices are a year's, in the TLD's currency.
type tldForm struct {
	TLD, Currency, Register, Transfer, Renew, AutoRegistrar string
	EPPRequired                                             bool
}

// tldFields are the form's fields by the service's names, for refusals to land on.
var tldFields = []string{"tld", "currency", "register_price", "transfer_price", "renew_price", "auto_registrar"}

// periodPrice is one line of a TLD's prices by period: n years cost n times a year's, as
// placing an order prices them.
type periodPrice struct {
	Years                     int
	Register, Transfer, Renew string
}

type tldView struct {
	// TLD is the TLD edited; nil when adding one.
	TLD        *catalog.TLD
	Form       tldForm
	Registrars []string
	Periods    []periodPrice
	Errors     fieldErrors
}

type tldListView struct{ TLDs []catalog.TLD }

// tldList serves /admin/setup/tlds: WHMCS's Domain Pricing, a line a TLD.
func (c *Console) tldList(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := pageContext(r)
	defer cancel()
	tlds, err := c.svc.ListTLDs(ctx)
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	c.pages.Render(w, r, http.StatusOK, "setup-tlds", &page.View{Title: "Domain Pricing", Nav: setupNav, Data: tldListView{TLDs: tlds}})
}

// registrarNames are the Auto Registration choices: the registrars configured, "" for None.
func (c *Console) registrarNames() []string {
	var out []string
	for _, name := range c.svc.Registrars.Names() {
		if name != registrar.None {
			out = append(out, name)
		}
	}
	return out
}

func (c *Console) renderTLD(w http.ResponseWriter, r *http.Request, status int, t *catalog.TLD, f tldForm, errs fieldErrors) {
	title := "Add TLD"
	v := tldView{TLD: t, Form: f, Registrars: c.registrarNames(), Errors: errs}
	if t != nil {
		title = "Domain Pricing for " + t.TLD
		for years := 1; years <= catalog.MaxDomainYears; years++ {
			n := int64(years)
			v.Periods = append(v.Periods, periodPrice{Years: years, Register: money.Format(t.RegisterPrice*n, t.Currency),
				Transfer: money.Format(t.TransferPrice*n, t.Currency), Renew: money.Format(t.RenewPrice*n, t.Currency)})
		}
	}
	c.pages.Render(w, r, status, "setup-tld", &page.View{Title: title, Nav: setupNav, Data: v})
}

func (c *Console) newTLDPage(w http.ResponseWriter, r *http.Request) {
	c.renderTLD(w, r, http.StatusOK, nil, tldForm{Currency: "USD", EPPRequired: true}, nil)
}

func readTLDForm(r *http.Request) (tldForm, catalog.NewTLD) {
	f := tldForm{TLD: strings.TrimSpace(r.PostForm.Get("tld")), Currency: strings.TrimSpace(r.PostForm.Get("currency")),
		Register: strings.TrimSpace(r.PostForm.Get("register_price")), Transfer: strings.TrimSpace(r.PostForm.Get("transfer_price")),
		Renew: strings.TrimSpace(r.PostForm.Get("renew_price")), AutoRegistrar: r.PostForm.Get("auto_registrar"),
		EPPRequired: r.PostForm.Get("epp_required") == "1"}
	epp := f.EPPRequired
	return f, catalog.NewTLD{TLD: f.TLD, Currency: f.Currency, RegisterPrice: f.Register, TransferPrice: f.Transfer, RenewPrice: f.Renew,
		AutoRegistrar: f.AutoRegistrar, EPPRequired: &epp}
}

func (c *Console) createTLD(w http.ResponseWriter, r *http.Request) {
	if !c.parseForm(w, r) {
		return
	}
	f, n := readTLDForm(r)
	ctx, cancel := pageContext(r)
	defer cancel()
	t, err := c.svc.CreateTLD(ctx, n)
	if err != nil {
		c.tldRefused(w, r, nil, f, err)
		return
	}
	c.pages.SetFlash(w, r, page.FlashOK, t.TLD+" added: "+money.Format(t.RegisterPrice, t.Currency)+" "+t.Currency+" a year to register.")
	c.redirect(w, r, c.path("/setup/tlds"))
}

func (c *Console) tldRefused(w http.ResponseWriter, r *http.Request, t *catalog.TLD, f tldForm, err error) {
	errs, status, ok := refused(err, tldFields...)
	if !ok {
		c.pages.ServerError(w, r, err)
		return
	}
	c.renderTLD(w, r, status, t, f, errs)
}

// tld loads the TLD of the path ("com" or ".com"), answering 404 itself when it is not sold.
func (c *Console) tld(w http.ResponseWriter, r *http.Request) (catalog.TLD, bool) {
	t, err := c.svc.GetTLD(r.Context(), chi.URLParam(r, "tld"))
	if err != nil {
		c.notFoundOr(w, r, err)
		return catalog.TLD{}, false
	}
	return t, true
}

func (c *Console) tldPage(w http.ResponseWriter, r *http.Request) {
	t, ok := c.tld(w, r)
	if !ok {
		return
	}
	f := tldForm{TLD: t.TLD, Currency: t.Currency, Register: money.Format(t.RegisterPrice, t.Currency),
		Transfer: money.Format(t.TransferPrice, t.Currency), Renew: money.Format(t.RenewPrice, t.Currency), AutoRegistrar: t.AutoRegistrar,
		EPPRequired: t.EPPRequired}
	c.renderTLD(w, r, http.StatusOK, &t, f, nil)
}

func (c *Console) saveTLD(w http.ResponseWriter, r *http.Request) {
	if !c.parseForm(w, r) {
		return
	}
	t, ok := c.tld(w, r)
	if !ok {
		return
	}
	f, n := readTLDForm(r)
	// The TLD is the page's, whatever was posted: it is the key, never renamed.
	f.TLD, n.TLD = t.TLD, t.TLD
	ctx, cancel := pageContext(r)
	defer cancel()
	saved, err := c.svc.UpdateTLD(ctx, n)
	if err != nil {
		c.tldRefused(w, r, &t, f, err)
		return
	}
	c.pages.SetFlash(w, r, page.FlashOK, "Domain Pricing for "+saved.TLD+" saved.")
	c.redirect(w, r, c.path("/setup/tlds"))
}
