package console

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/console/session"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/web"
)

// maxFormRows bounds the product and domain rows one Add New Order form grows to; the service
// refuses more than 100 items anyway.
const maxFormRows = 100

// clientMatches is how many clients the client picker offers for what was typed.
const clientMatches = 10

// newOrderForm is the Add New Order form as the admin filled it in, kept as typed so that the
// page shows it again after Calculate Total, Add Another, or a refusal.
type newOrderForm struct {
	// Client is what the client box holds: a picked option ("#12 Ada Lovelace <ada@…>"), a
	// client id, or the start of a name, company or email to search for.
	Client        string
	Items         []itemRow
	Domains       []domainRow
	PaymentMethod string
	PromoCode     string
	Notes         string
	SendEmail     bool
	SendInvoice   bool // the Invoice Created email
	// ApplyCredit pays the new invoice from the client's credit, as far as it goes.
	ApplyCredit bool
	// RequestID names this form's submission: posted twice, it places one order.
	RequestID string
}

// itemRow is a product line with its one domain and what to do with it (DomainAction): for a
// registration its period and nameservers, for a transfer its EPP code too.
type itemRow struct{ Product, Cycle, Domain, DomainAction, Period, EPP, Nameservers string }

// A product line's domain choices, as WHMCS's Add New Order offers them.
const (
	domainRegister = string(order.DomainRegister) // Register a New Domain
	domainTransfer = string(order.DomainTransfer) // Transfer a Domain
	domainExisting = "existing"                   // Use Existing Domain: the hosting's domain only
)

// newItemRow is a product line as the form offers it: a domain the client has, until the admin
// chooses to register or transfer it, so nothing is charged that was not asked for.
func newItemRow() itemRow {
	return itemRow{Cycle: string(order.Monthly), DomainAction: domainExisting, Period: "1"}
}

type domainRow struct{ Name, Type, Period, EPP, Nameservers string }

type newOrderView struct {
	Form     newOrderForm
	Products []catalog.Product
	Methods  []string
	Periods  []int
	// Matches are the clients offered for what the client box holds.
	Matches []clients.Client
	// Quote is the priced order once Calculate Total found nothing wrong.
	Quote *order.NewOrder
	// Error is a refusal of the whole form, shown above it; Fields are refusals by the id of
	// the input they concern, shown beside it. Problem says either in the Order Summary.
	Error   string
	Fields  fieldErrors
	Problem string
}

// Err is the refusal of the input with this id, "" for none.
func (v newOrderView) Err(id string) string { return v.Fields[id] }

// inputState is an input of a product or domain row and its refusal, for the template.
type inputState struct{ ID, Message string }

// Field is the input with this id and its refusal.
func (v newOrderView) Field(id string) inputState { return inputState{id, v.Fields[id]} }

// newOrderPage serves GET /admin/orders/new: WHMCS's Add New Order, for the client of the
// client's page (?client_id=) or one to pick.
func (c *Console) newOrderPage(w http.ResponseWriter, r *http.Request) {
	f := newOrderForm{Items: []itemRow{newItemRow()}, Domains: []domainRow{{Type: string(order.DomainRegister), Period: "1"}},
		SendEmail: true, SendInvoice: true, RequestID: page.RequestID()}
	if id := r.URL.Query().Get("client_id"); id != "" {
		f.Client = id
		if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
			if cl, err := c.svc.Client(r.Context(), n, ""); err == nil {
				f.Client = page.ClientOption(cl)
			}
		}
	}
	c.renderNewOrder(w, r, http.StatusOK, f, nil, nil, formRows{})
}

// placeNewOrder serves the form's buttons: Add Another Product or Domain grow the form,
// Calculate Total prices it, Submit Order places it through the same service call as the API.
func (c *Console) placeNewOrder(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		c.pages.Error(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	f := readNewOrderForm(r.PostForm)
	switch r.PostForm.Get("op") {
	case "add-product":
		if len(f.Items) < maxFormRows {
			f.Items = append(f.Items, newItemRow())
		}
		c.renderNewOrder(w, r, http.StatusOK, f, nil, nil, formRows{})
		return
	case "add-domain":
		if len(f.Domains) < maxFormRows {
			f.Domains = append(f.Domains, domainRow{Type: string(order.DomainRegister), Period: "1"})
		}
		c.renderNewOrder(w, r, http.StatusOK, f, nil, nil, formRows{})
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	placing := r.PostForm.Get("op") == "place"
	p, rows, err := c.placeOrder(r, f)
	if err != nil {
		status := http.StatusOK
		if placing {
			status = http.StatusUnprocessableEntity
		}
		c.renderNewOrder(w, r, status, f, nil, err, rows)
		return
	}
	if !placing {
		// A total that cannot be worked out yet is an answer too: the page says why, with 200,
		// as console.js asks for it while the admin is still filling the form in.
		quote, err := c.svc.Quote(ctx, p)
		if err != nil {
			c.renderNewOrder(w, r, http.StatusOK, f, nil, err, rows)
			return
		}
		c.renderNewOrder(w, r, http.StatusOK, f, &quote, nil, rows)
		return
	}
	placed, err := c.svc.Place(r.Context(), p)
	if err != nil {
		// The form's id named this attempt; a corrected form is another order. Only when
		// hostflow did not answer in time may the same order be on its way: the same id then
		// finds it rather than place it twice.
		status := http.StatusInternalServerError
		var se *fault.Error
		switch {
		case errors.As(err, &se):
			status = web.Status(se.Kind)
		case web.Unavailable(err):
			status = http.StatusServiceUnavailable
		}
		if status == http.StatusServiceUnavailable {
			web.SetRetryAfter(w)
		} else {
			f.RequestID = page.RequestID()
		}
		c.renderNewOrder(w, r, status, f, nil, err, rows)
		return
	}
	msg := fmt.Sprintf("Order #%d placed; it is %s.", placed.OrderNumber, placed.Status)
	if f.ApplyCredit {
		msg += " " + c.applyCredit(r, placed.InvoiceID)
	}
	c.pages.SetFlash(w, r, page.FlashOK, msg)
	c.redirect(w, r, c.orderPath(placed.OrderID))
}

// applyCredit applies the client's credit to a new order's invoice, as far as it goes, and says
// what it did. The order is placed whatever happens here: a refusal (no credit in the
// invoice's currency) is told, and the invoice is paid as usual.
func (c *Console) applyCredit(r *http.Request, invoiceID int64) string {
	if invoiceID == 0 {
		return "No credit applied: the order has no invoice."
	}
	res, err := c.svc.ApplyCredit(r.Context(), invoiceID, "", session.Actor(r))
	if err != nil {
		if msg := page.Refusal(err); msg != "" {
			return "No credit applied: " + msg + "."
		}
		return "No credit applied: it " + c.logFailure(r, "console: apply credit", err) + "."
	}
	return fmt.Sprintf("Credit of %s %s applied; the invoice is %s.", money.Format(res.Amount, res.Currency), res.Currency, res.Status)
}

// refusalText is a refusal's reason, or for an unexpected error the request id to find it by.
func (c *Console) refusalText(r *http.Request, err error) string {
	if msg := page.Refusal(err); msg != "" {
		return msg
	}
	return c.logFailure(r, "console: add new order failed", err)
}

// formRows say which form row each product and domain of the service's order came from: the
// rows left empty are not part of it, so items[1] may be the form's third product.
type formRows struct{ items, domains []int }

// placeOrder turns the form into the service's order; the rows left empty are not part of it.
func (c *Console) placeOrder(r *http.Request, f newOrderForm) (ordering.PlaceOrder, formRows, error) {
	var rows formRows
	p := ordering.PlaceOrder{PaymentMethod: f.PaymentMethod, PromoCode: f.PromoCode, Notes: f.Notes, NoEmail: !f.SendEmail,
		NoInvoiceEmail: !f.SendInvoice, Actor: session.Actor(r), IdempotencyKey: f.RequestID}
	cl, err := c.pickClient(r, f.Client)
	if err != nil {
		return p, rows, err
	}
	p.ClientID = cl.ID
	for i, it := range f.Items {
		if it.Product == "" {
			continue
		}
		item, err := placeItem(i, it)
		if err != nil {
			return p, rows, err
		}
		p.Items, rows.items = append(p.Items, item), append(rows.items, i)
	}
	for i, d := range f.Domains {
		if d.Name == "" {
			continue
		}
		period, err := strconv.Atoi(d.Period)
		if err != nil {
			return p, rows, &fault.Error{Kind: fault.Invalid, Field: fmt.Sprintf("dom-%d-period", i), Message: "choose a period"}
		}
		p.Domains = append(p.Domains, ordering.PlaceDomain{Domain: d.Name, Type: order.DomainType(d.Type), Period: period,
			EPPCode: d.EPP, Nameservers: nameserverList(d.Nameservers)})
		rows.domains = append(rows.domains, i)
	}
	return p, rows, nil
}

// placeItem is form row i's product as the service takes it: Register and Transfer ask the
// service to register or transfer the domain with it; Use Existing only names the hosting's.
func placeItem(i int, it itemRow) (ordering.PlaceItem, error) {
	id, err := strconv.ParseInt(it.Product, 10, 64)
	if err != nil {
		return ordering.PlaceItem{}, &fault.Error{Kind: fault.Invalid, Field: fmt.Sprintf("item-%d-product", i), Message: "choose a product"}
	}
	item := ordering.PlaceItem{ProductID: id, BillingCycle: order.BillingCycle(it.Cycle), Domain: it.Domain}
	if it.DomainAction == domainExisting || it.DomainAction == "" {
		return item, nil
	}
	if item.DomainPeriod, err = strconv.Atoi(it.Period); err != nil {
		return ordering.PlaceItem{}, &fault.Error{Kind: fault.Invalid, Field: fmt.Sprintf("item-%d-period", i), Message: "choose a period"}
	}
	item.DomainType, item.Nameservers = order.DomainType(it.DomainAction), nameserverList(it.Nameservers)
	if item.DomainType == order.DomainTransfer {
		item.EPPCode = it.EPP // typed for a transfer only: a registration sends none
	}
	return item, nil
}

// nameserverList splits the nameservers typed in one box, by commas or spaces.
func nameserverList(typed string) []string {
	return strings.FieldsFunc(typed, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// pickedClient reads a client id at the start of the client box: "#12 Ada Lovelace" or "12".
var pickedClient = regexp.MustCompile(`^#?(\d+)(\s|$)`)

// pickClient finds the client the client box names: by id, or the one client whose name,
// company or email starts with what was typed.
func (c *Console) pickClient(r *http.Request, typed string) (clients.Client, error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return clients.Client{}, &fault.Error{Kind: fault.Invalid, Field: "client", Message: "choose the client the order is for"}
	}
	if m := pickedClient.FindStringSubmatch(typed); m != nil {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		return c.svc.Client(r.Context(), id, "")
	}
	found, err := c.searchClients(r, typed, 2)
	switch {
	case err != nil:
		return clients.Client{}, err
	case len(found) == 0:
		return clients.Client{}, &fault.Error{Kind: fault.Invalid, Field: "client", Message: fmt.Sprintf("no client's name, company or email starts with %q", typed)}
	case len(found) > 1:
		return clients.Client{}, &fault.Error{Kind: fault.Invalid, Field: "client", Message: fmt.Sprintf("several clients match %q: pick one from the list", typed)}
	}
	return found[0], nil
}

func (c *Console) searchClients(r *http.Request, typed string, limit int32) ([]clients.Client, error) {
	found, err := c.svc.FindClients(r.Context(), typed, "", 0, limit)
	return found, err
}

// clientOptions serves GET /admin/clients/options?q=: the client picker's choices for what
// was typed, as JSON, for console.js to offer while the admin types.
func (c *Console) clientOptions(w http.ResponseWriter, r *http.Request) {
	out := []string{}
	if q := strings.TrimSpace(r.URL.Query().Get("q")); q != "" && !pickedClient.MatchString(q) {
		found, err := c.searchClients(r, q, clientMatches)
		if err != nil {
			c.logFailure(r, "console: client options failed", err)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"error":"the clients could not be searched"}` + "\n"))
			return
		}
		for _, cl := range found {
			out = append(out, page.ClientOption(cl))
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(out)
}

func readNewOrderForm(v url.Values) newOrderForm {
	f := newOrderForm{Client: v.Get("client"), PaymentMethod: v.Get("payment_method"), PromoCode: strings.TrimSpace(v.Get("promo_code")),
		Notes: strings.ReplaceAll(v.Get("notes"), "\r\n", "\n"), SendEmail: v.Get("send_email") != "",
		SendInvoice: v.Get("send_invoice") != "", ApplyCredit: v.Get("apply_credit") != "", RequestID: v.Get("request_id")}
	if len(f.RequestID) > 64 || f.RequestID == "" {
		f.RequestID = page.RequestID()
	}
	at := func(name string, i int) string {
		if vals := v[name]; i < len(vals) {
			return strings.TrimSpace(vals[i])
		}
		return ""
	}
	for i := range min(len(v["item-product"]), maxFormRows) {
		f.Items = append(f.Items, itemRow{Product: at("item-product", i), Cycle: at("item-cycle", i), Domain: at("item-domain", i),
			DomainAction: at("item-domain-type", i), Period: at("item-period", i), EPP: at("item-epp", i), Nameservers: at("item-ns", i)})
	}
	for i := range min(len(v["dom-name"]), maxFormRows) {
		f.Domains = append(f.Domains, domainRow{Name: at("dom-name", i), Type: at("dom-type", i), Period: at("dom-period", i),
			EPP: at("dom-epp", i), Nameservers: at("dom-ns", i)})
	}
	return f
}

// domainPeriods are the registration periods offered, in years.
var domainPeriods = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}

// renderNewOrder shows the form as typed, with the quote or what refused it.
func (c *Console) renderNewOrder(w http.ResponseWriter, r *http.Request, status int, f newOrderForm, quote *order.NewOrder,
	refusal error, rows formRows) {
	ctx, cancel := pageContext(r)
	defer cancel()
	v := newOrderView{Form: f, Periods: domainPeriods, Quote: quote}
	if refusal != nil {
		c.showRefusal(r, &v, refusal, rows)
	}
	var err error
	if v.Products, err = c.svc.ListProducts(ctx); err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	if v.Methods, err = c.svc.PaymentMethods(ctx); err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	if typed := strings.TrimSpace(f.Client); typed != "" && !pickedClient.MatchString(typed) {
		if v.Matches, err = c.searchClients(r, typed, clientMatches); err != nil {
			c.pages.ServerError(w, r, err)
			return
		}
	}
	c.pages.Render(w, r, status, "neworder", &page.View{Title: "Add New Order", Nav: "neworder", Data: v})
}

// showRefusal puts a refusal beside the input it concerns when the form has one, else above
// the form; the Order Summary says it either way, naming the row.
func (c *Console) showRefusal(r *http.Request, v *newOrderView, err error, rows formRows) {
	var fe *fault.Error
	if errors.As(err, &fe) && fe.Kind != fault.Unavailable {
		if id, label := rows.input(fe.Field); id != "" {
			v.Fields = fieldErrors{id: fe.Message}
			v.Problem = label + ": " + fe.Message
			return
		}
	}
	v.Error = c.refusalText(r, err)
	v.Problem = v.Error
}

// orderField reads a field of the service's order: items[2].epp_code.
var orderField = regexp.MustCompile(`^(items|domains)\[(\d+)\]\.(\w+)$`)

// formInput reads an input's id of this form: item-2-epp, dom-0-name.
var formInput = regexp.MustCompile(`^(item|dom)-(\d+)-`)

// The inputs of a product or domain row, by the service's name of the field.
var (
	itemInputs = map[string]string{"product_id": "product", "billing_cycle": "cycle", "domain": "domain",
		"domain_type": "domain-type", "domain_period": "period", "epp_code": "epp", "nameservers": "ns"}
	domainInputs = map[string]string{"domain": "name", "type": "type", "period": "period", "epp_code": "epp", "nameservers": "ns"}
	// formFields are the form's own inputs, by the service's name of the field.
	formFields = map[string][2]string{"client_id": {"client", "Client"}, "client": {"client", "Client"},
		"payment_method": {"payment_method", "Payment method"}, "promo_code": {"promo_code", "Promotion code"}}
)

// input is the id and the row's name of the input a refusal's field concerns, or "" when the
// form has no such input (the refusal is the whole form's).
func (rows formRows) input(field string) (id, label string) {
	if f, ok := formFields[field]; ok {
		return f[0], f[1]
	}
	if m := orderField.FindStringSubmatch(field); m != nil {
		n, _ := strconv.Atoi(m[2])
		switch {
		case m[1] == "items" && n < len(rows.items) && itemInputs[m[3]] != "":
			field = fmt.Sprintf("item-%d-%s", rows.items[n], itemInputs[m[3]])
		case m[1] == "domains" && n < len(rows.domains) && domainInputs[m[3]] != "":
			field = fmt.Sprintf("dom-%d-%s", rows.domains[n], domainInputs[m[3]])
		default:
			return "", ""
		}
	}
	m := formInput.FindStringSubmatch(field)
	if m == nil {
		return "", ""
	}
	n, _ := strconv.Atoi(m[2])
	if m[1] == "item" {
		return field, fmt.Sprintf("Product %d", n+1)
	}
	return field, fmt.Sprintf("Domain %d", n+1)
}
