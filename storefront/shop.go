package storefront

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/cart"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/storefront/session"
)

// productCard is a product as the store lists it: its prices in the visitor's currency, shortest
// cycle first.
type productCard struct {
	ID          int64
	Name        string
	Kind        string // WHMCS's name of the product type
	Description string
	// Stock is how many are left, nil when not counted; 0 is out of stock (no Order Now).
	Stock  *int32
	Prices []catalog.Price
}

// From is the price the store leads with: the shortest cycle's.
func (p productCard) From() catalog.Price { return p.Prices[0] }

// SoldOut says the product's stock is counted and none is left.
func (p productCard) SoldOut() bool { return p.Stock != nil && *p.Stock <= 0 }

// shelfView is a product group as the store shows it; ID 0 and no Name for the products in no
// group.
type shelfView struct {
	ID       int64
	Name     string
	Products []productCard
}

type storeView struct {
	Currency   string
	Currencies []string
	// Fixed says the currency is the signed-in client's own, which they cannot change here.
	Fixed bool
	// Shelves are the groups with products sold in Currency, in the groups' order; Elsewhere
	// counts the products sold only in others.
	Shelves   []shelfView
	Elsewhere int
}

// cards are the store's products (not hidden) priced in currency, and every currency a shown
// product is sold in.
func cards(products []catalog.Product, currency string) (out []productCard, currencies []string, elsewhere int) {
	for _, p := range products {
		if p.Hidden {
			continue
		}
		c := productCard{ID: p.ID, Name: p.Name, Kind: p.Type.Name(), Description: p.Description, Stock: p.Stock}
		for _, pr := range p.Prices {
			if !slices.Contains(currencies, pr.Currency) {
				currencies = append(currencies, pr.Currency)
			}
			if pr.Currency == currency {
				c.Prices = append(c.Prices, pr)
			}
		}
		slices.SortFunc(c.Prices, func(a, b catalog.Price) int { return cycleRank(a.BillingCycle) - cycleRank(b.BillingCycle) })
		if len(c.Prices) == 0 {
			elsewhere++
			continue
		}
		out = append(out, c)
	}
	slices.Sort(currencies)
	return out, currencies, elsewhere
}

// shelves are the store's groups in their order, each with its products as cards shows them,
// the products in no group last: a hidden group is left out with its products, and so is a
// group with nothing to show in currency.
func shelves(groups []catalog.ProductGroup, products []catalog.Product, currency string) (out []shelfView, currencies []string, elsewhere int) {
	for _, sh := range catalog.Shelves(groups, products) {
		v := shelfView{}
		if sh.Group != nil {
			if sh.Group.Hidden {
				continue
			}
			v.ID, v.Name = sh.Group.ID, sh.Group.Name
		}
		cs, cur, n := cards(sh.Products, currency)
		elsewhere += n
		for _, c := range cur {
			if !slices.Contains(currencies, c) {
				currencies = append(currencies, c)
			}
		}
		if v.Products = cs; len(cs) > 0 {
			out = append(out, v)
		}
	}
	slices.Sort(currencies)
	return out, currencies, elsewhere
}

// shown reads the catalogue as the store shows it in currency.
func (s *Store) shown(ctx context.Context, currency string) (out []shelfView, currencies []string, elsewhere int, err error) {
	groups, err := s.svc.ProductGroups(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	products, err := s.svc.ListProducts(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	out, currencies, elsewhere = shelves(groups, products, currency)
	return out, currencies, elsewhere, nil
}

// cycleRank orders billing cycles as WHMCS lists them, shortest first.
func cycleRank(c order.BillingCycle) int {
	return slices.IndexFunc(order.BillingCycles, func(b order.CycleInfo) bool { return b.Cycle == c })
}

// storePage serves GET /store: the products under their groups, with their prices per billing
// cycle.
func (s *Store) storePage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := page.Context(r)
	defer cancel()
	u, err := s.sessions.SignedIn(w, r)
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	v := storeView{Currency: s.currency(r, u), Fixed: u.Client != nil}
	if v.Shelves, v.Currencies, v.Elsewhere, err = s.shown(ctx, v.Currency); err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	s.pages.Render(w, r, http.StatusOK, "store", &page.View{Title: "Choose your hosting", Nav: "store", Client: u.Client, Data: v})
}

// setCurrency serves the currency picker: a visitor's prices (and their cart, if they have one)
// in another currency. A signed-in client pays in their own; the cart says so.
func (s *Store) setCurrency(w http.ResponseWriter, r *http.Request) {
	if !s.pages.ReadForm(w, r) {
		return
	}
	u, err := s.sessions.SignedIn(w, r)
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	currency := strings.ToUpper(strings.TrimSpace(r.PostForm.Get("currency")))
	back := safeNext(r.PostForm.Get("next"))
	if back == "" {
		back = "/store"
	}
	switch {
	case u.Client != nil:
		s.pages.SetFlash(w, r, page.FlashError, "Your account pays in "+u.Client.Currency+".")
	case !money.ValidCurrency(currency):
		s.pages.SetFlash(w, r, page.FlashError, "Please choose a currency from the list.")
	default:
		v := s.visitor(r, u)
		if v.Token != "" {
			if _, err := s.svc.Cart.SetCurrency(r.Context(), v, currency); err != nil {
				if _, msg, ok := page.Refusal(err); ok {
					s.pages.SetFlash(w, r, page.FlashError, msg)
					page.Redirect(w, r, back)
					return
				}
				s.pages.ServerError(w, r, err)
				return
			}
		}
		s.setCookie(w, r, currencyCookie, currency, cartIdle)
	}
	page.Redirect(w, r, back)
}

// configureForm is the Configure step as the customer filled it in, kept as typed.
type configureForm struct {
	Cycle  string
	Action string // register, transfer, existing
	Domain string
	EPP    string
	Period int
}

type productView struct {
	Product productCard
	Form    configureForm
	Periods []int
	// Availability is the registrar's answer on the domain, once the customer asked or added.
	Availability *catalog.Availability
	// OfferTransfer says a name taken elsewhere may be transferred: the form offers it.
	OfferTransfer bool
	Errors        map[string]string
	Error         string
}

// Period is the registration's price for the form's period, 0 when unknown.
func (v productView) PeriodPrice() int64 {
	a := v.Availability
	if a == nil {
		return 0
	}
	prices := a.Register
	if v.Form.Action == string(cart.DomainTransfer) {
		prices = a.Transfer
	}
	for _, p := range prices {
		if p.Years == v.Form.Period {
			return p.Price
		}
	}
	return 0
}

// domainPeriods are the registration periods offered, in years.
var domainPeriods = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}

// product finds a product the store shows, priced in currency; ok is false for an unknown or
// hidden product, one of a hidden group, or one not sold in currency (no page for it).
func (s *Store) product(r *http.Request, id int64, currency string) (productCard, bool, error) {
	shown, _, _, err := s.shown(r.Context(), currency)
	if err != nil {
		return productCard{}, false, err
	}
	for _, sh := range shown {
		if i := slices.IndexFunc(sh.Products, func(p productCard) bool { return p.ID == id }); i >= 0 {
			return sh.Products[i], true, nil
		}
	}
	return productCard{}, false, nil
}

// productPage serves GET /store/product/{id}: Configure, with the billing cycle and the domain.
func (s *Store) productPage(w http.ResponseWriter, r *http.Request) {
	u, err := s.sessions.SignedIn(w, r)
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	p, ok, err := s.product(r, page.PathID(r), s.currency(r, u))
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	if !ok {
		s.pages.Error(w, r, http.StatusNotFound, "This product is not sold in our store (or not in your currency).")
		return
	}
	f := configureForm{Cycle: string(p.From().BillingCycle), Action: string(cart.DomainRegister), Period: 1}
	s.renderProduct(w, r, http.StatusOK, u, productView{Product: p, Form: f})
}

func (s *Store) renderProduct(w http.ResponseWriter, r *http.Request, status int, u session.Who, v productView) {
	v.Periods = domainPeriods
	s.pages.Render(w, r, status, "product", &page.View{Title: "Configure " + v.Product.Name, Nav: "store", Client: u.Client, Data: v})
}

// configure serves Configure's buttons: Check Availability asks about the domain, Add to Cart
// puts the product in the cart (the cart checks the cycle and the domain, and refuses a cPanel
// product without one) and goes to the cart.
func (s *Store) configure(w http.ResponseWriter, r *http.Request) {
	if !s.pages.ReadForm(w, r) {
		return
	}
	u, err := s.sessions.SignedIn(w, r)
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	v := s.visitor(r, u)
	p, ok, err := s.product(r, page.PathID(r), v.Currency)
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	if !ok {
		s.pages.Error(w, r, http.StatusNotFound, "This product is not sold in our store (or not in your currency).")
		return
	}
	f := configureForm{Cycle: r.PostForm.Get("billingcycle"), Action: r.PostForm.Get("domain_action"),
		Domain: strings.TrimSpace(r.PostForm.Get("domain")), EPP: strings.TrimSpace(r.PostForm.Get("epp_code"))}
	f.Period, _ = strconv.Atoi(r.PostForm.Get("period"))
	if f.Period == 0 {
		f.Period = 1
	}
	out := productView{Product: p, Form: f, Errors: map[string]string{}}
	ctx, cancel := page.Context(r)
	defer cancel()
	// A new or transferred name is looked up first, so the page can say what the registrar
	// said and offer the transfer of a taken name; the cart asks again (from its cache).
	if f.Domain != "" && (f.Action == string(cart.DomainRegister) || f.Action == string(cart.DomainTransfer)) {
		a, err := s.svc.CheckDomain(ctx, v.Addr, f.Domain, v.Currency)
		if err != nil {
			if _, msg, ok := page.Refusal(err); ok {
				out.Errors["domain"] = msg
				s.renderProduct(w, r, page.RefusalStatus(err), u, out)
				return
			}
			s.pages.ServerError(w, r, err)
			return
		}
		out.Availability = &a
		out.OfferTransfer = a.Status == catalog.DomainTaken && a.CanTransfer && f.Action == string(cart.DomainRegister)
	}
	if r.PostForm.Get("op") == "check" {
		if f.Domain == "" {
			out.Errors["domain"] = "Enter the domain name to check."
		}
		s.renderProduct(w, r, http.StatusOK, u, out)
		return
	}
	choice := cart.ProductChoice{ProductID: p.ID, BillingCycle: order.BillingCycle(f.Cycle), Domain: f.Domain,
		DomainAction: cart.DomainAction(f.Action), Period: f.Period, EPPCode: f.EPP}
	if f.Domain == "" {
		choice.DomainAction = cart.DomainNone // no domain: the cart says whether the product needs one
	}
	s.ensureCart(w, r, &v)
	if _, err := s.svc.Cart.AddProduct(ctx, v, choice); err != nil {
		field, msg, ok := page.Refusal(err)
		if !ok {
			s.pages.ServerError(w, r, err)
			return
		}
		switch field {
		case "domain", "domain_action", "epp_code", "period", "billing_cycle":
			out.Errors[field] = msg
		default:
			out.Error = msg
		}
		s.renderProduct(w, r, page.RefusalStatus(err), u, out)
		return
	}
	s.pages.SetFlash(w, r, page.FlashOK, p.Name+" is in your cart.")
	page.Redirect(w, r, "/cart")
}
