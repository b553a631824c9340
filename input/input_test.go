package input

import (
	"errors"
	"strings"
	"testing"

	"github.com/hostflow/hostflow/fault"
)

func TestCheckInput(t *testing.T) {
	type item struct {
		Domain string `json:"domain"`
	}
	type in struct {
		Name    string            `json:"name"`
		Notes   string            `json:"notes" input:"text"`
		Code    string            `json:"code" input:"max=8"`
		Items   []item            `json:"items"`
		Tags    map[string]string `json:"tags"`
		Secret  *string           `json:"secret"`
		Skipped string            `json:"-"`
	}
	nul := "a\x00b"
	for _, tc := range []struct {
		name  string
		v     in
		field string // "" for accepted
	}{
		{"plain", in{Name: "Ada Lovelace", Notes: "line one\nline two\ttab", Code: "SPRING25"}, ""},
		{"unicode", in{Name: "Zoë Ωmega 東京"}, ""},
		{"NUL in a name", in{Name: nul}, "name"},
		{"NUL in free text", in{Notes: nul}, "notes"},
		{"newline in a name", in{Name: "Ada\r\nBcc: x@example.com"}, "name"},
		{"escape in a name", in{Name: "Ada\x1b[31m"}, "name"},
		{"invalid UTF-8", in{Name: "\xff\xfe"}, "name"},
		{"too long", in{Name: strings.Repeat("a", maxLine+1)}, "name"},
		{"free text longer", in{Notes: strings.Repeat("a", maxLine+1)}, ""},
		{"free text too long", in{Notes: strings.Repeat("a", maxText+1)}, "notes"},
		{"own cap", in{Code: "123456789"}, "code"},
		{"in a slice", in{Items: []item{{"a.com"}, {"b\x00.com"}}}, "items[1].domain"},
		{"in a map", in{Tags: map[string]string{"k": nul}}, "tags.k"},
		{"behind a pointer", in{Secret: &nul}, "secret"},
		{"not an input", in{Skipped: nul}, ""},
	} {
		err := Check(tc.v)
		var se *fault.Error
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.field != "" && (!errors.As(err, &se) || se.Field != tc.field || se.Kind != fault.Invalid):
			t.Errorf("%s: got %v, want a refusal of %s", tc.name, err, tc.field)
		}
	}
}
