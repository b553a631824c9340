package items

import (
	"context"

	"github.com/hostflow/hostflow/order"
)

// The registrar commands on a domain the client already holds (WHMCS's DomainGetNameservers,
// DomainUpdateNameservers, DomainRenew). Each runs through the workflow of the domain's order,
// whose activities call the registrar: a request never does.

// DomainNameservers are a domain's nameservers: the registrar's for a domain it holds, the
// recorded ones otherwise.
func (s *Items) DomainNameservers(ctx context.Context, id int64, actor order.Actor) ([]string, error) {
	res, err := s.ActOnItem(ctx, order.ActionDomainGetNameservers, id, order.ActionRequest{Actor: actor}, "")
	return res.Nameservers, err
}

// SetDomainNameservers states a domain's nameservers at its registrar (for a domain it holds)
// and records them; a domain not yet registered takes them when it is.
func (s *Items) SetDomainNameservers(ctx context.Context, id int64, ns []string, actor order.Actor) error {
	_, err := s.ActOnItem(ctx, order.ActionDomainNameservers, id, order.ActionRequest{Actor: actor, Nameservers: ns}, "")
	return err
}

// RenewDomain renews a domain at its registrar for years (0: its registration period), once,
// however often the workflow's activity is retried.
func (s *Items) RenewDomain(ctx context.Context, id int64, years int, actor order.Actor) error {
	_, err := s.ActOnItem(ctx, order.ActionDomainRenew, id, order.ActionRequest{Actor: actor, Years: years}, "")
	return err
}
