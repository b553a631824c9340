package billing

import "testing"

func TestMethodName(t *testing.T) {
	for method, want := range map[string]string{"banktransfer": "Bank Transfer", "mailin": "Mail In Payment", "stripe": "Credit Card",
		"paypalcheckout": "PayPal", "cheque": "cheque"} {
		if got := MethodName(method); got != want {
			t.Errorf("MethodName(%q) = %q, want %q", method, got, want)
		}
	}
}
