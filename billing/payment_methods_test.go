package billing

import (
	"strings"
	"testing"
)

func TestMethodName(t *testing.T) {
	for method, want := range map[string]string{"banktransfer": "Bank Transfer", "mailin": "Mail In Payment", "stripe": "Credit Card",
		"paypalcheckout": "PayPal", "cheque": "cheque"} {
		if got := MethodName(method); got != want {
			t.Errorf("MethodName(%q) = %q, want %q", method, got, want)
		}
	}
}

func TestCheckMethodChange(t *testing.T) {
	str := func(s string) *string { return &s }
	for _, tc := range []struct {
		name string
		in   MethodChange
		want string // the refusal, "" none
	}{
		{"nothing", MethodChange{}, ""},
		{"a name", MethodChange{DisplayName: str("Pay by card")}, ""},
		{"back to the default", MethodChange{DisplayName: str("")}, ""},
		{"64 characters", MethodChange{DisplayName: str(strings.Repeat("é", 64))}, ""},
		{"65 characters", MethodChange{DisplayName: str(strings.Repeat("a", 65))}, "display_name: must be at most 64 characters"},
		{"two lines", MethodChange{DisplayName: str("Bank\nTransfer")}, "display_name: must be one line"},
		{"spaces around are trimmed", MethodChange{DisplayName: str("  Card  \n")}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckMethodChange(tc.in)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("CheckMethodChange = %q, want %q", got, tc.want)
			}
		})
	}
}
