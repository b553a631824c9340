package namecheap

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/registrar"
)

// The commands for a domain already in the account: its nameservers (domains.dns.getList and
// domains.dns.setCustom, which address a domain as SLD and TLD) and its renewal
// (domains.renew), with domains.getInfo for its expiry date.

var _ registrar.Manager = (*Module)(nil)

// dateLayout is how Namecheap writes dates: MM/DD/YYYY.
const dateLayout = "01/02/2006"

// split cuts a name into Namecheap's SLD and TLD at its first dot: "example.co.uk" is
// example and co.uk.
func split(name string) (map[string][]string, error) {
	sld, tld, ok := strings.Cut(name, ".")
	if !ok || sld == "" || tld == "" {
		return nil, permanent.Wrap(fmt.Errorf("%q is not a domain name", name))
	}
	return map[string][]string{"SLD": {sld}, "TLD": {tld}}, nil
}

// Nameservers reads the domain's nameservers.
func (m *Module) Nameservers(ctx context.Context, name string) ([]string, error) {
	params, err := split(name)
	if err != nil {
		return nil, err
	}
	var res struct {
		Result struct {
			Nameservers []string `xml:"Nameserver"`
		} `xml:"DomainDNSGetListResult"`
	}
	if err := m.c.call(ctx, "namecheap.domains.dns.getList", params, &res); err != nil {
		return nil, asPermanent(err)
	}
	out := make([]string, 0, len(res.Result.Nameservers))
	for _, ns := range res.Result.Nameservers {
		out = append(out, strings.ToLower(strings.TrimSpace(ns)))
	}
	return out, nil
}

// SetNameservers points the domain at custom nameservers (Namecheap takes 2 to 12).
func (m *Module) SetNameservers(ctx context.Context, name string, nameservers []string) error {
	params, err := split(name)
	if err != nil {
		return err
	}
	params["Nameservers"] = []string{strings.Join(nameservers, ",")}
	var res struct {
		Result struct {
			Updated bool `xml:"Updated,attr"`
			Update  bool `xml:"Update,attr"` // the spelling some of Namecheap's pages show
		} `xml:"DomainDNSSetCustomResult"`
	}
	if err := m.c.call(ctx, "namecheap.domains.dns.setCustom", params, &res); err != nil {
		return asPermanent(err)
	}
	if !res.Result.Updated && !res.Result.Update {
		return permanent.Wrap(fmt.Errorf("namecheap did not update the nameservers of %s", name))
	}
	return nil
}

// Expiry reads the domain's expiry date (domains.getInfo's DomainDetails).
func (m *Module) Expiry(ctx context.Context, name string) (time.Time, error) {
	var res struct {
		Info struct {
			IsOwner bool   `xml:"IsOwner,attr"`
			Expires string `xml:"DomainDetails>ExpiredDate"`
		} `xml:"DomainGetInfoResult"`
	}
	if err := m.c.call(ctx, "namecheap.domains.getInfo", map[string][]string{"DomainName": {name}}, &res); err != nil {
		return time.Time{}, asPermanent(err)
	}
	if !res.Info.IsOwner {
		return time.Time{}, permanent.Wrap(fmt.Errorf("%s is in the Namecheap account but not owned by it", name))
	}
	return parseDate(res.Info.Expires)
}

// Renew renews the domain for years. Namecheap has no idempotency key: see registrar.Manager.
func (m *Module) Renew(ctx context.Context, name string, years int) (time.Time, error) {
	var res struct {
		Result struct {
			Renew   bool   `xml:"Renew,attr"`
			Expires string `xml:"DomainDetails>ExpiredDate"`
		} `xml:"DomainRenewResult"`
	}
	err := m.c.call(ctx, "namecheap.domains.renew", map[string][]string{"DomainName": {name}, "Years": {strconv.Itoa(years)}}, &res)
	if err != nil {
		return time.Time{}, asPermanent(err)
	}
	if !res.Result.Renew {
		return time.Time{}, permanent.Wrap(fmt.Errorf("namecheap did not renew %s", name))
	}
	return parseDate(res.Result.Expires)
}

func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(dateLayout, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("namecheap date %q: %w", s, err)
	}
	return t, nil
}
