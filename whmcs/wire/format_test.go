package wire

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestNVP: WHMCS's name=value pairs are key=value joined by ";", result first.
func TestNVP(t *testing.T) {
	var b strings.Builder
	if err := writeNVP(&b, Reply{"result": "success", "orderid": "7", "invoiceid": int64(9), "nested": map[string]any{"a": 1}, "ok": true}); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "result=success;invoiceid=9;nested=Array;ok=1;orderid=7"; got != want {
		t.Errorf("nvp %q, want %q", got, want)
	}
}

// TestFormatCheck: responsetype in any case; NVP refused for the actions WHMCS answers only
// structured; an unknown type refused in WHMCS's words.
func TestFormatCheck(t *testing.T) {
	for _, tc := range []struct {
		responsetype, action, message string
	}{
		{"JSON", "getorders", ""},
		{"Xml", "getorders", ""},
		{"NVP", "acceptorder", ""},
		{"nvp", "getorders", "This API action only supports the XML or JSON response type formats"},
		{"yaml", "acceptorder", `Unsupported API response type format "yaml". Supported formats include: json, xml, nvp`},
	} {
		r := httptest.NewRequest("POST", "/includes/api.php", strings.NewReader(url.Values{"responsetype": {tc.responsetype}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		p, err := Parse(r)
		if err != nil {
			t.Fatal(err)
		}
		err = p.Format.Check(tc.action)
		if got := ""; err != nil {
			got = err.Error()
			if got != tc.message {
				t.Errorf("%s %s: %q, want %q", tc.responsetype, tc.action, got, tc.message)
			}
		} else if tc.message != "" {
			t.Errorf("%s %s: accepted, want %q", tc.responsetype, tc.action, tc.message)
		}
	}
}
