package whmcs

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"go.uber.org/zap"
)

// TestNVP: WHMCS's name=value pairs are key=value joined by ";", result first.
func TestNVP(t *testing.T) {
	var b strings.Builder
	if err := writeNVP(&b, reply{"result": "success", "orderid": "7", "invoiceid": int64(9), "nested": map[string]any{"a": 1}, "ok": true}); err != nil {
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
		p, err := parse(r)
		if err != nil {
			t.Fatal(err)
		}
		err = p.format.check(tc.action)
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

// TestRefusalsAnswer200: a failed action answers HTTP 200 with result error, as WHMCS does; a
// refused caller gets 403.
func TestRefusalsAnswer200(t *testing.T) {
	h := New(nil, zap.NewNop())
	r := httptest.NewRequest("POST", "/includes/api.php", nil)
	for _, tc := range []struct {
		err    error
		status int
		body   string
	}{
		{fail("Order ID Not Found"), http.StatusOK, `{"message":"Order ID Not Found","result":"error"}`},
		{deny("Authentication Failed"), http.StatusForbidden, `{"message":"Authentication Failed","result":"error"}`},
	} {
		w := httptest.NewRecorder()
		h.write(w, r, params{format: formatJSON}, nil, tc.err)
		if w.Code != tc.status || strings.TrimSpace(w.Body.String()) != tc.body {
			t.Errorf("%v: %d %s, want %d %s", tc.err, w.Code, w.Body, tc.status, tc.body)
		}
	}
	w := httptest.NewRecorder()
	h.write(w, r, params{format: formatNVP}, nil, fail("Command Not Found"))
	if w.Code != http.StatusOK || w.Body.String() != "result=error;message=Command Not Found" {
		t.Errorf("nvp error: %d %q", w.Code, w.Body)
	}
}
