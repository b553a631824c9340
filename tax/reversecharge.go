package tax

import "strings"

// ReverseChargeNote is the line an invoice carries when its VAT is reverse charged. WHMCS has
// no such note (third parties add one with hooks), so the words are the Directive's own
// article, which is what the law asks the invoice to cite.
const ReverseChargeNote = "VAT reverse charged: Article 196 of Council Directive 2006/112/EC"

// ReverseCharged reports whether client c's VAT is reverse charged by a seller in
// sellerCountry: the seller is in the EU, the client in another member state with a valid VAT
// number of it (a business). A client in the seller's own country pays VAT as usual; a client
// outside the EU is taxed by the rules of their country. An exempt client is exempt first.
func ReverseCharged(sellerCountry string, c Client) bool {
	seller, client := strings.ToUpper(strings.TrimSpace(sellerCountry)), strings.ToUpper(strings.TrimSpace(c.Country))
	return !c.Exempt && EU(seller) && EU(client) && seller != client && ValidVAT(client, c.TaxID)
}

// Choice is what tax a client pays: the rule of each level that applies to them (Has1, Has2
// false for a level with none), or, ReverseCharge, none, their VAT being reverse charged.
type Choice struct {
	Level1, Level2 Rule
	Has1, Has2     bool
	ReverseCharge  bool
}

// Choose picks client c's tax under settings s from rules: the one place it is chosen, which
// Compute then charges. Off or for an exempt client nothing applies (tax_exempt wins over the
// reverse charge); a business in another EU member state is reverse charged; anyone else pays
// the most specific rule of each level for their country and state (Pick).
func Choose(s Settings, rules []Rule, c Client) Choice {
	switch {
	case !s.Enabled || c.Exempt:
		return Choice{}
	case ReverseCharged(s.SellerCountry, c):
		return Choice{ReverseCharge: true}
	}
	var ch Choice
	ch.Level1, ch.Has1 = Pick(rules, Level1, c)
	ch.Level2, ch.Has2 = Pick(rules, Level2, c)
	return ch
}
