package console

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/console/session"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/items"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
)

// The item pages: one service or domain of an order with WHMCS's Module Commands (Create,
// Suspend, Unsuspend, Terminate, Change Package, Change Password) or Registrar Commands
// (Register, Transfer, Renew, Modify Nameservers). Each command is a row of order.Actions run
// through the order's workflow, as REST and the WHMCS API run it.

// itemKinds are the path segments of the item pages, by what they act on.
var itemKinds = map[string]order.ItemKind{"services": order.OnService, "domains": order.OnDomain}

// itemConfirmed are the commands that ask first: they end an account, or spend money at the
// registrar.
var itemConfirmed = []order.Action{order.ActionModuleTerminate, order.ActionDomainRegister, order.ActionDomainTransfer,
	order.ActionDomainRenew}

// nameserverFields is how many nameserver fields Modify Nameservers offers, WHMCS's five.
const nameserverFields = 5

// itemRoutes adds the item pages to the signed-in console.
func (c *Console) itemRoutes(r chi.Router) {
	r.Get("/orders/{id}/{kind}/{item}", c.itemPage)
	r.Post("/orders/{id}/{kind}/{item}/{action}", c.itemAct)
}

type itemView struct {
	orderView
	Kind    order.ItemKind
	Service *ordering.ServiceItem
	Domain  *ordering.DomainItem
	// Commands are the item's commands, in the table's order; Spec is the one a confirmation
	// page asks about, with its options.
	Commands []command
	Spec     order.Spec
	Options  items.ItemOptions
	// Nameservers are Modify Nameservers' fields, filled with the domain's own; Years are
	// Renew's choices.
	Nameservers []nameserverField
	Years       []int
}

// nameserverField is one of Modify Nameservers' fields: ns<N>.
type nameserverField struct {
	N     int
	Value string
}

// command is one button of an item page.
type command struct {
	order.Spec
	Confirm bool
}

// Name is the item in words: "service example.com (Starter)", "domain example.com".
func (v itemView) Name() string {
	if v.Service != nil {
		return itemName(order.OnService, v.Service.Domain, v.Service.Product)
	}
	return itemName(order.OnDomain, v.Domain.Domain, "")
}

func itemName(kind order.ItemKind, domain, product string) string {
	switch {
	case product != "" && domain != "":
		return fmt.Sprintf("%s %s (%s)", kind, domain, product)
	case product != "":
		return fmt.Sprintf("%s %s", kind, product)
	}
	return fmt.Sprintf("%s %s", kind, domain)
}

// Path is the item page's path.
func (v itemView) Path() string {
	kind, id := "services", int64(0)
	if v.Service != nil {
		id = v.Service.ID
	} else {
		kind, id = "domains", v.Domain.ID
	}
	return fmt.Sprintf("%s/orders/%d/%s/%d", Base, v.Order.ID, kind, id)
}

// loadItem reads the order and the item the path names, or answers 404: an item of another
// order is not found here.
func (c *Console) loadItem(w http.ResponseWriter, r *http.Request) (itemView, bool) {
	kind, ok := itemKinds[chi.URLParam(r, "kind")]
	itemID, err := strconv.ParseInt(chi.URLParam(r, "item"), 10, 64)
	if !ok || err != nil {
		c.pages.Error(w, r, http.StatusNotFound, "No such page: "+r.URL.Path)
		return itemView{}, false
	}
	d, ok := c.loadOrder(w, r)
	if !ok {
		return itemView{}, false
	}
	v := itemView{Kind: kind}
	switch kind {
	case order.OnService:
		if i := slices.IndexFunc(d.Services, func(s ordering.ServiceItem) bool { return s.ID == itemID }); i >= 0 {
			v.Service = &d.Services[i]
		}
	case order.OnDomain:
		if i := slices.IndexFunc(d.Domains, func(s ordering.DomainItem) bool { return s.ID == itemID }); i >= 0 {
			v.Domain = &d.Domains[i]
			for n := 1; n <= nameserverFields; n++ {
				f := nameserverField{N: n}
				if n <= len(v.Domain.Nameservers) {
					f.Value = v.Domain.Nameservers[n-1]
				}
				v.Nameservers = append(v.Nameservers, f)
			}
			for y := 1; y <= items.MaxRenewYears; y++ {
				v.Years = append(v.Years, y)
			}
		}
	}
	if v.Service == nil && v.Domain == nil {
		c.pages.Error(w, r, http.StatusNotFound, fmt.Sprintf("Order #%d has no %s %d", d.Order.Number, kind, itemID))
		return itemView{}, false
	}
	if v.orderView, err = c.orderView(r, d); err != nil {
		c.pages.ServerError(w, r, err)
		return itemView{}, false
	}
	for _, spec := range order.Actions {
		if spec.On == kind && spec.REST != "" {
			v.Commands = append(v.Commands, command{Spec: spec, Confirm: slices.Contains(itemConfirmed, spec.Action)})
		}
	}
	return v, true
}

// itemCommand finds the command the path names among the item's.
func (v itemView) itemCommand(name string) (command, bool) {
	i := slices.IndexFunc(v.Commands, func(c command) bool { return c.REST == name })
	if i < 0 {
		return command{}, false
	}
	return v.Commands[i], true
}

// itemPage serves /admin/orders/{id}/services/{item} and /domains/{item}: the item and its
// commands.
func (c *Console) itemPage(w http.ResponseWriter, r *http.Request) {
	v, ok := c.loadItem(w, r)
	if !ok {
		return
	}
	c.pages.Render(w, r, http.StatusOK, "item", &page.View{Title: fmt.Sprintf("%s — order #%d", page.Capital(v.Name()), v.Order.Number),
		Nav: "orders", Live: liveURL(v.Order.ID), Data: v})
}

// itemAct serves POST .../{item}/{action}: runs the command through the order's workflow and
// comes back to the item page with what it did, or the module's or registrar's words in red.
func (c *Console) itemAct(w http.ResponseWriter, r *http.Request) {
	v, ok := c.loadItem(w, r)
	if !ok {
		return
	}
	cmd, ok := v.itemCommand(chi.URLParam(r, "action"))
	if !ok {
		c.pages.Error(w, r, http.StatusNotFound, "No such command: "+chi.URLParam(r, "action"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		c.pages.SetFlash(w, r, page.FlashError, "The form could not be read.")
		c.redirect(w, r, v.Path())
		return
	}
	opts, err := itemOptions(r.PostForm)
	if err != nil {
		c.pages.SetFlash(w, r, page.FlashError, cmd.Label+" failed: "+page.Refusal(err))
		c.redirect(w, r, v.Path())
		return
	}
	if cmd.Confirm && r.PostForm.Get("confirm") != "yes" {
		// What it will do, with the options the form sent, and Yes: the answer to this post,
		// never a redirect, so that an EPP code is in no URL (history, logs, a sign-in's next).
		v.Spec, v.Options = cmd.Spec, opts
		w.Header().Set("Cache-Control", "no-store")
		c.pages.Render(w, r, http.StatusOK, "itemconfirm", &page.View{Title: fmt.Sprintf("%s: %s", cmd.Label, v.Name()), Nav: "orders", Data: v})
		return
	}
	itemID := v.itemID()
	req, err := c.svc.ItemRequest(session.Actor(r), itemID, opts)
	if err == nil {
		_, err = c.svc.ActOnItem(r.Context(), cmd.Action, itemID, req, formRequestID(r))
	}
	if msg := page.Refusal(err); msg != "" {
		// The panel's, the registrar's or hostflow's own words, after the command's name.
		c.pages.SetFlash(w, r, page.FlashError, cmd.Label+" failed: "+msg)
		c.redirect(w, r, v.Path())
		return
	} else if err != nil {
		c.flashFailure(w, r, err)
		c.redirect(w, r, v.Path())
		return
	}
	c.pages.SetFlash(w, r, page.FlashOK, fmt.Sprintf("%s: done for %s.", cmd.Label, v.Name()))
	c.redirect(w, r, v.Path())
}

func (v itemView) itemID() int64 {
	if v.Service != nil {
		return v.Service.ID
	}
	return v.Domain.ID
}

// itemOptions reads a command's options from its form: reason, package, password, epp_code,
// years and ns1..ns5. A form sends only the fields of its command.
func itemOptions(f url.Values) (items.ItemOptions, error) {
	o := items.ItemOptions{Reason: strings.TrimSpace(f.Get("reason")), Package: strings.TrimSpace(f.Get("package")),
		Password: f.Get("password"), EPPCode: strings.TrimSpace(f.Get("epp_code"))}
	if y := f.Get("years"); y != "" {
		var err error
		if o.Years, err = strconv.Atoi(y); err != nil {
			return o, fault.Invalidf("years", "must be a whole number of years")
		}
	}
	for i := 1; i <= nameserverFields; i++ {
		if ns := strings.TrimSpace(f.Get("ns" + strconv.Itoa(i))); ns != "" {
			o.Nameservers = append(o.Nameservers, ns)
		}
	}
	return o, nil
}

// formRequestID is the form's request id: a double submit is the same update to the workflow.
func formRequestID(r *http.Request) string {
	if id := r.PostForm.Get("request_id"); len(id) <= 64 {
		return id
	}
	return ""
}
