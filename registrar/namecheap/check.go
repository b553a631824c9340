package namecheap

import (
	"context"
	"fmt"
	"strings"

	"github.com/hostflow/hostflow/registrar"
)

// checkResult is one DomainCheckResult of namecheap.domains.check, every attribute Namecheap
// answers: ErrorNo and Description say why it could not check this one name; the premium
// prices and fees are decimals in the account's currency.
type checkResult struct {
	Domain                   string `xml:"Domain,attr"`
	Available                bool   `xml:"Available,attr"`
	ErrorNo                  string `xml:"ErrorNo,attr"`
	Description              string `xml:"Description,attr"`
	IsPremiumName            bool   `xml:"IsPremiumName,attr"`
	PremiumRegistrationPrice string `xml:"PremiumRegistrationPrice,attr"`
	PremiumRenewalPrice      string `xml:"PremiumRenewalPrice,attr"`
	PremiumRestorePrice      string `xml:"PremiumRestorePrice,attr"`
	PremiumTransferPrice     string `xml:"PremiumTransferPrice,attr"`
	IcannFee                 string `xml:"IcannFee,attr"`
	EapFee                   string `xml:"EapFee,attr"`
}

// MaxCheck is how many names one namecheap.domains.check may carry (Namecheap refuses more with
// error 2011169); Check sends a longer list in several commands.
const MaxCheck = 50

// Check asks Namecheap whether names are free to register (namecheap.domains.check). It is a
// read and changes nothing, so it may be repeated freely. Namecheap's refusal of the whole
// command (its error number and text) is returned as it is; a name it could not check alone
// carries its reason in Problem.
func (m *Module) Check(ctx context.Context, names []string) ([]registrar.Availability, error) {
	out := make([]registrar.Availability, 0, len(names))
	for len(names) > 0 {
		n := min(len(names), MaxCheck)
		part, err := m.check(ctx, names[:n])
		if err != nil {
			return nil, asPermanent(err)
		}
		out = append(out, part...)
		names = names[n:]
	}
	return out, nil
}

// check sends one namecheap.domains.check and answers in the order asked: Namecheap names each
// result by its domain, so a name it left out is an error, not a guess.
func (m *Module) check(ctx context.Context, names []string) ([]registrar.Availability, error) {
	var res struct {
		Results []checkResult `xml:"DomainCheckResult"`
	}
	if err := m.c.call(ctx, "namecheap.domains.check", map[string][]string{"DomainList": {strings.Join(names, ",")}}, &res); err != nil {
		return nil, err
	}
	byName := make(map[string]checkResult, len(res.Results))
	for _, r := range res.Results {
		byName[strings.ToLower(r.Domain)] = r
	}
	out := make([]registrar.Availability, len(names))
	for i, name := range names {
		r, ok := byName[strings.ToLower(name)]
		if !ok {
			return nil, fmt.Errorf("namecheap namecheap.domains.check: no answer for %s", name)
		}
		a := registrar.Availability{Name: name, Available: r.Available, Premium: r.IsPremiumName,
			PremiumRegistration: r.PremiumRegistrationPrice, PremiumRenewal: r.PremiumRenewalPrice,
			PremiumTransfer: r.PremiumTransferPrice, PremiumRestore: r.PremiumRestorePrice, IcannFee: r.IcannFee, EapFee: r.EapFee}
		if r.ErrorNo != "" && r.ErrorNo != "0" {
			a.Available, a.Problem = false, fmt.Sprintf("%s (error %s)", strings.TrimSpace(r.Description), r.ErrorNo)
		}
		out[i] = a
	}
	return out, nil
}
