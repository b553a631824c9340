package console

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/console/session"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/web"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// tabs are the order list's tabs, WHMCS's: All, then each status.
var tabs = append([]order.Status{""}, order.Statuses...)

type statusCount struct {
	Status order.Status
	Count  int64
}

type dashboardView struct {
	Statuses []statusCount
	Total    int64
	Waiting  []ordering.WaitingCount
}

// dashboard serves /admin/: orders per status and the stuck-order board.
func (c *Console) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := pageContext(r)
	defer cancel()
	sum, err := c.svc.OrderSummary(ctx)
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	v := dashboardView{Waiting: sum.Waiting}
	for _, s := range order.Statuses {
		v.Statuses = append(v.Statuses, statusCount{s, sum.Statuses[s]})
		v.Total += sum.Statuses[s]
	}
	c.pages.Render(w, r, http.StatusOK, "dashboard", &page.View{Title: "Dashboard", Nav: "dashboard", Live: liveURL(0), Data: v})
}

type listView struct {
	Tabs    []statusCount
	Query   url.Values // the filters as given, for the form and the tabs' links
	Filter  ordering.OrderFilter
	Orders  []ordering.OrderRow
	Next    string // the next page's query, "" on the last page
	Error   string
	Options listOptions
	Bulk    []bulkButton
	// Filters says in words what the list is narrowed to; empty for every order.
	Filters []string
}

// activeFilters says in words which filters a list's query sets, in the form's order.
func activeFilters(q url.Values) []string {
	var out []string
	for _, f := range []struct{ key, words string }{
		{"q", "matching “%s”"}, {"status", "status %s"}, {"payment_status", "payment status %s"},
		{"waiting_for", "waiting for %s"}, {"client_id", "client %s"}, {"payment_method", "paid by %s"},
		{"from", "placed from %s"}, {"to", "placed before %s"},
	} {
		v := strings.TrimSpace(q.Get(f.key))
		switch {
		case v == "":
			continue
		case f.key == "waiting_for":
			v = strings.ToLower(order.WaitingFor(v).Label())
		case f.key == "payment_method":
			v = billing.MethodName(v)
		}
		out = append(out, fmt.Sprintf(f.words, v))
	}
	return out
}

// bulkButton is one of the list's bulk buttons: the action, whether it asks first, and the
// statuses it runs on, in words.
type bulkButton struct {
	Spec    order.Spec
	Confirm bool
	From    string
}

// bulkButtons are the list's bulk buttons, from the table of actions.
var bulkButtons = func() []bulkButton {
	var out []bulkButton
	for _, a := range bulkActions {
		spec, _ := order.Lookup(a)
		from := make([]string, len(spec.From))
		for i, s := range spec.From {
			from[i] = string(s)
		}
		out = append(out, bulkButton{Spec: spec, Confirm: slices.Contains(confirmed, a), From: strings.Join(from, " and ")})
	}
	return out
}()

type listOptions struct {
	Statuses        []order.Status
	PaymentStatuses []order.InvoiceStatus
	Waitings        []order.WaitingFor
}

var options = listOptions{Statuses: order.Statuses, PaymentStatuses: order.InvoiceStatuses, Waitings: order.Waitings}

// orderList serves /admin/orders: WHMCS's List Orders, with ?status=Pending its List Pending
// Orders.
func (c *Console) orderList(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := pageContext(r)
	defer cancel()
	q := r.URL.Query()
	v := listView{Query: q, Options: options, Bulk: bulkButtons, Filters: activeFilters(q)}
	counts, err := c.svc.OrderStatusCounts(ctx)
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	var all int64
	for _, s := range order.Statuses {
		all += counts[s]
	}
	for _, s := range tabs {
		n := counts[s]
		if s == "" {
			n = all
		}
		v.Tabs = append(v.Tabs, statusCount{s, n})
	}
	status := http.StatusOK
	f, err := web.ParseOrderFilter(q)
	if err == nil {
		v.Filter = f
		v.Orders, err = c.svc.ListOrders(ctx, f)
	}
	if err != nil {
		if v.Error = page.Refusal(err); v.Error == "" {
			c.pages.ServerError(w, r, err)
			return
		}
		status = http.StatusBadRequest
	}
	if len(v.Orders) > 0 && len(v.Orders) == int(f.Limit) {
		next := url.Values{}
		for k, vals := range q {
			if k != "cursor" && len(vals) > 0 && vals[0] != "" {
				next.Set(k, vals[0])
			}
		}
		next.Set("cursor", strconv.FormatInt(v.Orders[len(v.Orders)-1].ID, 10))
		v.Next = "?" + next.Encode()
	}
	title := "List Orders"
	if f.Status != "" {
		title = "List " + string(f.Status) + " Orders"
	}
	c.pages.Render(w, r, status, "orders", &page.View{Title: title, Nav: "orders", Live: liveURL(0), Data: v})
}

// button is one of the order page's actions.
type button struct {
	Spec order.Spec
	// Confirm sends the admin to a confirmation page first; Options to Accept's options.
	Confirm bool
	Options bool
}

type orderView struct {
	ordering.OrderDetail
	Buttons    []button
	Servers    map[int64]catalog.Server
	TemporalUI string
	// Unpaid says when a Pending, unpaid order cancels itself: Asked is false for an order that
	// does not wait for payment, Known false when its workflow did not answer.
	Unpaid unpaidCancel
	// Admins names the admins by email, for the audit trail; Methods are the payment methods
	// Add Payment offers.
	Admins  map[string]string
	Methods []string
	// Emails are the emails sent for the order (emails.go); the order page alone reads them.
	Emails emailLogView
}

// ActorName is who did an audit line, in words (page.ActorName).
func (v orderView) ActorName(a order.Actor) string {
	return page.ActorName(a, v.Admins, strings.TrimSpace(v.Order.FirstName+" "+v.Order.LastName))
}

type unpaidCancel struct {
	Asked, Known bool
	At           *time.Time
}

// confirmed are the actions that ask first: they end accounts or remove the order.
var confirmed = []order.Action{order.ActionCancel, order.ActionCancelRefund, order.ActionFraud, order.ActionDelete}

// buttons are the order actions the order's state allows, in the table's order.
func buttons(d ordering.OrderDetail) []button {
	var out []button
	failed := d.FailedSteps()
	for _, spec := range order.Actions {
		if spec.On != order.OnOrder || spec.Check(d.Order.Status, failed) != nil {
			continue
		}
		if spec.Action == order.ActionAccept && failed > 0 {
			// Accept ran, and a step of it failed: Retry Failed Step completes the accept, Skip
			// goes on without the step. A second Accept beside them would only confuse.
			continue
		}
		out = append(out, button{Spec: spec, Confirm: slices.Contains(confirmed, spec.Action), Options: spec.Action == order.ActionAccept})
	}
	return out
}

// orderID reads the order id in the path, or answers 404.
func (c *Console) orderID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := c.pathID(w, r, "order")
	if !ok {
		return 0, false
	}
	return id, true
}

// loadOrder reads the order named in the path, or answers 404.
func (c *Console) loadOrder(w http.ResponseWriter, r *http.Request) (ordering.OrderDetail, bool) {
	id, ok := c.orderID(w, r)
	if !ok {
		return ordering.OrderDetail{}, false
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	d, err := c.svc.GetOrder(ctx, id)
	if err != nil {
		c.notFoundOr(w, r, err)
		return d, false
	}
	return d, true
}

func (c *Console) orderView(r *http.Request, d ordering.OrderDetail) (orderView, error) {
	v := orderView{OrderDetail: d, Buttons: buttons(d),
		TemporalUI: fmt.Sprintf("%s/namespaces/%s/workflows/%s", c.opts.TemporalUIURL, url.PathEscape(c.opts.Namespace),
			url.PathEscape(d.Order.WorkflowID))}
	var err error
	if v.Servers, err = c.svc.ServersByID(r.Context()); err != nil {
		return v, err
	}
	if v.Admins, err = c.svc.AdminNames(r.Context()); err != nil {
		return v, err
	}
	v.Methods, err = c.svc.PaymentMethods(r.Context())
	if pm := d.Order.PaymentMethod; err == nil && pm != "" && !slices.Contains(v.Methods, pm) {
		// A method disabled since the order was placed: its payments are still recorded.
		v.Methods = append(v.Methods, pm)
	}
	return v, err
}

// orderPage serves /admin/orders/{id}: WHMCS's order page.
func (c *Console) orderPage(w http.ResponseWriter, r *http.Request) {
	d, ok := c.loadOrder(w, r)
	if !ok {
		return
	}
	v, err := c.orderView(r, d)
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	if v.Emails, err = c.orderEmails(r.Context(), d.Order.ID); err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	if d.Order.Status == order.Pending && d.Order.PaymentStatus == order.InvoiceUnpaid {
		v.Unpaid.Asked = true
		v.Unpaid.At, v.Unpaid.Known, err = c.svc.UnpaidCancelAt(r.Context(), d.Order)
		if err != nil {
			c.logFailure(r, "console: the unpaid-cancel time could not be read", err)
		}
	}
	c.pages.Render(w, r, http.StatusOK, "order", &page.View{Title: fmt.Sprintf("Order #%d", d.Order.Number), Nav: "orders",
		Live: liveURL(d.Order.ID), Data: v})
}

type acceptView struct {
	orderView
	Spec       order.Spec
	Registrars []string
}

// actionOrder reads the order in the path for an action's page. When its state forbids the
// action, the admin goes back to the order page with the reason; ok is false then.
func (c *Console) actionOrder(w http.ResponseWriter, r *http.Request, spec order.Spec) (v orderView, ok bool) {
	d, ok := c.loadOrder(w, r)
	if !ok {
		return v, false
	}
	if err := spec.Check(d.Order.Status, d.FailedSteps()); err != nil {
		c.pages.SetFlash(w, r, page.FlashError, page.Refusal(err))
		c.redirect(w, r, c.orderPath(d.Order.ID))
		return v, false
	}
	v, err := c.orderView(r, d)
	if err != nil {
		c.pages.ServerError(w, r, err)
		return v, false
	}
	return v, true
}

// acceptPage serves /admin/orders/{id}/accept: Accept Order's options, per item.
func (c *Console) acceptPage(w http.ResponseWriter, r *http.Request) {
	spec, _ := order.Lookup(order.ActionAccept)
	ov, ok := c.actionOrder(w, r, spec)
	if !ok {
		return
	}
	v := acceptView{orderView: ov, Spec: spec}
	for name := range c.svc.Registrars {
		v.Registrars = append(v.Registrars, name)
	}
	slices.Sort(v.Registrars)
	c.pages.Render(w, r, http.StatusOK, "accept", &page.View{Title: fmt.Sprintf("Accept Order #%d", ov.Order.Number), Nav: "orders", Data: v})
}

type confirmView struct {
	orderView
	Spec order.Spec
	// Accounts are the hosting accounts the action terminates.
	Accounts []ordering.ServiceItem
}

// orderAction finds the order action a path names; Accept's options and the confirmation
// pages use the action's own name ("cancel", "set-pending").
func orderAction(name string) (order.Spec, bool) {
	spec, ok := order.Lookup(order.Action(name))
	return spec, ok && spec.On == order.OnOrder
}

// confirmPage serves /admin/orders/{id}/{action} for the actions that ask first.
func (c *Console) confirmPage(w http.ResponseWriter, r *http.Request) {
	spec, ok := orderAction(chi.URLParam(r, "action"))
	if !ok || !slices.Contains(confirmed, spec.Action) {
		c.pages.Error(w, r, http.StatusNotFound, "No such page: "+r.URL.Path)
		return
	}
	ov, ok := c.actionOrder(w, r, spec)
	if !ok {
		return
	}
	v := confirmView{orderView: ov, Spec: spec}
	for _, s := range ov.Services {
		if provisioning.LiveAccount(s.Status, s.Module) {
			v.Accounts = append(v.Accounts, s)
		}
	}
	c.pages.Render(w, r, http.StatusOK, "confirm", &page.View{Title: fmt.Sprintf("%s #%d", spec.Label, ov.Order.Number), Nav: "orders", Data: v})
}

func (c *Console) orderPath(id int64) string { return c.path("/orders/", strconv.FormatInt(id, 10)) }

// act serves the order page's buttons: POST /admin/orders/{id}/{action}. The result, or WHMCS's
// reason for refusing, comes back on the order page as a message.
func (c *Console) act(w http.ResponseWriter, r *http.Request) {
	spec, ok := orderAction(chi.URLParam(r, "action"))
	if !ok {
		c.pages.Error(w, r, http.StatusNotFound, "No such action: "+chi.URLParam(r, "action"))
		return
	}
	id, ok := c.orderID(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		c.pages.SetFlash(w, r, page.FlashError, "The form could not be read.")
		c.redirect(w, r, c.orderPath(id))
		return
	}
	if slices.Contains(confirmed, spec.Action) && r.PostForm.Get("confirm") != "yes" {
		c.redirect(w, r, c.orderPath(id)+"/"+string(spec.Action))
		return
	}
	req := order.ActionRequest{Actor: session.Actor(r)}
	if spec.Action == order.ActionAccept {
		accept, err := acceptForm(r.PostForm)
		if err == nil {
			req, err = c.svc.AcceptRequest(r.Context(), id, session.Actor(r), accept)
		}
		if err != nil {
			c.flashFailure(w, r, err)
			c.redirect(w, r, c.orderPath(id)+"/accept")
			return
		}
	}
	requestID := formRequestID(r)
	var number int64 // the deleted order's number, for the message: its rows are gone after
	if spec.Action == order.ActionDelete {
		if rows, err := c.svc.OrderRows(r.Context(), []int64{id}); err == nil && len(rows) == 1 {
			number = rows[0].Number
		}
	}
	res, err := c.svc.Act(r.Context(), id, spec.Action, req, requestID)
	if err != nil {
		c.flashFailure(w, r, err)
		c.redirect(w, r, c.orderPath(id))
		return
	}
	if spec.Action == order.ActionDelete {
		c.pages.SetFlash(w, r, page.FlashOK, fmt.Sprintf("Order #%d deleted.", cmp.Or(number, id)))
		c.redirect(w, r, c.path("/orders"))
		return
	}
	kind, text := page.FlashOK, resultText(spec, res)
	if len(res.Failures) > 0 {
		kind = page.FlashError
	}
	if spec.Action == order.ActionCancelRefund {
		refunds, failed := refundsText(res.Refunds)
		if text = strings.TrimSuffix(text, ".") + "; " + refunds + "."; failed {
			kind = page.FlashError
		}
	}
	c.pages.SetFlash(w, r, kind, text)
	c.redirect(w, r, c.orderPath(id))
}

// flashFailure shows a refusal's reason, or for an unexpected error the request id to find it
// by in the log: on the page, never as an error page.
func (c *Console) flashFailure(w http.ResponseWriter, r *http.Request, err error) {
	msg := page.Refusal(err)
	if msg == "" {
		msg = "The action " + c.logFailure(r, "console action failed", err)
	}
	c.pages.SetFlash(w, r, page.FlashError, msg)
}

// resultText says what an action did. A step that failed is named with the item and the
// module's own words, and what to do next: the admin reads it in a red message.
func resultText(spec order.Spec, res ordermsg.Result) string {
	var failed []string
	for _, f := range res.Failures {
		failed = append(failed, fmt.Sprintf("the %s step failed for %s %s: %s", page.EventName(string(f.FailedOp)), f.Kind, f.Name,
			f.Error))
	}
	if len(failed) > 0 {
		return fmt.Sprintf("%s: %s. Put it right, then Retry Failed Step, or Skip Failed Step to go on without it.",
			spec.Label, strings.Join(failed, "; "))
	}
	text := spec.Label + ": done; the order is " + string(res.Status)
	if spec.Action == order.ActionAccept {
		text = "Order accepted; it is " + string(res.Status)
		if res.Status != order.Active && res.WaitingFor != "" {
			text = "Order accepted, waiting for " + strings.ToLower(res.WaitingFor.Label())
		}
	}
	if res.WaitingFor != "" && spec.Action != order.ActionAccept {
		text += ", waiting for " + strings.ToLower(res.WaitingFor.Label())
	}
	return text + "."
}

// acceptForm reads Accept Order's options: for each service svc-<id>-server, -username,
// -password, -create, -welcome; for each domain dom-<id>-registrar, -send. The ids listed in
// services and domains say which items the form offered, so that an unticked box means "no".
func acceptForm(f url.Values) (ordering.Accept, error) {
	var a ordering.Accept
	no, yes := false, true
	tick := func(name string) *bool {
		if f.Get(name) != "" {
			return &yes
		}
		return &no
	}
	for _, s := range f["services"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return a, &fault.Error{Kind: fault.Invalid, Field: "services", Message: "not a service id: " + s}
		}
		p := "svc-" + s + "-"
		var server int64
		if v := f.Get(p + "server"); v != "" {
			if server, err = strconv.ParseInt(v, 10, 64); err != nil || server < 0 {
				return a, &fault.Error{Kind: fault.Invalid, Field: "server", Message: "not a server: " + v}
			}
		}
		a.Services = append(a.Services, ordering.AcceptService{ID: id, ServerID: server, Username: strings.TrimSpace(f.Get(p + "username")),
			Password: f.Get(p + "password"), RunModuleCreate: tick(p + "create"), SendWelcomeEmail: tick(p + "welcome")})
	}
	for _, s := range f["domains"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return a, &fault.Error{Kind: fault.Invalid, Field: "domains", Message: "not a domain id: " + s}
		}
		p := "dom-" + s + "-"
		a.Domains = append(a.Domains, ordering.AcceptDomain{ID: id, Registrar: f.Get(p + "registrar"), SendToRegistrar: tick(p + "send")})
	}
	return a, nil
}

// saveNotes serves the order page's admin notes form.
func (c *Console) saveNotes(w http.ResponseWriter, r *http.Request) {
	id, ok := c.orderID(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		c.pages.SetFlash(w, r, page.FlashError, "The form could not be read.")
	} else if err := c.svc.SetOrderNotes(r.Context(), id, session.Actor(r), strings.ReplaceAll(r.PostForm.Get("notes"), "\r\n", "\n")); err != nil {
		c.flashFailure(w, r, err)
	} else {
		c.pages.SetFlash(w, r, page.FlashOK, "Admin notes saved.")
	}
	c.redirect(w, r, c.orderPath(id))
}

// bulkActions are the list's bulk buttons.
var bulkActions = []order.Action{order.ActionAccept, order.ActionCancel, order.ActionDelete}

// bulkParallel bounds how many orders one bulk action runs at once.
const bulkParallel = 4

type bulkRow struct {
	ID     int64
	Number int64
	OK     bool
	Text   string
}

type bulkView struct {
	Spec order.Spec
	// Asking is the confirmation step: Confirm lists the orders the admin is asked to confirm
	// the action for. Rows are the results, Skipped the ticked orders whose status does not
	// allow the action, with the reason, which were not run.
	Asking  bool
	Confirm []ordering.OrderRow
	Rows    []bulkRow
	Skipped []bulkRow
	Query   string
}

// bulk serves the list's bulk buttons: POST /admin/orders/bulk with action and the ticked ids.
// Cancel and Delete ask first; each order runs through the same service call as its own
// button, and the answer lists the result per order.
func (c *Console) bulk(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		c.pages.Error(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	back := c.path("/orders")
	if q := r.PostForm.Get("back"); strings.HasPrefix(q, "?") {
		back += q
	}
	spec, ok := order.Lookup(order.Action(r.PostForm.Get("action")))
	if !ok || !slices.Contains(bulkActions, spec.Action) {
		c.pages.SetFlash(w, r, page.FlashError, "Choose Accept Order, Cancel Order or Delete Order.")
		c.redirect(w, r, back)
		return
	}
	var ids []int64
	for _, s := range r.PostForm["ids"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err == nil && id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		c.pages.SetFlash(w, r, page.FlashError, "Tick the orders to "+strings.ToLower(spec.Label)+" first.")
		c.redirect(w, r, back)
		return
	}
	if len(ids) > web.MaxPageSize {
		ids = ids[:web.MaxPageSize]
	}
	v := bulkView{Spec: spec, Query: strings.TrimPrefix(back, c.path("/orders"))}
	known, err := c.svc.OrderRows(r.Context(), ids)
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	// Only the orders whose status allows the action are offered and run; the others are
	// listed as skipped with the reason, before anything is asked or done.
	var allowed []ordering.OrderRow
	for _, id := range ids {
		i := slices.IndexFunc(known, func(o ordering.OrderRow) bool { return o.ID == id })
		if i < 0 {
			v.Skipped = append(v.Skipped, bulkRow{ID: id, Text: order.ReasonNotFound})
		} else if err := spec.Check(known[i].Status, 0); err != nil {
			v.Skipped = append(v.Skipped, bulkRow{ID: id, Number: known[i].Number, Text: page.Refusal(err)})
		} else {
			allowed = append(allowed, known[i])
		}
	}
	if slices.Contains(confirmed, spec.Action) && r.PostForm.Get("confirm") != "yes" {
		v.Confirm, v.Asking = allowed, true
		c.pages.Render(w, r, http.StatusOK, "bulk", &page.View{Title: spec.Label, Nav: "orders", Data: v})
		return
	}
	v.Rows = make([]bulkRow, len(allowed))
	var wg sync.WaitGroup
	sem := make(chan struct{}, bulkParallel)
	for i, o := range allowed {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			v.Rows[i] = c.bulkOne(r, spec, o.ID, o.Number)
		}()
	}
	wg.Wait()
	c.pages.Render(w, r, http.StatusOK, "bulk", &page.View{Title: spec.Label, Nav: "orders", Data: v})
}

// bulkOne runs a bulk action on one order; number is its order number, 0 for an id that names
// no order (the action then says so).
func (c *Console) bulkOne(r *http.Request, spec order.Spec, id, number int64) bulkRow {
	row := bulkRow{ID: id, Number: number}
	res, err := c.svc.Act(r.Context(), id, spec.Action, order.ActionRequest{Actor: session.Actor(r)}, "")
	if err == nil {
		row.OK = true
		switch {
		case spec.Action == order.ActionDelete:
			row.Text = "deleted"
		case spec.Action == order.ActionAccept && res.Status != order.Active:
			row.Text = "accepted, waiting for " + strings.ToLower(res.WaitingFor.Label())
		case spec.Action == order.ActionAccept:
			row.Text = "accepted"
		default:
			row.Text = strings.ToLower(string(res.Status))
		}
		return row
	}
	if row.Text = page.Refusal(err); row.Text == "" {
		row.Text = c.logFailure(r, fmt.Sprintf("console bulk action failed on order %d", id), err)
	}
	return row
}
