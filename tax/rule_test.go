package tax

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseRate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Rate
		bad  string
	}{
		{in: "20", want: 20000},
		{in: "17.5", want: 17500},
		{in: "7.125", want: 7125},
		{in: " 0 ", want: 0},
		{in: "100", want: 100000},
		{in: "100.000", want: 100000},
		{in: "0.001", want: 1},
		{in: "100.001", bad: "more than 100"},
		{in: "1000", bad: "more than 100"},
		{in: "1.2345", bad: "more than 3 decimals"},
		{in: "-1", bad: "not a percentage"},
		{in: "", bad: "not a percentage"},
		{in: "1e2", bad: "not a percentage"},
		{in: ".5", bad: "not a percentage"},
		{in: "5.", bad: "not a percentage"},
		{in: "99999999999999999999", bad: "more than 100"},
	} {
		got, err := ParseRate(tc.in)
		if tc.bad != "" {
			require.ErrorContains(t, err, tc.bad, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got, tc.in)
	}
	require.Equal(t, "20.000", Rate(20000).String())
	require.Equal(t, "7.125", Rate(7125).String())
	require.Equal(t, "0.000", Rate(0).String())
	require.Equal(t, "20", Rate(20000).Short())
	require.Equal(t, "17.5", Rate(17500).Short())
	require.Equal(t, "0", Rate(0).Short())
}

func TestRuleNormal(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rule  Rule
		want  Rule
		field string
		msg   string
	}{
		{name: "a country in any case", rule: Rule{Level: 1, Name: " VAT ", Country: "gb", Rate: 20000},
			want: Rule{Level: 1, Name: "VAT", Country: "GB", Rate: 20000}},
		{name: "a blank name is Tax", rule: Rule{Level: 2, Rate: 5000}, want: Rule{Level: 2, Name: "Tax", Rate: 5000}},
		{name: "a state of a country", rule: Rule{Level: 1, Name: "CA", Country: "US", State: "CA", Rate: 7250},
			want: Rule{Level: 1, Name: "CA", Country: "US", State: "CA", Rate: 7250}},
		{name: "level 3", rule: Rule{Level: 3, Rate: 1}, field: "level", msg: "must be 1 or 2"},
		{name: "level 0", rule: Rule{Rate: 1}, field: "level", msg: "must be 1 or 2"},
		{name: "over 100%", rule: Rule{Level: 1, Rate: 100001}, field: "rate", msg: "from 0 to 100"},
		{name: "a country of three letters", rule: Rule{Level: 1, Country: "GBR"}, field: "country", msg: "ISO 3166"},
		{name: "no such country", rule: Rule{Level: 1, Country: "ZZ"}, field: "country", msg: "ISO 3166"},
		{name: "a region, not a country", rule: Rule{Level: 1, Country: "EU"}, field: "country", msg: "ISO 3166"},
		{name: "a state without a country", rule: Rule{Level: 1, State: "CA"}, field: "state", msg: StateNeedsCountry},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.rule.Normal()
			if tc.field == "" {
				require.NoError(t, err)
				require.Equal(t, tc.want, got)
				return
			}
			var fe *FieldError
			require.ErrorAs(t, err, &fe)
			require.Equal(t, tc.field, fe.Field)
			require.Contains(t, fe.Message, tc.msg)
		})
	}
}
