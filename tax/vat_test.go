package tax

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Each member state's VAT number: written as people write it (with or without the prefix,
// with spaces, dots or dashes) it is kept in VIES's form; a number of the wrong shape is
// refused with the form expected.
func TestNormalTaxID(t *testing.T) {
	for _, tc := range []struct {
		country string
		valid   map[string]string // as written → as kept
		invalid []string
	}{
		{"AT", map[string]string{"ATU12345678": "ATU12345678", "U12345678": "ATU12345678", "atu 1234 5678": "ATU12345678"},
			[]string{"AT12345678", "ATU1234567", "ATU123456789"}},
		{"BE", map[string]string{"BE0123456789": "BE0123456789", "0123.456.789": "BE0123456789", "BE 1234 567 890": "BE1234567890"},
			[]string{"BE123456789", "BE2123456789", "BE01234567890"}},
		{"BG", map[string]string{"BG123456789": "BG123456789", "1234567890": "BG1234567890"},
			[]string{"BG12345678", "BG12345678901"}},
		{"CY", map[string]string{"CY12345678L": "CY12345678L", "12345678-l": "CY12345678L"},
			[]string{"CY123456789", "CY1234567L"}},
		{"CZ", map[string]string{"CZ12345678": "CZ12345678", "CZ123456789": "CZ123456789", "1234567890": "CZ1234567890"},
			[]string{"CZ1234567", "CZ12345678901"}},
		{"DE", map[string]string{"DE123456789": "DE123456789", "123 456 789": "DE123456789", "de-123.456.789": "DE123456789"},
			[]string{"DE12345678", "DE1234567890", "DE12345678X"}},
		{"DK", map[string]string{"DK12345678": "DK12345678", "12 34 56 78": "DK12345678"},
			[]string{"DK1234567", "DK123456789"}},
		{"EE", map[string]string{"EE123456789": "EE123456789", "123456789": "EE123456789"},
			[]string{"EE12345678", "EE1234567890"}},
		{"ES", map[string]string{"ESX1234567X": "ESX1234567X", "B12345678": "ESB12345678", "12345678Z": "ES12345678Z"},
			[]string{"ES123456789", "ESX123456"}},
		{"FI", map[string]string{"FI12345678": "FI12345678", "1234567-8": "FI12345678"},
			[]string{"FI1234567", "FI123456789"}},
		{"FR", map[string]string{"FR40303265045": "FR40303265045", "40 303 265 045": "FR40303265045",
			"FRAB123456789": "FRAB123456789", "DE123456789": "FRDE123456789"},
			[]string{"FR4030326504", "FRIO123456789", "FR403032650456"}},
		{"GR", map[string]string{"EL123456789": "EL123456789", "GR123456789": "EL123456789", "123456789": "EL123456789"},
			[]string{"EL12345678", "EL1234567890"}},
		{"HR", map[string]string{"HR12345678901": "HR12345678901", "12345678901": "HR12345678901"},
			[]string{"HR1234567890", "HR123456789012"}},
		{"HU", map[string]string{"HU12345678": "HU12345678", "1234-5678": "HU12345678"},
			[]string{"HU1234567", "HU123456789"}},
		{"IE", map[string]string{"IE1234567WA": "IE1234567WA", "1234567T": "IE1234567T", "IE1A23456W": "IE1A23456W"},
			[]string{"IE123456789", "IE1234567"}},
		{"IT", map[string]string{"IT12345678901": "IT12345678901", "123 456 789 01": "IT12345678901"},
			[]string{"IT1234567890", "IT123456789012"}},
		{"LT", map[string]string{"LT123456789": "LT123456789", "123456789012": "LT123456789012"},
			[]string{"LT1234567890", "LT12345678"}},
		{"LU", map[string]string{"LU12345678": "LU12345678", "12345678": "LU12345678"},
			[]string{"LU1234567", "LU123456789"}},
		{"LV", map[string]string{"LV12345678901": "LV12345678901", "12345678901": "LV12345678901"},
			[]string{"LV1234567890", "LV123456789012"}},
		{"MT", map[string]string{"MT12345678": "MT12345678", "1234 5678": "MT12345678"},
			[]string{"MT1234567", "MT123456789"}},
		{"NL", map[string]string{"NL123456789B01": "NL123456789B01", "1234.56.789.B.01": "NL123456789B01"},
			[]string{"NL123456789", "NL123456789A01", "NL12345678B01"}},
		{"PL", map[string]string{"PL1234567890": "PL1234567890", "123-456-78-90": "PL1234567890"},
			[]string{"PL123456789", "PL12345678901"}},
		{"PT", map[string]string{"PT123456789": "PT123456789", "123 456 789": "PT123456789"},
			[]string{"PT12345678", "PT1234567890"}},
		{"RO", map[string]string{"RO1234567890": "RO1234567890", "RO12": "RO12", "18547290": "RO18547290"},
			[]string{"RO1", "RO0123456", "RO12345678901"}},
		{"SE", map[string]string{"SE123456789001": "SE123456789001", "1234567890 01": "SE123456789001"},
			[]string{"SE123456789002", "SE12345678901"}},
		{"SI", map[string]string{"SI12345678": "SI12345678", "12345678": "SI12345678"},
			[]string{"SI1234567", "SI123456789"}},
		{"SK", map[string]string{"SK1234567890": "SK1234567890", "1234567890": "SK1234567890"},
			[]string{"SK123456789", "SK12345678901"}},
	} {
		t.Run(tc.country, func(t *testing.T) {
			require.True(t, EU(tc.country))
			for in, want := range tc.valid {
				got, err := NormalTaxID(tc.country, in)
				require.NoError(t, err, in)
				require.Equal(t, want, got, in)
				require.True(t, ValidVAT(tc.country, in), in)
				again, err := NormalTaxID(tc.country, got)
				require.NoError(t, err, "as kept, %s is read back the same", got)
				require.Equal(t, got, again)
			}
			for _, in := range tc.invalid {
				_, err := NormalTaxID(tc.country, in)
				require.ErrorContains(t, err, "is not a VAT number of "+tc.country, in)
				require.ErrorContains(t, err, vat[tc.country].Example, "the refusal shows the form")
				require.False(t, ValidVAT(tc.country, in), in)
			}
			require.Contains(t, vat[tc.country].Example, vat[tc.country].Prefix)
			_, err := NormalTaxID(tc.country, vat[tc.country].Example)
			require.NoError(t, err, "the example a refusal shows is valid")
		})
	}
	require.Len(t, vat, 27, "the EU's 27 member states")
}

// A tax id outside the EU, or none, is free text, kept as given; a country in any case is read.
func TestNormalTaxIDOutsideTheEU(t *testing.T) {
	for _, tc := range []struct{ country, in, want string }{
		{"GB", " GB123456789 ", "GB123456789"},
		{"US", "12-3456789", "12-3456789"},
		{"CH", "CHE-123.456.789 MWST", "CHE-123.456.789 MWST"},
		{"", "anything", "anything"},
		{"FR", "  ", ""},
		{"fr", "fr 40 303 265 045", "FR40303265045"},
	} {
		got, err := NormalTaxID(tc.country, tc.in)
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got)
	}
	require.False(t, EU("GB"))
	require.False(t, EU("CH"))
	require.False(t, ValidVAT("GB", "GB123456789"), "a VAT number outside the EU is no EU VAT number")
	require.False(t, ValidVAT("FR", ""))
}
