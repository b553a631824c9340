package items

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/items"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/whmcs/reads"
	"github.com/hostflow/hostflow/whmcs/wire"
)

// DomainAction serves the registrar commands on one domain (DomainRegister, DomainTransfer), by
// domainid or domain name.
func (a *Actions) DomainAction(ctx context.Context, spec order.Spec, p wire.Params) (wire.Reply, error) {
	id, err := p.Int("domainid")
	if err != nil {
		return nil, err
	}
	if id == 0 && p.Str("domain") != "" {
		if id, err = a.svc.DomainByName(ctx, p.Str("domain")); err != nil {
			return nil, err
		}
	}
	if id == 0 {
		return nil, wire.Fail(order.ReasonDomainNotFound)
	}
	var opts items.ItemOptions
	if spec.Action == order.ActionDomainTransfer {
		opts.EPPCode = p.Str("eppcode")
	}
	return a.actOnItem(ctx, spec, id, opts)
}

// GetClientsDomains serves GetClientsDomains.
func (a *Actions) GetClientsDomains(ctx context.Context, p wire.Params) (wire.Reply, error) {
	off, lim, err := p.Page()
	if err != nil {
		return nil, err
	}
	var f reads.DomainFilter
	if f.ClientID, err = p.Int("clientid"); err != nil {
		return nil, err
	}
	if f.DomainID, err = p.Int("domainid"); err != nil {
		return nil, err
	}
	f.Domain, f.Page = p.Str("domain"), reads.Page{Offset: off, Limit: lim}
	rows, total, err := reads.ClientDomains(ctx, a.svc.Pool, f)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, d := range rows {
		list = append(list, map[string]any{"id": wire.ID(d.ID), "userid": wire.ID(d.ClientID), "orderid": wire.ID(d.OrderID),
			"regtype": wire.RegType(d.Type), "domainname": d.Domain, "registrar": d.Registrar, "regperiod": strconv.Itoa(int(d.Period)),
			"firstpaymentamount": money.Format(d.Amount, d.Currency), "recurringamount": money.Format(d.Amount, d.Currency),
			"paymentmethod": d.PaymentMethod, "paymentmethodname": billing.MethodName(d.PaymentMethod),
			"regdate": d.CreatedAt.Format("2006-01-02"), "expirydate": wire.YMD(d.ExpiryDate), "nextduedate": wire.YMD(d.NextDueDate),
			"status": d.Status, "subscriptionid": "", "promoid": "0", "dnsmanagement": wire.Flag01(d.DNSManagement),
			"emailforwarding": wire.Flag01(d.EmailForwarding), "idprotection": wire.Flag01(d.IDProtection), "donotrenew": wire.Flag01(d.DoNotRenew),
			"notes": d.Notes})
	}
	domainID := ""
	if f.DomainID != 0 {
		domainID = wire.ID(f.DomainID)
	}
	return wire.Reply{"clientid": wire.ID(f.ClientID), "domainid": domainID, "totalresults": strconv.FormatInt(total, 10),
		"startnumber": strconv.Itoa(int(off)), "numreturned": strconv.Itoa(len(list)), "domains": map[string]any{"domain": list}}, nil
}

// domainFieldsNotHeld are UpdateClientDomain's parameters for what a hostflow domain does not
// hold or what follows its order and registrar.
var domainFieldsNotHeld = []string{"type", "regdate", "domain", "firstpaymentamount", "recurringamount", "registrar", "regperiod",
	"paymentmethod", "subscriptionid", "promoid", "autorecalc"}

// UpdateClientDomain serves UpdateClientDomain. A domain's status follows its registrar and
// its order (DomainRegister, DomainTransfer and the order commands set it): a status other than
// the current one is refused.
func (a *Actions) UpdateClientDomain(ctx context.Context, p wire.Params) (wire.Reply, error) {
	id, err := p.Required("domainid", "Domain ID Not Found")
	if err != nil {
		return nil, err
	}
	if err := p.Refuse(domainFieldsNotHeld,
		"hostflow updates a domain's addons, do-not-renew, notes, dates and nameservers"); err != nil {
		return nil, err
	}
	if s := p.Str("status"); s != "" {
		d, _, err := reads.ClientDomains(ctx, a.svc.Pool, reads.DomainFilter{DomainID: id, Page: reads.Page{Limit: 1}})
		if err != nil {
			return nil, err
		}
		if len(d) == 0 {
			return nil, wire.Fail("Domain ID Not Found")
		}
		if !strings.EqualFold(string(d[0].Status), s) {
			return nil, wire.Fail(fmt.Sprintf("The domain is %s: its status follows its registrar and its order "+
				"(DomainRegister, DomainTransfer, CancelOrder, PendingOrder)", d[0].Status))
		}
	}
	e := items.DomainEdit{DNSManagement: p.Bool("dnsmanagement"), EmailForwarding: p.Bool("emailforwarding"),
		IDProtection: p.Bool("idprotection"), DoNotRenew: p.Bool("donotrenew"), UpdateNameservers: p.Flag("updatens"),
		Actor: order.WHMCSAPI}
	if p.Has("notes") {
		n := p.Str("notes")
		e.Notes = &n
	}
	if e.NextDueDate, err = p.YMD("nextduedate"); err != nil {
		return nil, err
	}
	if e.ExpiryDate, err = p.YMD("expirydate"); err != nil {
		return nil, err
	}
	if ns := nameservers(p); len(ns) > 0 {
		e.Nameservers = ns
	}
	if err := a.svc.EditDomain(ctx, id, e); err != nil {
		return nil, wire.InWHMCSWords(err, map[string]string{"nameservers": "ns1 and ns2 required"})
	}
	return wire.Reply{"domainid": wire.ID(id)}, nil
}

// nameservers reads ns1..ns5 in order, up to the first one absent.
func nameservers(p wire.Params) []string {
	var ns []string
	for i := 1; i <= 5; i++ {
		n := p.Str("ns" + strconv.Itoa(i))
		if n == "" {
			break
		}
		ns = append(ns, n)
	}
	return ns
}

// domainID reads domainid, or finds the domain by its name; notFound is the action's words.
func (a *Actions) domainID(ctx context.Context, p wire.Params, notFound string) (int64, error) {
	id, err := p.Int("domainid")
	if err != nil {
		return 0, err
	}
	if id == 0 && p.Str("domain") != "" {
		id, err = a.svc.DomainByName(ctx, p.Str("domain"))
		if err != nil {
			return 0, wire.InNotFoundWords(err, notFound)
		}
	}
	if id == 0 {
		return 0, wire.Fail(notFound)
	}
	return id, nil
}

// DomainGetNameservers serves DomainGetNameservers.
func (a *Actions) DomainGetNameservers(ctx context.Context, p wire.Params) (wire.Reply, error) {
	id, err := p.Required("domainid", "Domain ID Not Found")
	if err != nil {
		return nil, err
	}
	ns, err := a.svc.DomainNameservers(ctx, id, order.WHMCSAPI)
	if err != nil {
		return nil, wire.InNotFoundWords(err, "Domain ID Not Found")
	}
	out := wire.Reply{}
	for i, n := range ns {
		if i < 5 {
			out["ns"+strconv.Itoa(i+1)] = n
		}
	}
	return out, nil
}

// DomainUpdateNameservers serves DomainUpdateNameservers.
func (a *Actions) DomainUpdateNameservers(ctx context.Context, p wire.Params) (wire.Reply, error) {
	id, err := a.domainID(ctx, p, "Domain ID Not Found")
	if err != nil {
		return nil, err
	}
	err = a.svc.SetDomainNameservers(ctx, id, nameservers(p), order.WHMCSAPI)
	return nil, wire.InNotFoundWords(wire.InWHMCSWords(err, map[string]string{"nameservers": "ns1 and ns2 required"}), "Domain ID Not Found")
}

// DomainRenew renews a domain at its registrar, once, through its order's workflow.
func (a *Actions) DomainRenew(ctx context.Context, p wire.Params) (wire.Reply, error) {
	id, err := a.domainID(ctx, p, order.ReasonDomainNotFound)
	if err != nil {
		return nil, err
	}
	years, err := p.Int("regperiod")
	if err != nil {
		return nil, err
	}
	err = a.svc.RenewDomain(ctx, id, int(min(years, 100)), order.WHMCSAPI)
	return nil, wire.InNotFoundWords(wire.InWHMCSWords(err, map[string]string{"years": "Invalid regperiod"}), order.ReasonDomainNotFound)
}
