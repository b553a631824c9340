package whmcs

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/whmcs/wire"
)

// TestCommands: the commands derived from order.Actions, and the others, are WHMCS's.
func TestCommands(t *testing.T) {
	want := []string{"acceptorder", "addclient", "addcredit", "addinvoicepayment", "addorder", "addtransaction", "applycredit", "cancelorder", "closeclient", "deleteorder", "domaingetnameservers", "domainregister",
		"domainrenew", "domaintransfer", "domainupdatenameservers", "fraudorder", "getclients", "getclientsdetails", "getclientsdomains", "getclientsproducts", "getcredits",
		"getcurrencies", "getinvoice", "getinvoices", "getmodulequeue", "getorders", "getorderstatuses", "getpaymentmethods",
		"getproducts", "getpromotions", "getservers", "gettldpricing", "gettransactions", "modulechangepackage", "modulechangepw", "modulecreate", "modulesuspend", "moduleterminate",
		"moduleunsuspend", "orderfraudcheck", "pendingorder", "updateclient", "updateclientdomain", "updateclientproduct", "updateinvoice",
		"validatelogin"}
	var got []string
	for name := range New(nil, zap.NewNop(), "").actions {
		got = append(got, name)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("commands %v, want %v", got, want)
	}
}

// TestRefusalsAnswer200: a failed action answers HTTP 200 with result error, as WHMCS does; a
// refused caller gets 403.
func TestRefusalsAnswer200(t *testing.T) {
	h := New(nil, zap.NewNop(), "")
	r := httptest.NewRequest("POST", "/includes/api.php", nil)
	for _, tc := range []struct {
		err    error
		status int
		body   string
	}{
		{wire.Fail("Order ID Not Found"), http.StatusOK, `{"message":"Order ID Not Found","result":"error"}`},
		{wire.Deny("Authentication Failed"), http.StatusForbidden, `{"message":"Authentication Failed","result":"error"}`},
	} {
		w := httptest.NewRecorder()
		h.write(w, r, wire.Params{Format: wire.JSON}, nil, tc.err)
		if w.Code != tc.status || strings.TrimSpace(w.Body.String()) != tc.body {
			t.Errorf("%v: %d %s, want %d %s", tc.err, w.Code, w.Body, tc.status, tc.body)
		}
	}
	w := httptest.NewRecorder()
	h.write(w, r, wire.Params{Format: wire.NVP}, nil, wire.Fail("Command Not Found"))
	if w.Code != http.StatusOK || w.Body.String() != "result=error;message=Command Not Found" {
		t.Errorf("nvp error: %d %q", w.Code, w.Body)
	}
}
