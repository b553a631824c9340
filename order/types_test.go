package order

import (
	"reflect"
	"testing"
)

func TestAcceptOptionsPerItem(t *testing.T) {
	yes, no := true, false
	o := AcceptOptions{ServerID: 1, Username: "shared", PasswordSealed: []byte("p"), RunModuleCreate: &yes, Registrar: "namecheap",
		Services: []ServiceChoice{{ID: 10, ServerID: 2, Username: "own", RunModuleCreate: &no}},
		Domains:  []DomainChoice{{ID: 20, SendToRegistrar: &no}}}
	for _, tc := range []struct {
		name string
		got  any
		want any
	}{
		{"an item's own choices win", o.Service(10, false), ServiceChoice{ID: 10, ServerID: 2, Username: "own", RunModuleCreate: &no}},
		{"the order's for the rest, no shared username", o.Service(11, false), ServiceChoice{ID: 11, ServerID: 1, RunModuleCreate: &yes}},
		{"an only service takes the order's username and password", o.Service(11, true),
			ServiceChoice{ID: 11, ServerID: 1, Username: "shared", PasswordSealed: []byte("p"), RunModuleCreate: &yes}},
		{"a domain's own", o.Domain(20), DomainChoice{ID: 20, Registrar: "namecheap", SendToRegistrar: &no}},
		{"a domain with none", o.Domain(21), DomainChoice{ID: 21, Registrar: "namecheap"}},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s: got %+v, want %+v", tc.name, tc.got, tc.want)
		}
	}
}
