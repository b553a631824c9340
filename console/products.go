package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/web"
)

// Setup → Products/Services: WHMCS's Configuration → Products/Services. The product groups and
// the products under them; a product's form (details, module settings, the pricing grid); and
// deleting, which the catalogue refuses for a product an order uses. Every rule is catalog's:
// the forms are read into the REST API's NewProduct and NewProductGroup and go through the
// same calls, and a refusal is shown beside the field it names.

// productsPath is the Products/Services list.
const productsPath = "/setup/products"

// productRoutes registers Products/Services. The literal "groups" never collides with a
// product's numeric id.
func (c *Console) productRoutes(r chi.Router) {
	r.Get(productsPath, c.productList)
	r.Get(productsPath+"/new", c.newProductPage)
	r.Post(productsPath+"/new", c.saveProduct)
	r.Get(productsPath+"/groups/new", c.newGroupPage)
	r.Post(productsPath+"/groups/new", c.saveGroup)
	r.Get(productsPath+"/groups/{id}", c.editGroupPage)
	r.Post(productsPath+"/groups/{id}", c.saveGroup)
	groups := catalogDeletion{What: "Product Group", Path: "/groups/", Name: func(ctx context.Context, id int64) (string, error) {
		g, err := c.svc.GetProductGroup(ctx, id)
		return g.Name, err
	}, Delete: func(ctx context.Context, id int64) error { return c.svc.DeleteProductGroup(ctx, id) }}
	r.Get(productsPath+"/groups/{id}/delete", c.deletePage(groups))
	r.Post(productsPath+"/groups/{id}/delete", c.deleteFromCatalog(groups))
	r.Get(productsPath+"/{id}", c.editProductPage)
	r.Post(productsPath+"/{id}", c.saveProduct)
	products := catalogDeletion{What: "Product", Path: "/", Name: func(ctx context.Context, id int64) (string, error) {
		p, err := c.svc.GetProduct(ctx, id)
		return p.Name, err
	}, Delete: func(ctx context.Context, id int64) error { return c.svc.DeleteProduct(ctx, id) }}
	r.Get(productsPath+"/{id}/delete", c.deletePage(products))
	r.Post(productsPath+"/{id}/delete", c.deleteFromCatalog(products))
}

// productRow is a product as the list shows it.
type productRow struct {
	catalog.Product
	PayType string
	// From is the shortest cycle's price in each currency: "9.99 USD Monthly".
	From []string
}

// autoSetupNames are the list's short words for the auto-setup settings, and the form's
// choices in WHMCS's words (Module Settings → Automation Settings).
var autoSetupNames = map[order.AutoSetup][2]string{
	order.SetupOnOrder:   {"On Order", "Automatically setup the product as soon as an order is placed"},
	order.SetupOnPayment: {"On Payment", "Automatically setup the product as soon as the first payment is received"},
	order.SetupOnAccept:  {"On Accept", "Automatically setup the product when you manually accept a pending order"},
	order.SetupNever:     {"Off", "Do not automatically setup this product"},
}

// AutoSetupName is the list's word for the product's auto-setup setting.
func (p productRow) AutoSetupName() string { return autoSetupNames[p.AutoSetup][0] }

type shelfRow struct {
	Group    *catalog.ProductGroup
	Products []productRow
}

// productList serves /admin/setup/products: the groups in the store's order with their
// products, the products in no group last.
func (c *Console) productList(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := pageContext(r)
	defer cancel()
	groups, err := c.svc.ProductGroups(ctx)
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	products, err := c.svc.ListProducts(ctx)
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	var v []shelfRow
	for _, sh := range catalog.Shelves(groups, products) {
		row := shelfRow{Group: sh.Group}
		for _, p := range sh.Products {
			row.Products = append(row.Products, listedProduct(p))
		}
		v = append(v, row)
	}
	c.pages.Render(w, r, http.StatusOK, "products", &page.View{Title: "Products/Services", Nav: setupNav, Data: v})
}

func listedProduct(p catalog.Product) productRow {
	row := productRow{Product: p, PayType: "Recurring"}
	cycles := map[order.BillingCycle]bool{}
	shortest := map[string]catalog.Price{}
	var currencies []string
	for _, pr := range p.Prices {
		cycles[pr.BillingCycle] = true
		old, ok := shortest[pr.Currency]
		if !ok {
			currencies = append(currencies, pr.Currency)
		}
		if !ok || cycleOrder(pr.BillingCycle) < cycleOrder(old.BillingCycle) {
			shortest[pr.Currency] = pr
		}
	}
	switch {
	case len(cycles) == 1 && cycles[order.Free]:
		row.PayType = "Free"
	case len(cycles) == 1 && cycles[order.OneTime]:
		row.PayType = "One Time"
	}
	slices.Sort(currencies)
	for _, cur := range currencies {
		pr := shortest[cur]
		row.From = append(row.From, fmt.Sprintf("%s %s %s", money.Format(pr.Price, cur), cur, pr.BillingCycle.Name()))
	}
	return row
}

// cycleOrder orders billing cycles as WHMCS lists them, shortest first.
func cycleOrder(c order.BillingCycle) int {
	return slices.IndexFunc(order.BillingCycles, func(b order.CycleInfo) bool { return b.Cycle == c })
}

// productForm is the product form as the admin filled it in, kept as typed, so that a refusal
// shows it again with the reason beside each field.
type productForm struct {
	Name, Type, Group, Description string
	WelcomeEmail                   bool
	StockControl                   bool
	Quantity                       string
	Hidden, Taxable                bool
	Module, PackageName            string
	ServerGroup, AutoSetup         string
	// Currencies are the pricing grid's currencies, in order; Prices its cells by cellKey.
	Currencies  []string
	Prices      map[string]string
	NewCurrency string
}

// cellKey names a pricing grid cell: what ("price" or "setup"), currency and cycle. It is the
// input's name and id, and the key of its refusal.
func cellKey(what, currency string, cycle order.BillingCycle) string {
	return what + "-" + currency + "-" + string(cycle)
}

// priceRow is one currency's part of the pricing grid, as the template shows it.
type priceRow struct {
	Currency string
	Setup    []priceCell
	Price    []priceCell
}

type priceCell struct {
	Key, Value, Error string
	Label             string // "Monthly Setup Fee (USD)": the grid's headings, for a screen reader
}

type productView struct {
	ID       int64 // 0 for a new product
	Form     productForm
	Cycles   []order.CycleInfo
	Grid     []priceRow
	Groups   []catalog.ProductGroup
	Types    []order.ProductType
	Modules  []string
	Setups   []autoSetupChoice
	Errors   map[string]string
	Error    string
	Required bool // whether the Module Name is a choice of the registered modules
}

type autoSetupChoice struct {
	Value order.AutoSetup
	Label string
}

// newProductPage serves Create a New Product, in the group ?group_id= names (the list's link
// under a group) or the first.
func (c *Console) newProductPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := pageContext(r)
	defer cancel()
	f := productForm{Type: string(order.HostingAccount), Module: "none", AutoSetup: string(order.SetupOnAccept), WelcomeEmail: true,
		Group: r.URL.Query().Get("group_id"), Prices: map[string]string{}}
	if f.Group == "" {
		groups, err := c.svc.ProductGroups(ctx)
		if err != nil {
			c.pages.ServerError(w, r, err)
			return
		}
		if len(groups) > 0 {
			f.Group = strconv.FormatInt(groups[0].ID, 10)
		}
	}
	c.renderProduct(w, r, http.StatusOK, 0, f, nil, "")
}

// editProductPage serves a product's form, filled in from the catalogue.
func (c *Console) editProductPage(w http.ResponseWriter, r *http.Request) {
	id, ok := c.pathNumber(w, r, "product")
	if !ok {
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	p, err := c.svc.GetProduct(ctx, id)
	if err != nil {
		c.showMissing(w, r, err)
		return
	}
	f := productForm{Name: p.Name, Type: string(p.Type), Description: p.Description, WelcomeEmail: p.WelcomeEmail,
		Hidden: p.Hidden, Taxable: p.Taxable, Module: p.Module, PackageName: p.PackageName, ServerGroup: p.ServerGroup, AutoSetup: string(p.AutoSetup),
		Prices: map[string]string{}}
	if p.GroupID != nil {
		f.Group = strconv.FormatInt(*p.GroupID, 10)
	}
	if p.Stock != nil {
		f.StockControl, f.Quantity = true, strconv.Itoa(int(*p.Stock))
	}
	for _, pr := range p.Prices {
		if !slices.Contains(f.Currencies, pr.Currency) {
			f.Currencies = append(f.Currencies, pr.Currency)
		}
		f.Prices[cellKey("price", pr.Currency, pr.BillingCycle)] = money.Format(pr.Price, pr.Currency)
		// No setup fee is an empty cell, so that clearing a cycle's price is all it takes to stop
		// offering it.
		if pr.SetupFee != 0 {
			f.Prices[cellKey("setup", pr.Currency, pr.BillingCycle)] = money.Format(pr.SetupFee, pr.Currency)
		}
	}
	c.renderProduct(w, r, http.StatusOK, id, f, nil, "")
}

// saveProduct serves the product form's buttons: Add Currency grows the pricing grid, Save
// Changes creates or edits the product through the REST API's call.
func (c *Console) saveProduct(w http.ResponseWriter, r *http.Request) {
	var id int64
	if chi.URLParam(r, "id") != "" {
		var ok bool
		if id, ok = c.pathNumber(w, r, "product"); !ok {
			return
		}
	}
	if !c.readPosted(w, r) {
		return
	}
	f := readProductForm(r.PostForm)
	if r.PostForm.Get("op") == "add-currency" {
		code := strings.ToUpper(strings.TrimSpace(f.NewCurrency))
		if !money.ValidCurrency(code) {
			c.renderProduct(w, r, http.StatusUnprocessableEntity, id, f, map[string]string{"new_currency": "Enter an ISO 4217 currency code such as EUR."}, "")
			return
		}
		if !slices.Contains(f.Currencies, code) {
			f.Currencies = append(f.Currencies, code)
		}
		f.NewCurrency = ""
		c.renderProduct(w, r, http.StatusOK, id, f, nil, "")
		return
	}
	p, cells, errs := productFromForm(f)
	if len(errs) > 0 {
		c.renderProduct(w, r, http.StatusUnprocessableEntity, id, f, errs, "")
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	var saved catalog.Product
	var err error
	if id == 0 {
		saved, err = c.svc.CreateProduct(ctx, p)
	} else {
		saved, err = c.svc.UpdateProduct(ctx, id, p)
	}
	if err != nil {
		status, errs, msg := c.fieldRefusals(r, err, productLabels, func(field string) string { return productField(field, cells) })
		c.renderProduct(w, r, status, id, f, errs, msg)
		return
	}
	what := "created"
	if id != 0 {
		what = "saved"
	}
	c.pages.SetFlash(w, r, page.FlashOK, fmt.Sprintf("Product %s %s.", saved.Name, what))
	c.redirect(w, r, c.path(productsPath)+"#product-"+strconv.FormatInt(saved.ID, 10))
}

func readProductForm(v url.Values) productForm {
	get := func(name string) string { return strings.TrimSpace(v.Get(name)) }
	f := productForm{Name: get("name"), Type: get("type"), Group: get("group_id"),
		Description:  strings.TrimSpace(strings.ReplaceAll(v.Get("description"), "\r\n", "\n")),
		WelcomeEmail: v.Get("welcome_email") != "", StockControl: v.Get("stock_control") != "", Quantity: get("quantity"),
		Hidden: v.Get("hidden") != "", Taxable: v.Get("taxable") != "", Module: get("module"), PackageName: get("package_name"), ServerGroup: get("server_group"),
		AutoSetup: get("auto_setup"), NewCurrency: get("new_currency"), Prices: map[string]string{}}
	// The grid's currencies come back as they were shown; at most one per ISO code, and only
	// codes, so that a forged form cannot grow the page without end.
	for _, cur := range v["currency"] {
		if money.ValidCurrency(cur) && !slices.Contains(f.Currencies, cur) {
			f.Currencies = append(f.Currencies, cur)
		}
	}
	for _, cur := range f.Currencies {
		for _, cy := range order.BillingCycles {
			for _, what := range []string{"price", "setup"} {
				if s := get(cellKey(what, cur, cy.Cycle)); s != "" {
					f.Prices[cellKey(what, cur, cy.Cycle)] = s
				}
			}
		}
	}
	return f
}

// productFromForm turns the form into the REST API's NewProduct: a grid cycle whose price and
// setup fee are both empty is not offered. cells[i] names the grid cell of the NewProduct's
// price i, to put the catalogue's refusals back on it. The errors are what the form itself
// cannot say in the API's terms (a group or quantity that is no number).
func productFromForm(f productForm) (catalog.NewProduct, []string, map[string]string) {
	welcome := f.WelcomeEmail
	p := catalog.NewProduct{Name: f.Name, Type: order.ProductType(f.Type), Description: f.Description, WelcomeEmail: &welcome,
		Hidden: f.Hidden, Taxable: f.Taxable, Module: f.Module, PackageName: f.PackageName, ServerGroup: f.ServerGroup, AutoSetup: order.AutoSetup(f.AutoSetup)}
	errs := map[string]string{}
	if f.Group != "" {
		if id, err := strconv.ParseInt(f.Group, 10, 64); err == nil {
			p.GroupID = &id
		} else {
			errs["group_id"] = "Choose a product group from the list."
		}
	}
	if f.StockControl {
		n, err := strconv.ParseInt(f.Quantity, 10, 32)
		if err != nil {
			errs["stock"] = "Quantity must be a whole number (0 or more)."
		}
		stock := int32(n)
		p.Stock = &stock
	}
	var cells []string
	for _, cur := range f.Currencies {
		for _, cy := range order.BillingCycles {
			price, setup := f.Prices[cellKey("price", cur, cy.Cycle)], f.Prices[cellKey("setup", cur, cy.Cycle)]
			if price == "" && setup == "" {
				continue
			}
			p.Prices = append(p.Prices, catalog.NewPrice{Currency: cur, BillingCycle: cy.Cycle, Price: price, SetupFee: setup})
			cells = append(cells, cur+"-"+string(cy.Cycle))
		}
	}
	return p, cells, errs
}

// productField maps a refusal's field (the REST API's name) to the form's: a price's to its
// grid cell.
func productField(field string, cells []string) string {
	rest, ok := strings.CutPrefix(field, "prices[")
	if !ok {
		return field
	}
	n, part, _ := strings.Cut(rest, "].")
	i, err := strconv.Atoi(n)
	if err != nil || i < 0 || i >= len(cells) {
		return "prices"
	}
	switch part {
	case "price":
		return "price-" + cells[i]
	case "setup_fee":
		return "setup-" + cells[i]
	}
	return "prices"
}

// productLabels are the form's labels by field, to say a refusal in the page's words.
var productLabels = map[string]string{
	"name": "Product Name", "type": "Product Type", "group_id": "Product Group", "description": "Product Description",
	"stock": "Quantity", "module": "Module Name", "package_name": "Package Name", "server_group": "Server Group",
	"auto_setup": "Automation Settings", "prices": "Pricing",
}

// fieldRefusals turns a refusal into what a form shows: each refusal of a field the form has
// (one labels names) beside it, formField mapping the API's field to the form's; any other at
// the top; and the status to answer. An unexpected failure is logged and named by its request
// id.
func (c *Console) fieldRefusals(r *http.Request, err error, labels map[string]string, formField func(string) string) (int, map[string]string, string) {
	var all catalog.Problems
	var one *fault.Error
	switch {
	case errors.As(err, &all):
	case errors.As(err, &one):
		all = catalog.Problems{one}
	default:
		status := http.StatusInternalServerError
		if web.Unavailable(err) {
			status = http.StatusServiceUnavailable
		}
		return status, nil, c.logFailure(r, "console: setup form failed", err)
	}
	errs := map[string]string{}
	var top []string
	for _, p := range all {
		field := formField(p.Field)
		label, known := labels[field]
		switch {
		case strings.HasPrefix(field, "price-"):
			errs[field] = sentence("Price", p.Message)
		case strings.HasPrefix(field, "setup-"):
			errs[field] = sentence("Setup Fee", p.Message)
		case known && errs[field] == "":
			errs[field] = sentence(label, p.Message)
		case p.Field != "":
			top = append(top, p.Error())
		default:
			top = append(top, p.Message)
		}
	}
	return web.Status(all[0].Kind), errs, strings.Join(top, " ")
}

// sentence puts a refusal in a sentence: "is required" after its label, a message that says
// what it is about by itself as it is.
func sentence(label, msg string) string {
	for _, verb := range []string{"is ", "must ", "contains ", "has "} {
		if strings.HasPrefix(msg, verb) {
			return label + " " + msg + "."
		}
	}
	if msg == "" {
		return label + " is refused."
	}
	return strings.ToUpper(msg[:1]) + msg[1:] + "."
}

// gridCycles are the pricing grid's columns: WHMCS's one-time and recurring cycles, and Free
// when the product is sold free, so that an edit never drops a price the grid hides.
func gridCycles(f productForm) []order.CycleInfo {
	var out []order.CycleInfo
	for _, cy := range order.BillingCycles {
		if cy.Cycle == order.Free {
			free := false
			for _, cur := range f.Currencies {
				free = free || f.Prices[cellKey("price", cur, order.Free)] != "" || f.Prices[cellKey("setup", cur, order.Free)] != ""
			}
			if !free {
				continue
			}
		}
		out = append(out, cy)
	}
	return out
}

func (c *Console) renderProduct(w http.ResponseWriter, r *http.Request, status int, id int64, f productForm, errs map[string]string, msg string) {
	ctx, cancel := pageContext(r)
	defer cancel()
	v := productView{ID: id, Form: f, Errors: errs, Error: msg, Modules: c.svc.Modules()}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	var err error
	if v.Groups, err = c.svc.ProductGroups(ctx); err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	// The grid offers every currency in use, so that a product is priced in each without asking.
	inUse, err := c.svc.Currencies(ctx)
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	for _, cur := range inUse {
		if !slices.Contains(v.Form.Currencies, cur.Code) {
			v.Form.Currencies = append(v.Form.Currencies, cur.Code)
		}
	}
	if len(v.Form.Currencies) == 0 {
		v.Form.Currencies = []string{catalog.DefaultCurrency}
	}
	for _, t := range order.ProductTypes {
		v.Types = append(v.Types, t.Type)
	}
	for _, s := range order.AutoSetups {
		v.Setups = append(v.Setups, autoSetupChoice{Value: s, Label: autoSetupNames[s][1]})
	}
	if len(v.Modules) > 0 && !slices.Contains(v.Modules, f.Module) && f.Module != "" {
		v.Modules = append(v.Modules, f.Module) // a module no longer registered stays as it was, for the refusal to name
	}
	v.Cycles = gridCycles(v.Form)
	for _, cur := range v.Form.Currencies {
		row := priceRow{Currency: cur}
		for _, cy := range v.Cycles {
			sk, pk := cellKey("setup", cur, cy.Cycle), cellKey("price", cur, cy.Cycle)
			row.Setup = append(row.Setup, priceCell{Key: sk, Value: f.Prices[sk], Error: v.Errors[sk], Label: cy.Name + " Setup Fee (" + cur + ")"})
			row.Price = append(row.Price, priceCell{Key: pk, Value: f.Prices[pk], Error: v.Errors[pk], Label: cy.Name + " Price (" + cur + ")"})
		}
		v.Grid = append(v.Grid, row)
	}
	title := "Create a New Product"
	if id != 0 {
		title = "Edit Product"
	}
	c.pages.Render(w, r, status, "product", &page.View{Title: title, Nav: setupNav, Data: v})
}

// catalogDeletion is what Delete acts on: a product, or a product group (the catalogue refuses
// one an order uses, or one that holds products, saying how many).
type catalogDeletion struct {
	What   string // "Product", "Product Group"
	Path   string // below productsPath, before the id
	Name   func(ctx context.Context, id int64) (string, error)
	Delete func(ctx context.Context, id int64) error
}

// view is the page of the deletion of id, named name, with the catalogue's refusal msg.
func (d catalogDeletion) view(c *Console, id int64, name, msg string) catalogDeleteView {
	at := c.path(productsPath, d.Path, strconv.FormatInt(id, 10))
	return catalogDeleteView{What: d.What, Name: name, Action: at + "/delete", Back: at, Error: msg}
}

// deletePage asks before d deletes the item of the path.
func (c *Console) deletePage(d catalogDeletion) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := c.pathNumber(w, r, strings.ToLower(d.What))
		if !ok {
			return
		}
		name, err := d.Name(r.Context(), id)
		if err != nil {
			c.showMissing(w, r, err)
			return
		}
		c.renderCatalogDelete(w, r, http.StatusOK, d.view(c, id, name, ""))
	}
}

// deleteFromCatalog deletes the item of the path; the catalogue's refusal is shown on the page
// that asked.
func (c *Console) deleteFromCatalog(d catalogDeletion) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := c.pathNumber(w, r, strings.ToLower(d.What))
		if !ok {
			return
		}
		ctx, cancel := pageContext(r)
		defer cancel()
		name, err := d.Name(ctx, id)
		if err != nil {
			c.showMissing(w, r, err)
			return
		}
		if err := d.Delete(ctx, id); err != nil {
			status, _, msg := c.fieldRefusals(r, err, nil, func(string) string { return "" })
			c.renderCatalogDelete(w, r, status, d.view(c, id, name, msg))
			return
		}
		c.pages.SetFlash(w, r, page.FlashOK, d.What+" "+name+" deleted.")
		c.redirect(w, r, c.path(productsPath))
	}
}

// catalogDeleteView is the page that asks before a product or group is deleted, or says why not.
type catalogDeleteView struct {
	What, Name, Action, Back string
	Error                    string
}

func (c *Console) renderCatalogDelete(w http.ResponseWriter, r *http.Request, status int, v catalogDeleteView) {
	c.pages.Render(w, r, status, "catalogdelete", &page.View{Title: "Delete " + v.What, Nav: setupNav, Data: v})
}

// groupLabels are the group form's labels by field.
var groupLabels = map[string]string{"name": "Product Group Name", "position": "Order"}

// groupForm is the product group form as typed.
type groupForm struct {
	Name, Position string
	Hidden         bool
}

type groupView struct {
	ID     int64
	Form   groupForm
	Errors map[string]string
	Error  string
}

func (c *Console) newGroupPage(w http.ResponseWriter, r *http.Request) {
	c.renderGroup(w, r, http.StatusOK, groupView{})
}

func (c *Console) editGroupPage(w http.ResponseWriter, r *http.Request) {
	id, ok := c.pathNumber(w, r, "product group")
	if !ok {
		return
	}
	g, err := c.svc.GetProductGroup(r.Context(), id)
	if err != nil {
		c.showMissing(w, r, err)
		return
	}
	c.renderGroup(w, r, http.StatusOK, groupView{ID: id, Form: groupForm{Name: g.Name, Position: strconv.Itoa(int(g.Position)), Hidden: g.Hidden}})
}

// saveGroup creates or edits a product group; an empty Order puts a new group last.
func (c *Console) saveGroup(w http.ResponseWriter, r *http.Request) {
	v := groupView{Errors: map[string]string{}}
	if chi.URLParam(r, "id") != "" {
		var ok bool
		if v.ID, ok = c.pathNumber(w, r, "product group"); !ok {
			return
		}
	}
	if !c.readPosted(w, r) {
		return
	}
	v.Form = groupForm{Name: strings.TrimSpace(r.PostForm.Get("name")), Position: strings.TrimSpace(r.PostForm.Get("position")),
		Hidden: r.PostForm.Get("hidden") != ""}
	g := catalog.NewProductGroup{Name: v.Form.Name, Hidden: v.Form.Hidden}
	if v.Form.Position != "" {
		n, err := strconv.ParseInt(v.Form.Position, 10, 32)
		if err != nil {
			v.Errors["position"] = "Order must be a whole number."
			c.renderGroup(w, r, http.StatusUnprocessableEntity, v)
			return
		}
		pos := int32(n)
		g.Position = &pos
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	var saved catalog.ProductGroup
	var err error
	if v.ID == 0 {
		saved, err = c.svc.CreateProductGroup(ctx, g)
	} else {
		saved, err = c.svc.UpdateProductGroup(ctx, v.ID, g)
	}
	if err != nil {
		var status int
		status, v.Errors, v.Error = c.fieldRefusals(r, err, groupLabels, func(f string) string { return f })
		c.renderGroup(w, r, status, v)
		return
	}
	what := "created"
	if v.ID != 0 {
		what = "saved"
	}
	c.pages.SetFlash(w, r, page.FlashOK, fmt.Sprintf("Product group %s %s.", saved.Name, what))
	c.redirect(w, r, c.path(productsPath)+"#group-"+strconv.FormatInt(saved.ID, 10))
}

func (c *Console) renderGroup(w http.ResponseWriter, r *http.Request, status int, v groupView) {
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	title := "Create a New Group"
	if v.ID != 0 {
		title = "Edit Product Group"
	}
	c.pages.Render(w, r, status, "productgroup", &page.View{Title: title, Nav: setupNav, Data: v})
}

// pathNumber reads the {id} of a path; one that is not a positive number answers a 404 naming
// what was looked for.
func (c *Console) pathNumber(w http.ResponseWriter, r *http.Request, what string) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		c.pages.Error(w, r, http.StatusNotFound, "No such "+what+": "+chi.URLParam(r, "id"))
		return 0, false
	}
	return id, true
}

// showMissing answers a refusal (a product or group not found) with its page, anything else as
// a failure.
func (c *Console) showMissing(w http.ResponseWriter, r *http.Request, err error) {
	var se *fault.Error
	if errors.As(err, &se) {
		c.pages.Error(w, r, web.Status(se.Kind), se.Message)
		return
	}
	c.pages.ServerError(w, r, err)
}

// readPosted reads a posted form of at most 1 MiB; one that cannot be read is a 400.
func (c *Console) readPosted(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		c.pages.Error(w, r, http.StatusBadRequest, "The form could not be read.")
		return false
	}
	return true
}
