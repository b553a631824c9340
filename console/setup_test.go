package console

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/fault"
)

// A refusal lands on the field it names when the form has it, else above the form; an error
// that is no refusal is the caller's to show as a server error.
func TestRefusedLandsOnItsField(t *testing.T) {
	for _, tc := range []struct {
		err    error
		want   fieldErrors
		status int
		ok     bool
	}{
		{err: fault.Invalidf("hostname", "is not a hostname"), want: fieldErrors{"hostname": "is not a hostname"}, status: http.StatusUnprocessableEntity, ok: true},
		{err: fault.Invalidf("product_ids[1]", "no product 9"), want: fieldErrors{"product_ids": "no product 9"}, status: http.StatusUnprocessableEntity, ok: true},
		{err: &fault.Error{Kind: fault.Conflict, Field: "code", Message: "taken"}, want: fieldErrors{"code": "taken"}, status: http.StatusUnprocessableEntity, ok: true},
		{err: fault.Invalidf("elsewhere", "odd"), want: fieldErrors{"": "elsewhere: odd"}, status: http.StatusUnprocessableEntity, ok: true},
		{err: fault.Absent("no server 9"), want: fieldErrors{"": "no server 9"}, status: http.StatusNotFound, ok: true},
		{err: fmt.Errorf("update: %w", fault.Invalidf("name", "is required")), want: fieldErrors{"name": "is required"}, status: http.StatusUnprocessableEntity, ok: true},
		{err: &fault.Error{Kind: fault.Unavailable, Message: "later"}},
		{err: errors.New("connection reset")},
	} {
		got, status, ok := refused(tc.err, "hostname", "product_ids", "code", "name")
		require.Equal(t, tc.ok, ok, "%v", tc.err)
		require.Equal(t, tc.want, got, "%v", tc.err)
		require.Equal(t, tc.status, status, "%v", tc.err)
	}
}

func TestSetupTemplates(t *testing.T) {
	admin := &access.Admin{Email: "ops@example.com", Name: "Ops"}
	srv := &catalog.Server{ID: 3, Name: "whm1", Module: "cpanel", Hostname: "whm.example.net", Accounts: 2, MaxAccounts: 200, Active: true}
	body := renderPage(t, "setup-server", &page.View{Title: "Edit Server whm1", Admin: admin, Data: serverView{Server: srv,
		Form:    serverForm{Name: "whm1", Hostname: "bad/host", Module: "cpanel", Username: "root", MaxAccounts: "200"},
		Modules: []moduleOption{{"cpanel", "cPanel & WHM"}, {"none", "None"}}, Errors: fieldErrors{"hostname": "is not a hostname"}}})
	for _, want := range []string{`action="/admin/setup/servers/3/test"`, `id="test-connection"`, `value="bad/host"`,
		`<small class="field-error" id="hostname-error">is not a hostname</small>`, `aria-invalid="true"`,
		`<option value="cpanel" selected>cPanel &amp; WHM</option>`, `name="credentials" type="password" value=""`, "Leave empty to keep"} {
		require.Contains(t, body, want)
	}
	body = renderPage(t, "setup-servers", &page.View{Title: "Servers", Admin: admin, Data: serverListView{Servers: []catalog.Server{*srv,
		{ID: 4, Name: "old", Module: "none", Hostname: "old.example.net"}}, Labels: moduleLabels}})
	for _, want := range []string{`href="/admin/setup/servers/3">whm1</a>`, "2 / 200", "0 / no limit", `status-disabled">Disabled`,
		`action="/admin/setup/servers/3/active"`, `name="active" value="0"`, `name="active" value="1"`, "cPanel &amp; WHM"} {
		require.Contains(t, body, want)
	}

	tld := &catalog.TLD{TLD: ".com", Currency: "USD", RegisterPrice: 1200, TransferPrice: 1000, RenewPrice: 1300, EPPRequired: true}
	body = renderPage(t, "setup-tlds", &page.View{Title: "Domain Pricing", Admin: admin, Data: tldListView{TLDs: []catalog.TLD{*tld}}})
	for _, want := range []string{`href="/admin/setup/tlds/.com">.com</a>`, "12.00", "10.00", "13.00", "None", "Required"} {
		require.Contains(t, body, want)
	}
	body = renderPage(t, "setup-tld", &page.View{Title: "Domain Pricing for .com", Admin: admin, Data: tldView{TLD: tld,
		Form: tldForm{TLD: ".com", Currency: "USD", Register: "12.00", Transfer: "ten", Renew: "13.00", EPPRequired: true}, Registrars: []string{"namecheap"},
		Periods: []periodPrice{{Years: 2, Register: "24.00", Transfer: "20.00", Renew: "26.00"}}, Errors: fieldErrors{"transfer_price": `"ten" is not a decimal amount`}}})
	for _, want := range []string{`value="ten"`, `id="transfer_price-error">&#34;ten&#34; is not a decimal amount`, `id="epp_required" name="epp_required" value="1" checked`,
		`<option>namecheap</option>`, "2 years", "26.00", "readonly"} {
		require.Contains(t, body, want)
	}

	promo := billing.Promotion{ID: 5, Code: "SPRING", Type: billing.PromotionFixed, Amount: 500, Currency: "USD", Uses: 3, MaxUses: 10,
		ExpiresOn: time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC)}
	body = renderPage(t, "setup-promotions", &page.View{Title: "Promotions", Admin: admin, Data: promotionListView{Promotions: []promotionRow{
		{Promotion: promo, Value: "5.00 USD", AppliesTo: "Starter"}}}})
	for _, want := range []string{`href="/admin/setup/promotions/5">SPRING</a>`, "Fixed Amount", "5.00 USD", "Starter", "2026-05-31", "3 / 10"} {
		require.Contains(t, body, want)
	}
	body = renderPage(t, "setup-promotion", &page.View{Title: "Edit Promotion SPRING", Admin: admin, Data: promotionView{Promotion: &promo,
		Form:     promotionForm{Code: "SPRING", Type: "fixed", Value: "5.00", Currency: "USD", MaxUses: "2", ProductIDs: []int64{1}},
		Products: []productChoice{{Product: catalog.Product{ID: 1, Name: "Starter"}, Ticked: true}, {Product: catalog.Product{ID: 2, Name: "Business"}}},
		Errors:   fieldErrors{"max_uses": "it has been used 3 times"}}})
	for _, want := range []string{`<option value="fixed" selected>Fixed Amount</option>`, `id="product-1" name="product_ids" value="1" checked>`,
		`id="product-2" name="product_ids" value="2">`, `id="max_uses-error">it has been used 3 times`, `<output id="uses">3</output>`} {
		require.Contains(t, body, want)
	}
}
