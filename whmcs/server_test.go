package whmcs

import (
	"slices"
	"testing"

	"go.uber.org/zap"
)

// TestCommands: the commands derived from order.Actions, and the others, are WHMCS's.
func TestCommands(t *testing.T) {
	want := []string{"acceptorder", "addclient", "addinvoicepayment", "addorder", "addtransaction", "cancelorder", "deleteorder", "domaingetnameservers", "domainregister",
		"domainrenew", "domaintransfer", "domainupdatenameservers", "fraudorder", "getclients", "getclientsdetails", "getclientsdomains", "getclientsproducts",
		"getcurrencies", "getinvoice", "getinvoices", "getmodulequeue", "getorders", "getorderstatuses", "getpaymentmethods",
		"getproducts", "getpromotions", "getservers", "gettldpricing", "gettransactions", "modulechangepackage", "modulechangepw", "modulecreate", "modulesuspend", "moduleterminate",
		"moduleunsuspend", "orderfraudcheck", "pendingorder", "updateclientdomain", "updateclientproduct", "updateinvoice"}
	var got []string
	for name := range New(nil, zap.NewNop()).actions {
		got = append(got, name)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("commands %v, want %v", got, want)
	}
}
