package input

import (
	"errors"
	"strings"
	"testing"

	"github.com/hostflow/hostflow/fault"
)

func TestNormalizeNameservers(t *testing.T) {
	six := strings.Split("a.example b.example c.example d.example e.example f.example", " ")
	for _, tc := range []struct {
		name  string
		ns    []string
		least int
		want  []string
		field string // of the refusal; "" for none
	}{
		{"normalised", []string{" NS1.Host.Example. ", "ns2.host.example"}, 2, []string{"ns1.host.example", "ns2.host.example"}, ""},
		{"none for an order", nil, 0, []string{}, ""},
		{"one where two are needed", []string{"ns1.host.example"}, 2, nil, "nameservers"},
		{"none where two are needed", nil, 2, nil, "nameservers"},
		{"five", six[:5], 2, six[:5], ""},
		{"six", six, 0, nil, "nameservers"},
		{"not a hostname", []string{"ns1.host.example", "not a host"}, 2, nil, "nameservers[1]"},
		{"only a dot", []string{"ns1.host.example", "."}, 2, nil, "nameservers[1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]string(nil), tc.ns...)
			got, err := Nameservers("nameservers", in, tc.least)
			var se *fault.Error
			switch {
			case tc.field == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.field != "" && (!errors.As(err, &se) || se.Kind != fault.Invalid || se.Field != tc.field):
				t.Fatalf("got %v, want a refusal of %s", err, tc.field)
			case tc.field == "" && strings.Join(got, ",") != strings.Join(tc.want, ","):
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if strings.Join(in, ",") != strings.Join(tc.ns, ",") {
				t.Errorf("the caller's slice changed: %q", in)
			}
		})
	}
}
