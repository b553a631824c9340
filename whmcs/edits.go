package whmcs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/items"
	"github.com/hostflow/hostflow/order"
)

// refuseFields refuses the first of names the request carries: parameters for what hostflow
// does not hold, refused rather than silently dropped. why says what the action does change.
func refuseFields(p params, names []string, why string) error {
	for _, name := range names {
		for k := range p.v {
			if (k == name || strings.HasPrefix(k, name+"[")) && strings.TrimSpace(strings.Join(p.v[k], "")) != "" {
				return fail(fmt.Sprintf("%s cannot be updated: %s", name, why))
			}
		}
	}
	return nil
}

// ymd reads a Y-m-d date field; nil if absent.
func (p params) ymd(name string) (*time.Time, error) {
	s := p.str(name)
	if s == "" {
		return nil, nil
	}
	if s == "0000-00-00" { // WHMCS's way of clearing a date
		return &time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return nil, fail(fmt.Sprintf("Invalid %s: use YYYY-MM-DD", name))
	}
	return &t, nil
}

// optStr is a text field to set: nil if absent, "" if named in unset.
func (p params) optStr(name string, unset []string, as string) *string {
	if slices.Contains(unset, as) {
		empty := ""
		return &empty
	}
	if _, ok := p.v[name]; !ok {
		return nil
	}
	v := p.str(name)
	return &v
}

// productFieldsNotHeld are UpdateClientProduct's parameters for what a hostflow service does
// not hold (its price and cycle are the order's, its product is changed by ModuleChangePackage).
var productFieldsNotHeld = []string{"pid", "regdate", "terminationdate", "firstpaymentamount", "recurringamount", "paymentmethod",
	"billingcycle", "subscriptionid", "overideautosuspend", "overidesuspenduntil", "ns1", "ns2", "dedicatedip", "assignedips",
	"diskusage", "disklimit", "bwusage", "bwlimit", "promoid", "autorecalc", "customfields", "configoptions"}

// unsettable are the fields UpdateClientProduct's unset clears in hostflow. suspendreason is
// not one: the reason goes to the panel with a suspension and is kept nowhere to clear.
var unsettable = []string{"domain", "serviceusername", "servicepassword", "notes"}

// updateClientProduct serves UpdateClientProduct: a status goes through the order's workflow
// as the module command that makes it true (Suspended: ModuleSuspend, Active: ModuleCreate or
// ModuleUnsuspend, Terminated: ModuleTerminate); the other fields are written directly.
func (h *Handler) updateClientProduct(ctx context.Context, p params) (reply, error) {
	id, err := p.required("serviceid", "Service ID Not Found")
	if err != nil {
		return nil, err
	}
	const why = "hostflow updates a service's status, domain, username, password, server, notes and next due date"
	if err := refuseFields(p, productFieldsNotHeld, why); err != nil {
		return nil, err
	}
	var unset []string
	for _, u := range p.list("unset") {
		if u == "suspendreason" {
			return nil, fail("suspendreason cannot be unset: hostflow keeps no suspension reason, it goes to the panel with the suspension")
		}
		if !slices.Contains(unsettable, u) {
			return nil, fail(fmt.Sprintf("%s cannot be unset: %s", u, why))
		}
		unset = append(unset, u)
	}
	e := items.ServiceEdit{SuspendReason: p.str("suspendreason"), Actor: order.WHMCSAPI,
		Domain: p.optStr("domain", unset, "domain"), Username: p.optStr("serviceusername", unset, "serviceusername"),
		Password: p.optStr("servicepassword", unset, "servicepassword"), Notes: p.optStr("notes", unset, "notes")}
	if s := p.str("status"); s != "" {
		e.Status = serviceStatus(s)
	}
	if p.str("serverid") != "" {
		sid, err := p.int("serverid")
		if err != nil {
			return nil, err
		}
		e.ServerID = &sid
	}
	if e.NextDueDate, err = p.ymd("nextduedate"); err != nil {
		return nil, err
	}
	if err := h.svc.EditService(ctx, id, e); err != nil {
		return nil, inWHMCSWords(err, map[string]string{
			"suspend_reason": "suspendreason is taken only with a change of status to Suspended: it goes to the panel with the suspension"})
	}
	return reply{"serviceid": str(id)}, nil // a string, as in the example answer
}

// serviceStatus matches a status as WHMCS does, without regard to case.
func serviceStatus(s string) order.Status {
	for _, st := range items.ServiceStatuses {
		if strings.EqualFold(string(st), s) {
			return st
		}
	}
	return order.Status(s)
}

// domainFieldsNotHeld are UpdateClientDomain's parameters for what a hostflow domain does not
// hold or what follows its order and registrar.
var domainFieldsNotHeld = []string{"type", "regdate", "domain", "firstpaymentamount", "recurringamount", "registrar", "regperiod",
	"paymentmethod", "subscriptionid", "promoid", "autorecalc"}

// updateClientDomain serves UpdateClientDomain. A domain's status follows its registrar and
// its order (DomainRegister, DomainTransfer and the order commands set it): a status other than
// the current one is refused.
func (h *Handler) updateClientDomain(ctx context.Context, p params) (reply, error) {
	id, err := p.required("domainid", "Domain ID Not Found")
	if err != nil {
		return nil, err
	}
	if err := refuseFields(p, domainFieldsNotHeld,
		"hostflow updates a domain's addons, do-not-renew, notes, dates and nameservers"); err != nil {
		return nil, err
	}
	if s := p.str("status"); s != "" {
		d, _, err := h.clientDomains(ctx, domainFilter{DomainID: id, page: page{Limit: 1}})
		if err != nil {
			return nil, err
		}
		if len(d) == 0 {
			return nil, fail("Domain ID Not Found")
		}
		if !strings.EqualFold(string(d[0].Status), s) {
			return nil, fail(fmt.Sprintf("The domain is %s: its status follows its registrar and its order "+
				"(DomainRegister, DomainTransfer, CancelOrder, PendingOrder)", d[0].Status))
		}
	}
	e := items.DomainEdit{DNSManagement: p.bool("dnsmanagement"), EmailForwarding: p.bool("emailforwarding"),
		IDProtection: p.bool("idprotection"), DoNotRenew: p.bool("donotrenew"), UpdateNameservers: p.flag("updatens"),
		Actor: order.WHMCSAPI}
	if _, ok := p.v["notes"]; ok {
		n := p.str("notes")
		e.Notes = &n
	}
	if e.NextDueDate, err = p.ymd("nextduedate"); err != nil {
		return nil, err
	}
	if e.ExpiryDate, err = p.ymd("expirydate"); err != nil {
		return nil, err
	}
	if ns := nameservers(p); len(ns) > 0 {
		e.Nameservers = ns
	}
	if err := h.svc.EditDomain(ctx, id, e); err != nil {
		return nil, inWHMCSWords(err, map[string]string{"nameservers": "ns1 and ns2 required"})
	}
	return reply{"domainid": str(id)}, nil
}

// nameservers reads ns1..ns5 in order, up to the first one absent.
func nameservers(p params) []string {
	var ns []string
	for i := 1; i <= 5; i++ {
		n := p.str("ns" + strconv.Itoa(i))
		if n == "" {
			break
		}
		ns = append(ns, n)
	}
	return ns
}

// domainID reads domainid, or finds the domain by its name; notFound is the action's words.
func (h *Handler) domainID(ctx context.Context, p params, notFound string) (int64, error) {
	id, err := p.int("domainid")
	if err != nil {
		return 0, err
	}
	if id == 0 && p.str("domain") != "" {
		id, err = h.svc.DomainByName(ctx, p.str("domain"))
		if err != nil {
			return 0, inNotFoundWords(err, notFound)
		}
	}
	if id == 0 {
		return 0, fail(notFound)
	}
	return id, nil
}

func (h *Handler) domainGetNameservers(ctx context.Context, p params) (reply, error) {
	id, err := p.required("domainid", "Domain ID Not Found")
	if err != nil {
		return nil, err
	}
	ns, err := h.svc.DomainNameservers(ctx, id, order.WHMCSAPI)
	if err != nil {
		return nil, inNotFoundWords(err, "Domain ID Not Found")
	}
	out := reply{}
	for i, n := range ns {
		if i < 5 {
			out["ns"+strconv.Itoa(i+1)] = n
		}
	}
	return out, nil
}

func (h *Handler) domainUpdateNameservers(ctx context.Context, p params) (reply, error) {
	id, err := h.domainID(ctx, p, "Domain ID Not Found")
	if err != nil {
		return nil, err
	}
	err = h.svc.SetDomainNameservers(ctx, id, nameservers(p), order.WHMCSAPI)
	return nil, inNotFoundWords(inWHMCSWords(err, map[string]string{"nameservers": "ns1 and ns2 required"}), "Domain ID Not Found")
}

// domainRenew renews a domain at its registrar, once, through its order's workflow.
func (h *Handler) domainRenew(ctx context.Context, p params) (reply, error) {
	id, err := h.domainID(ctx, p, order.ReasonDomainNotFound)
	if err != nil {
		return nil, err
	}
	years, err := p.int("regperiod")
	if err != nil {
		return nil, err
	}
	err = h.svc.RenewDomain(ctx, id, int(min(years, 100)), order.WHMCSAPI)
	return nil, inNotFoundWords(inWHMCSWords(err, map[string]string{"years": "Invalid regperiod"}), order.ReasonDomainNotFound)
}

// inNotFoundWords says a service NotFound in the action's own words.
func inNotFoundWords(err error, message string) error {
	var se *fault.Error
	if errors.As(err, &se) && se.Kind == fault.NotFound {
		return fail(message)
	}
	return err
}
