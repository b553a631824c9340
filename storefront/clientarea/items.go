package clientarea

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/items"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/storefront/session"
)

// My Services and My Domains: the client's own services and domains (package items reads them
// with the client in the query), a page each, and Change Nameservers.

type servicesView struct {
	Services []items.ClientService
	Pager    pager
}

// servicesPage serves GET /client/services: the client's services, a page of them.
func (a *Area) servicesPage(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	ctx, cancel := page.Context(r)
	defer cancel()
	p := listPage(r)
	rows, more, err := a.svc.ClientServices(ctx, u.Client.ID, "", p)
	if a.failed(w, r, err) {
		return
	}
	a.show(w, r, u, http.StatusOK, "services", "My Services", navServices,
		servicesView{Services: rows, Pager: pagerFor("/client/services", p, more)})
}

// servicePage serves GET /client/services/{id}: one of the client's services; another client's
// is a 404, as an unknown id is.
func (a *Area) servicePage(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	ctx, cancel := page.Context(r)
	defer cancel()
	sv, err := a.svc.ClientService(ctx, u.Client.ID, page.PathID(r))
	if a.failed(w, r, err) {
		return
	}
	title := sv.Product
	if sv.Domain != "" {
		title += " – " + sv.Domain
	}
	a.show(w, r, u, http.StatusOK, "service", title, navServices, sv)
}

type domainsView struct {
	Domains []items.ClientDomain
	Pager   pager
}

// domainsPage serves GET /client/domains: the client's domains, a page of them.
func (a *Area) domainsPage(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	ctx, cancel := page.Context(r)
	defer cancel()
	p := listPage(r)
	rows, more, err := a.svc.ClientDomains(ctx, u.Client.ID, "", p)
	if a.failed(w, r, err) {
		return
	}
	a.show(w, r, u, http.StatusOK, "domains", "My Domains", navDomains,
		domainsView{Domains: rows, Pager: pagerFor("/client/domains", p, more)})
}

type domainView struct {
	Domain items.ClientDomain
	// Fields are Change Nameservers' five fields: the domain's nameservers, or what was typed.
	Fields []nsField
	// Errors are the form's refusals by field: ns1 … ns5 for one nameserver, "nameservers" for
	// the form as a whole.
	Errors map[string]string
}

// nsField is one nameserver field of the form: ns1 … ns5.
type nsField struct {
	Name     string
	N        int
	Value    string
	Optional bool // past the two a domain needs at least
}

func nsFields(values []string) []nsField {
	out := make([]nsField, input.MaxNameservers)
	for i := range out {
		out[i] = nsField{Name: fmt.Sprintf("ns%d", i+1), N: i + 1, Optional: i >= input.MinDomainNameservers}
		if i < len(values) {
			out[i].Value = values[i]
		}
	}
	return out
}

// Years is the domain's registration period.
func (v domainView) Years() int { return int(v.Domain.Period) }

// NotActive is why a domain that is not Active has no Change Nameservers.
func (v domainView) NotActive() string { return items.ReasonDomainNotActive }

// domainPage serves GET /client/domains/{id}: one of the client's domains with its
// nameservers and Change Nameservers; another client's is a 404, as an unknown id is.
func (a *Area) domainPage(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	ctx, cancel := page.Context(r)
	defer cancel()
	d, err := a.svc.ClientDomain(ctx, u.Client.ID, page.PathID(r))
	if a.failed(w, r, err) {
		return
	}
	v := domainView{Domain: d, Fields: nsFields(d.Nameservers), Errors: map[string]string{}}
	a.show(w, r, u, http.StatusOK, "domain", d.Domain, navDomains, v)
}

// setNameservers serves Change Nameservers' post (ns1 … ns5, the empty ones left out): package
// items checks the domain is the client's and Active and the nameservers' rule, and has the
// order's workflow state them at the registrar (never this request). Done, the domain's page
// says so; refused, the form again with the refusal on its field and what was typed.
func (a *Area) setNameservers(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	if !a.pages.ReadForm(w, r) {
		return
	}
	id := page.PathID(r)
	var typed [input.MaxNameservers]string
	var ns []string
	for i := range typed {
		typed[i] = strings.TrimSpace(r.PostForm.Get(fmt.Sprintf("ns%d", i+1)))
		if typed[i] != "" {
			ns = append(ns, typed[i])
		}
	}
	err := a.svc.SetClientDomainNameservers(r.Context(), u.Client.ID, id, ns)
	if err == nil {
		a.pages.SetFlash(w, r, page.FlashOK, "Your nameservers were changed: "+strings.Join(ns, ", ")+".")
		page.Redirect(w, r, fmt.Sprintf("/client/domains/%d#nameservers", id))
		return
	}
	field, msg, refused := page.Refusal(err)
	if !refused || page.RefusalStatus(err) == http.StatusNotFound {
		a.failed(w, r, err)
		return
	}
	ctx, cancel := page.Context(r)
	defer cancel()
	d, derr := a.svc.ClientDomain(ctx, u.Client.ID, id)
	if a.failed(w, r, derr) {
		return
	}
	v := domainView{Domain: d, Fields: nsFields(typed[:]), Errors: map[string]string{nameserverField(field, typed): msg}}
	a.showDomain(w, r, u, page.RefusalStatus(err), v)
}

func (a *Area) showDomain(w http.ResponseWriter, r *http.Request, u session.Who, status int, v domainView) {
	a.show(w, r, u, status, "domain", v.Domain.Domain, navDomains, v)
}

// nameserverField is the form's field of a refusal: input.Nameservers names the one at fault
// "nameservers[i]", counting the nameservers sent, which are the fields typed in, in order.
func nameserverField(field string, typed [input.MaxNameservers]string) string {
	i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(field, "nameservers["), "]"))
	if err != nil || !strings.HasPrefix(field, "nameservers[") {
		return "nameservers"
	}
	for f, v := range typed {
		if v == "" {
			continue
		}
		if i == 0 {
			return fmt.Sprintf("ns%d", f+1)
		}
		i--
	}
	return "nameservers"
}
