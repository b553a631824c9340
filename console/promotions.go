package console

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/console/page"
)

// promotionForm is the Promotions form as typed.
type promotionForm struct {
	Code, Type, Value, Currency, StartsOn, ExpiresOn, MaxUses, Notes string
	Recurring                                                        bool
	// ProductIDs are the products ticked under Applies To; none is every product and domain.
	ProductIDs []int64
}

// promotionFields are the form's fields by the service's names, for refusals to land on.
var promotionFields = []string{"code", "type", "value", "currency", "recurring", "product_ids", "starts_on", "expires_on", "max_uses", "notes"}

type promotionView struct {
	// Promotion is the promotion edited; nil when adding one.
	Promotion *billing.Promotion
	Form      promotionForm
	Products  []productChoice
	Errors    fieldErrors
}

// productChoice is one box of Applies To.
type productChoice struct {
	catalog.Product
	Ticked bool
}

// promotionRow is a line of the list: the promotion with what it applies to, in words.
type promotionRow struct {
	billing.Promotion
	Value     string
	AppliesTo string
}

type promotionListView struct{ Promotions []promotionRow }

// promotionList serves /admin/setup/promotions: WHMCS's Promotions list.
func (c *Console) promotionList(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := pageContext(r)
	defer cancel()
	promos, err := c.svc.Promotions(ctx, "")
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	products, err := c.svc.ListProducts(ctx)
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	names := map[int64]string{}
	for _, p := range products {
		names[p.ID] = p.Name
	}
	v := promotionListView{}
	for _, p := range promos {
		row := promotionRow{Promotion: p, Value: billing.PromotionValue(p) + "%", AppliesTo: "All products and domains"}
		if p.Type == billing.PromotionFixed {
			row.Value = billing.PromotionValue(p) + " " + p.Currency
		}
		if len(p.ProductIDs) > 0 {
			var applies []string
			for _, id := range p.ProductIDs {
				applies = append(applies, names[id])
			}
			row.AppliesTo = strings.Join(applies, ", ")
		}
		v.Promotions = append(v.Promotions, row)
	}
	c.pages.Render(w, r, http.StatusOK, "setup-promotions", &page.View{Title: "Promotions", Nav: setupNav, Data: v})
}

func (c *Console) renderPromotion(w http.ResponseWriter, r *http.Request, status int, p *billing.Promotion, f promotionForm, errs fieldErrors) {
	products, err := c.svc.ListProducts(r.Context())
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	title := "Add Promotion"
	if p != nil {
		title = "Edit Promotion " + p.Code
	}
	v := promotionView{Promotion: p, Form: f, Errors: errs}
	for _, prod := range products {
		v.Products = append(v.Products, productChoice{Product: prod, Ticked: slices.Contains(f.ProductIDs, prod.ID)})
	}
	c.pages.Render(w, r, status, "setup-promotion", &page.View{Title: title, Nav: setupNav, Data: v})
}

func (c *Console) newPromotionPage(w http.ResponseWriter, r *http.Request) {
	c.renderPromotion(w, r, http.StatusOK, nil, promotionForm{Type: string(billing.PromotionPercentage), Currency: "USD", MaxUses: "0"}, nil)
}

// readPromotionForm reads the posted form; a number of uses or a product that is no number is
// refused here, on its field, before the service is asked.
func readPromotionForm(r *http.Request) (promotionForm, billing.NewPromotion, fieldErrors) {
	get := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	f := promotionForm{Code: get("code"), Type: get("type"), Value: get("value"), Currency: strings.ToUpper(get("currency")),
		StartsOn: get("starts_on"), ExpiresOn: get("expires_on"), MaxUses: get("max_uses"), Notes: r.PostForm.Get("notes"),
		Recurring: get("recurring") == "1"}
	var errs fieldErrors
	for _, s := range r.PostForm["product_ids"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			errs = fieldErrors{"product_ids": "choose products from the list"}
			continue
		}
		f.ProductIDs = append(f.ProductIDs, id)
	}
	n := billing.NewPromotion{Code: f.Code, Type: billing.PromotionType(f.Type), Value: f.Value, Recurring: f.Recurring,
		ProductIDs: f.ProductIDs, StartsOn: f.StartsOn, ExpiresOn: f.ExpiresOn, Notes: f.Notes}
	if n.Type == billing.PromotionFixed {
		n.Currency = f.Currency // a percentage has none
	}
	if f.MaxUses != "" {
		uses, err := strconv.ParseInt(f.MaxUses, 10, 32)
		if err != nil {
			return f, n, fieldErrors{"max_uses": "must be a whole number: 0 for no limit"}
		}
		n.MaxUses = int32(uses)
	}
	return f, n, errs
}

func (c *Console) createPromotion(w http.ResponseWriter, r *http.Request) {
	if !c.parseForm(w, r) {
		return
	}
	f, n, errs := readPromotionForm(r)
	if errs != nil {
		c.renderPromotion(w, r, http.StatusUnprocessableEntity, nil, f, errs)
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	p, err := c.svc.CreatePromotion(ctx, n)
	if err != nil {
		c.promotionRefused(w, r, nil, f, err)
		return
	}
	c.pages.SetFlash(w, r, page.FlashOK, "Promotion "+p.Code+" added.")
	c.redirect(w, r, c.path("/setup/promotions"))
}

func (c *Console) promotionRefused(w http.ResponseWriter, r *http.Request, p *billing.Promotion, f promotionForm, err error) {
	errs, status, ok := refused(err, promotionFields...)
	if !ok {
		c.pages.ServerError(w, r, err)
		return
	}
	c.renderPromotion(w, r, status, p, f, errs)
}

// promotion loads the promotion of the path's id, answering 404 itself when there is none.
func (c *Console) promotion(w http.ResponseWriter, r *http.Request) (billing.Promotion, bool) {
	id, ok := c.pathID(w, r, "promotion")
	if !ok {
		return billing.Promotion{}, false
	}
	p, err := c.svc.Promotion(r.Context(), id)
	if err != nil {
		c.notFoundOr(w, r, err)
		return billing.Promotion{}, false
	}
	return p, true
}

// day writes a promotion's date for a date input, "" for none.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func (c *Console) promotionPage(w http.ResponseWriter, r *http.Request) {
	p, ok := c.promotion(w, r)
	if !ok {
		return
	}
	f := promotionForm{Code: p.Code, Type: string(p.Type), Value: billing.PromotionValue(p), Currency: p.Currency,
		StartsOn: day(p.StartsOn), ExpiresOn: day(p.ExpiresOn), MaxUses: strconv.Itoa(int(p.MaxUses)), Notes: p.Notes,
		Recurring: p.Recurring, ProductIDs: slices.Clone(p.ProductIDs)}
	if f.Currency == "" {
		f.Currency = "USD"
	}
	c.renderPromotion(w, r, http.StatusOK, &p, f, nil)
}

func (c *Console) savePromotion(w http.ResponseWriter, r *http.Request) {
	if !c.parseForm(w, r) {
		return
	}
	p, ok := c.promotion(w, r)
	if !ok {
		return
	}
	f, n, errs := readPromotionForm(r)
	if errs != nil {
		c.renderPromotion(w, r, http.StatusUnprocessableEntity, &p, f, errs)
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	saved, err := c.svc.UpdatePromotion(ctx, p.ID, n)
	if err != nil {
		c.promotionRefused(w, r, &p, f, err)
		return
	}
	c.pages.SetFlash(w, r, page.FlashOK, "Promotion "+saved.Code+" saved.")
	c.redirect(w, r, c.path("/setup/promotions"))
}
