package tax

import (
	"fmt"
	"regexp"
	"strings"
)

// vatFormat is how one EU member state writes its VAT numbers: the prefix VIES uses (the ISO
// code but for Greece, EL), what follows it, and an example for a refusal to show.
type vatFormat struct {
	Prefix  string
	Pattern *regexp.Regexp
	Example string
}

// vat is the VAT number format of each of the 27 EU member states, by ISO 3166 code. Only the
// shape is checked, never a checksum nor VIES: the check must answer at once and offline, and
// a number of the right shape that VIES does not know is the seller's to find out.
var vat = map[string]vatFormat{
	"AT": {"AT", regexp.MustCompile(`^U\d{8}$`), "ATU12345678"},
	"BE": {"BE", regexp.MustCompile(`^[01]\d{9}$`), "BE0123456789"},
	"BG": {"BG", regexp.MustCompile(`^\d{9,10}$`), "BG123456789"},
	"CY": {"CY", regexp.MustCompile(`^\d{8}[A-Z]$`), "CY12345678L"},
	"CZ": {"CZ", regexp.MustCompile(`^\d{8,10}$`), "CZ12345678"},
	"DE": {"DE", regexp.MustCompile(`^\d{9}$`), "DE123456789"},
	"DK": {"DK", regexp.MustCompile(`^\d{8}$`), "DK12345678"},
	"EE": {"EE", regexp.MustCompile(`^\d{9}$`), "EE123456789"},
	"ES": {"ES", regexp.MustCompile(`^([A-Z]\d{7}[A-Z0-9]|\d{8}[A-Z])$`), "ESX1234567X"},
	"FI": {"FI", regexp.MustCompile(`^\d{8}$`), "FI12345678"},
	"FR": {"FR", regexp.MustCompile(`^[0-9A-HJ-NP-Z]{2}\d{9}$`), "FR40303265045"},
	"GR": {"EL", regexp.MustCompile(`^\d{9}$`), "EL123456789"},
	"HR": {"HR", regexp.MustCompile(`^\d{11}$`), "HR12345678901"},
	"HU": {"HU", regexp.MustCompile(`^\d{8}$`), "HU12345678"},
	"IE": {"IE", regexp.MustCompile(`^(\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$`), "IE1234567WA"},
	"IT": {"IT", regexp.MustCompile(`^\d{11}$`), "IT12345678901"},
	"LT": {"LT", regexp.MustCompile(`^(\d{9}|\d{12})$`), "LT123456789"},
	"LU": {"LU", regexp.MustCompile(`^\d{8}$`), "LU12345678"},
	"LV": {"LV", regexp.MustCompile(`^\d{11}$`), "LV12345678901"},
	"MT": {"MT", regexp.MustCompile(`^\d{8}$`), "MT12345678"},
	"NL": {"NL", regexp.MustCompile(`^\d{9}B\d{2}$`), "NL123456789B01"},
	"PL": {"PL", regexp.MustCompile(`^\d{10}$`), "PL1234567890"},
	"PT": {"PT", regexp.MustCompile(`^\d{9}$`), "PT123456789"},
	"RO": {"RO", regexp.MustCompile(`^[1-9]\d{1,9}$`), "RO1234567890"},
	"SE": {"SE", regexp.MustCompile(`^\d{10}01$`), "SE123456789001"},
	"SI": {"SI", regexp.MustCompile(`^\d{8}$`), "SI12345678"},
	"SK": {"SK", regexp.MustCompile(`^\d{10}$`), "SK1234567890"},
}

// EU reports whether country (ISO 3166-1 alpha-2, any case) is a member state of the EU, whose
// VAT numbers are checked and between which VAT is reverse charged.
func EU(country string) bool {
	_, ok := vat[strings.ToUpper(strings.TrimSpace(country))]
	return ok
}

// vatNoise is what people write inside VAT numbers to group digits.
var vatNoise = strings.NewReplacer(" ", "", ".", "", "-", "", "\t", "")

// NormalTaxID is a client's tax id as it is kept: for a client in an EU member state, the VAT
// number in VIES's form (prefix and digits, no spaces: "FR40303265045"), written with or
// without the prefix, with or without spaces, dots and dashes ("40 303 265 045" for a French
// client), or a refusal saying the format expected. Greece's prefix is EL, GR is read as it.
// Any other country's tax id is free text, kept as given (trimmed); so is an empty one.
func NormalTaxID(country, id string) (string, error) {
	id = strings.TrimSpace(id)
	f, eu := vat[strings.ToUpper(strings.TrimSpace(country))]
	if !eu || id == "" {
		return id, nil
	}
	s := strings.ToUpper(vatNoise.Replace(id))
	// The number with the country's prefix first: a French number's two-character key may be
	// letters, so one written without its prefix is tried whole after.
	for _, p := range []string{f.Prefix, countryPrefix(f)} {
		if rest, ok := strings.CutPrefix(s, p); ok && f.Pattern.MatchString(rest) {
			return f.Prefix + rest, nil
		}
	}
	if f.Pattern.MatchString(s) {
		return f.Prefix + s, nil
	}
	return "", fmt.Errorf("%q is not a VAT number of %s: expected the form %s", id, strings.ToUpper(country), f.Example)
}

// countryPrefix is the ISO code a client may write instead of VIES's prefix (GR for EL).
func countryPrefix(f vatFormat) string {
	if f.Prefix == "EL" {
		return "GR"
	}
	return f.Prefix
}

// ValidVAT reports whether id is a VAT number of the EU member state country, in any of the
// forms NormalTaxID reads: what makes a client a business for the reverse charge.
func ValidVAT(country, id string) bool {
	if !EU(country) || strings.TrimSpace(id) == "" {
		return false
	}
	_, err := NormalTaxID(country, id)
	return err == nil
}
