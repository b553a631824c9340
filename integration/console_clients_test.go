package integration

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// An admin adds a client in the console (a refusal on its field, what was typed kept, never
// the password), edits them, and reads their tabs: Summary, Products/Services, Domains,
// Invoices, Orders, Emails.
func TestConsoleAddsAndEditsClients(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	ctx := context.Background()
	const email, password = "grace@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(ctx, email, "Grace Hopper", password)
	require.NoError(t, err)
	base := s.api.URL + "/admin"
	b := newBrowser(t)
	b.signIn(base, email, password)

	b.open(base + "/clients")
	b.submit(`a[href$="/clients/new"]`)
	require.Equal(t, "Add New Client", b.text(`h1`))
	b.do(chromedp.SendKeys(chromedp.CSS(`#first_name`), "Grace"), chromedp.SendKeys(chromedp.CSS(`#last_name`), "Brewster"),
		chromedp.SendKeys(chromedp.CSS(`#email`), "not an email"), chromedp.SendKeys(chromedp.CSS(`#city`), "Boston"),
		chromedp.SendKeys(chromedp.CSS(`#password`), "a long enough client password"))
	b.setValue(`#country`, "US")
	b.submit(`#client-form button[type=submit]`)
	require.NotEmpty(t, b.text(`#email ~ .field-error`))
	require.Equal(t, "not an email", b.value(`#email`), "what was typed is kept")
	require.Equal(t, "Boston", b.value(`#city`))
	require.Equal(t, "US", b.value(`#country`))
	require.Empty(t, b.value(`#password`), "never the password")
	b.screenshot("console-client-new-refused")

	b.setValue(`#email`, "grace.brewster@example.com")
	b.setValue(`#password`, "a long enough client password")
	b.submit(`#client-form button[type=submit]`)
	require.Equal(t, "Client Grace Brewster added.", b.text(`p.flash-ok`))
	require.Contains(t, b.text(`h1`), "Grace Brewster")
	require.Contains(t, b.text(`dl.summary`), "can sign in with a password")
	clientPath := strings.TrimPrefix(b.location(), s.api.URL)
	var clientID int64
	_, err = fmt.Sscanf(clientPath, "/admin/clients/%d", &clientID)
	require.NoError(t, err)

	// Edit: a taken email is refused on its field; then the details are saved.
	other := s.mustCall("POST", "/api/v1/clients", map[string]any{"first_name": "Ada", "last_name": "Lovelace",
		"email": "ada-taken@example.com", "country": "GB"}, 201)
	require.NotNil(t, other)
	b.submit(`a[href$="/edit"]`)
	b.setValue(`#email`, "ada-taken@example.com")
	b.submit(`#client-form button[type=submit]`)
	require.Contains(t, b.text(`#email ~ .field-error`), "already exists")
	b.setValue(`#email`, "grace@brewster.example")
	b.setValue(`#phone`, "+1 617 555 0100")
	b.submit(`#client-form button[type=submit]`)
	require.Equal(t, "Client details saved.", b.text(`p.flash-ok`))
	require.Contains(t, b.text(`dl.summary`), "grace@brewster.example")
	require.Contains(t, b.text(`dl.summary`), "+1 617 555 0100")

	// An order for them fills the tabs.
	_, productID := s.catalogue("payment")
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(float64(clientID), productID, "brewster.com"), 201)
	orderID := int64(placed["order_id"].(float64))
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", int64(placed["invoice_id"].(float64))),
		map[string]any{"transaction_id": "bank-gb"}, 201)
	s.eventually(orderID, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })

	b.open(s.api.URL + clientPath)
	require.Equal(t, "1", b.text(`#count-services a`))
	require.Equal(t, 1, b.count(fmt.Sprintf(`#order-%d`, orderID)))
	b.submit(`nav.tabs a[href$="/services"]`)
	require.Contains(t, b.text(`#part-client-services`), "brewster.com")
	require.Contains(t, b.text(`#part-client-services`), "Active")
	b.submit(`nav.tabs a[href$="/domains"]`)
	require.Contains(t, b.text(`#part-client-domains`), "brewster.com")
	b.submit(`nav.tabs a[href$="/invoices"]`)
	require.Contains(t, b.text(`#part-client-invoices`), "Paid")
	b.screenshot("console-client-invoices")
	b.submit(`nav.tabs a[href$="/orders"]`)
	require.Equal(t, 1, b.count(fmt.Sprintf(`#order-%d`, orderID)))
	b.submit(`nav.tabs a[href$="/emails"]`)
	require.Equal(t, "Emails", b.text(`#emails-h`))
	b.open(s.api.URL + clientPath + "/nothing-here")
	require.Contains(t, b.text(`h1`), "Not Found")
	b.noErrors()
}
