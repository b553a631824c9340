package namecheap

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/hostflow/hostflow/registrar"
)

// contactParams fills the four contact sets Namecheap requires (registrant, tech, admin,
// billing) from the client, refusing before any call what Namecheap would refuse.
func contactParams(c registrar.Contact) (map[string][]string, error) {
	phone, err := namecheapPhone(c.Phone, c.Country)
	if err != nil {
		return nil, err
	}
	required := []struct{ name, value string }{{"first name", c.FirstName}, {"last name", c.LastName}, {"address", c.Address1},
		{"city", c.City}, {"postcode", c.Postcode}, {"country", c.Country}, {"email", c.Email}}
	for _, f := range required {
		if strings.TrimSpace(f.value) == "" {
			return nil, fmt.Errorf("the client's %s is required to register a domain", f.name)
		}
	}
	state := c.State
	if state == "" {
		state = c.City // Namecheap requires StateProvince; countries without states use the city
	}
	out := map[string][]string{}
	for _, role := range []string{"Registrant", "Tech", "Admin", "AuxBilling"} {
		set := map[string]string{"FirstName": c.FirstName, "LastName": c.LastName, "Address1": c.Address1, "City": c.City,
			"StateProvince": state, "PostalCode": c.Postcode, "Country": strings.ToUpper(c.Country), "Phone": phone,
			"EmailAddress": c.Email}
		if c.Company != "" {
			set["OrganizationName"] = c.Company
		}
		for k, v := range set {
			out[role+k] = []string{v}
		}
	}
	return out, nil
}

// callingCodes holds the country calling codes of the countries most hosting clients are in;
// a phone from elsewhere must be given as +CC.NUMBER.
var callingCodes = map[string]string{"US": "1", "CA": "1", "GB": "44", "IE": "353", "DE": "49", "FR": "33", "NL": "31",
	"BE": "32", "LU": "352", "ES": "34", "PT": "351", "IT": "39", "CH": "41", "AT": "43", "DK": "45", "SE": "46", "NO": "47",
	"FI": "358", "PL": "48", "CZ": "420", "RO": "40", "GR": "30", "TR": "90", "RU": "7", "UA": "380", "IN": "91", "PK": "92",
	"CN": "86", "HK": "852", "JP": "81", "KR": "82", "SG": "65", "MY": "60", "ID": "62", "PH": "63", "TH": "66", "VN": "84",
	"AU": "61", "NZ": "64", "ZA": "27", "NG": "234", "KE": "254", "EG": "20", "AE": "971", "IL": "972", "SA": "966",
	"BR": "55", "MX": "52", "AR": "54", "CL": "56", "CO": "57", "PE": "51"}

// namecheapPhone writes a phone number as Namecheap wants it: +CC.NUMBER.
func namecheapPhone(phone, country string) (string, error) {
	p := strings.TrimSpace(phone)
	if p == "" {
		return "", fmt.Errorf("the client's phone number is required to register a domain")
	}
	if cc, rest, ok := strings.Cut(p, "."); ok && strings.HasPrefix(cc, "+") && digits(cc[1:]) != "" && digits(rest) == stripSpaces(rest) {
		return cc + "." + digits(rest), nil
	}
	d := digits(p)
	code := callingCodes[strings.ToUpper(country)]
	switch {
	case strings.HasPrefix(p, "+") && code != "" && strings.HasPrefix(d, code):
		return "+" + code + "." + d[len(code):], nil
	case !strings.HasPrefix(p, "+") && code != "":
		return "+" + code + "." + strings.TrimPrefix(d, "0"), nil
	}
	return "", fmt.Errorf("the client's phone %q must be written +CC.NUMBER (for example +44.2079460000)", phone)
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

func stripSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return r
	}, s)
}
