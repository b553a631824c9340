package namecheap

import (
	"context"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/registrar"
)

// Name is the registrar's name on TLDs and domains.
const Name = "namecheap"

// Module registers and transfers domains through one Namecheap account.
type Module struct{ c *client }

// New returns the module for an API account.
func New(cfg Config) *Module { return &Module{c: newClient(cfg)} }

type domainInfo struct {
	XMLName xml.Name `xml:"DomainGetInfoResult"`
	Status  string   `xml:"Status,attr"`
	ID      string   `xml:"ID,attr"`
	IsOwner bool     `xml:"IsOwner,attr"`
	Domain  string   `xml:"DomainName,attr"`
}

type createResult struct {
	Domain      string `xml:"Domain,attr"`
	Registered  bool   `xml:"Registered,attr"`
	DomainID    string `xml:"DomainID,attr"`
	OrderID     string `xml:"OrderID,attr"`
	NonRealTime bool   `xml:"NonRealTimeDomain,attr"`
}

type transferResult struct {
	Transfer   bool   `xml:"Transfer,attr"`
	TransferID string `xml:"TransferID,attr"`
	StatusID   string `xml:"StatusID,attr"`
	OrderID    string `xml:"OrderID,attr"`
}

type transfer struct {
	ID     string `xml:"ID,attr"`
	Domain string `xml:"DomainName,attr"`
	Status string `xml:"Status,attr"`
}

type transferList struct {
	Transfers []transfer `xml:"TransferGetListResult>Transfer"`
}

// Register registers a domain. It never buys a domain twice: a domain already in this
// account is the registration an earlier, interrupted try made, if there was one; on a first
// try it belongs to someone else (another client's order, or registered by hand).
func (m *Module) Register(ctx context.Context, d registrar.Domain) (registrar.Result, error) {
	if res, here, err := m.inAccount(ctx, d.Name); here || err != nil {
		return res, ours(d, res, here, err)
	}
	check, err := m.check(ctx, []string{d.Name})
	if err != nil {
		return registrar.Result{}, asPermanent(err)
	}
	if len(check) != 1 || !check[0].Available {
		return registrar.Result{}, permanent.Wrap(fmt.Errorf("%s is not available for registration", d.Name))
	}
	params, err := contactParams(d.Registrant)
	if err != nil {
		return registrar.Result{}, permanent.Wrap(err)
	}
	params["DomainName"] = []string{d.Name}
	params["Years"] = []string{strconv.Itoa(max(d.Period, 1))}
	if len(d.Nameservers) > 0 {
		params["Nameservers"] = []string{strings.Join(d.Nameservers, ",")}
	}
	var res struct {
		Result createResult `xml:"DomainCreateResult"`
	}
	if err := m.c.call(ctx, "namecheap.domains.create", params, &res); err != nil {
		return registrar.Result{}, asPermanent(err)
	}
	if !res.Result.Registered {
		return registrar.Result{}, permanent.Wrap(fmt.Errorf("namecheap did not register %s", d.Name))
	}
	st := order.Active
	if res.Result.NonRealTime {
		st = order.PendingRegistration
	}
	return registrar.Result{Status: st, Ref: res.Result.DomainID}, nil
}

// Transfer starts a transfer in. An open transfer of the domain in this account is the one an
// earlier try started, and a domain already here has nothing left to transfer.
func (m *Module) Transfer(ctx context.Context, d registrar.Domain) (registrar.Result, error) {
	if res, here, err := m.inAccount(ctx, d.Name); here || err != nil {
		return res, ours(d, res, here, err)
	}
	t, err := m.lastTransfer(ctx, d.Name)
	if err != nil {
		return registrar.Result{}, err
	}
	if t != nil && !transferEnded(t.Status) {
		return registrar.Result{Status: order.PendingTransfer, Ref: t.ID}, nil
	}
	if d.EPPCode == "" {
		return registrar.Result{}, permanent.Wrap(fmt.Errorf("a transfer of %s needs its EPP code", d.Name))
	}
	var res struct {
		Result transferResult `xml:"DomainTransferCreateResult"`
	}
	err = m.c.call(ctx, "namecheap.domains.transfer.create", map[string][]string{"DomainName": {d.Name}, "Years": {"1"},
		"EPPCode": {d.EPPCode}}, &res)
	if err != nil {
		return registrar.Result{}, asPermanent(err)
	}
	if !res.Result.Transfer {
		return registrar.Result{}, permanent.Wrap(fmt.Errorf("namecheap did not accept the transfer of %s", d.Name))
	}
	return registrar.Result{Status: order.PendingTransfer, Ref: res.Result.TransferID}, nil
}

// Status reads where a pending domain stands: in the account, it is Active; with a transfer
// still open, Pending Transfer; a transfer that ended without the domain is the registrar's
// refusal, passed on; otherwise the registry has yet to finish the registration.
func (m *Module) Status(ctx context.Context, d registrar.Domain) (registrar.Result, error) {
	if res, here, err := m.inAccount(ctx, d.Name); here || err != nil {
		return res, err
	}
	t, err := m.lastTransfer(ctx, d.Name)
	switch {
	case err != nil:
		return registrar.Result{}, err
	case t == nil:
		return registrar.Result{Status: order.PendingRegistration}, nil
	case transferEnded(t.Status):
		return registrar.Result{}, permanent.Wrap(fmt.Errorf("the transfer of %s ended: %s", d.Name, t.Status))
	}
	return registrar.Result{Status: order.PendingTransfer, Ref: t.ID}, nil
}

// lastTransfer returns the newest transfer of a domain into this account, nil if none.
func (m *Module) lastTransfer(ctx context.Context, name string) (*transfer, error) {
	var list transferList
	if err := m.c.call(ctx, "namecheap.domains.transfer.getList", map[string][]string{"SearchTerm": {name}}, &list); err != nil {
		return nil, asPermanent(err)
	}
	var last *transfer
	for i, t := range list.Transfers {
		if strings.EqualFold(t.Domain, name) {
			last = &list.Transfers[i]
		}
	}
	return last, nil
}

// inAccount reports whether the domain is already in this account, which makes it Active: a
// registration or transfer before this call got there.
func (m *Module) inAccount(ctx context.Context, name string) (registrar.Result, bool, error) {
	var res struct {
		Info domainInfo `xml:"DomainGetInfoResult"`
	}
	err := m.c.call(ctx, "namecheap.domains.getInfo", map[string][]string{"DomainName": {name}}, &res)
	switch {
	case isCode(err, errDomainNotFound, errNotInAccount):
		return registrar.Result{}, false, nil
	case err != nil:
		return registrar.Result{}, false, asPermanent(err)
	case !res.Info.IsOwner:
		return registrar.Result{}, false, permanent.Wrap(fmt.Errorf("%s is in the Namecheap account but not owned by it", name))
	}
	return registrar.Result{Status: order.Active, Ref: res.Info.ID}, true, nil
}

// ours checks that a domain found in the account is this order's: sent before (d.Ref is
// registrar.Requested), or the very domain the registrar named then.
func ours(d registrar.Domain, found registrar.Result, here bool, err error) error {
	if err != nil || !here || d.Ref == registrar.Requested || d.Ref == found.Ref {
		return err
	}
	return permanent.Wrap(fmt.Errorf("%s is already in the Namecheap account, but not through this order", d.Name))
}

func transferEnded(status string) bool {
	s := strings.ToLower(status)
	return strings.Contains(s, "cancel") || strings.Contains(s, "fail") || strings.Contains(s, "complete")
}
