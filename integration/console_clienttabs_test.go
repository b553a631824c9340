package integration

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// An admin keeps notes about a client on their Notes tab, reads the client's Log (the notes and
// their orders' audit trails, in words), and closes the client: the page asks first, saying
// what happens to each order; the client is Closed, their Pending order is cancelled by its
// workflow (its account terminated), their Active order is left and named, and a new order for
// them is refused.
func TestConsoleClientNotesLogAndClose(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	ctx := context.Background()
	const email, password = "grace@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(ctx, email, "Grace Hopper", password)
	require.NoError(t, err)
	if dir := os.Getenv("HOSTFLOW_SCREENSHOTS"); dir != "" {
		require.NoError(t, os.MkdirAll(dir, 0o755))
	}

	// Two paid orders, each with an account on the panel: one left Pending for the admin's
	// review, one accepted (Active).
	clientID, productID := s.catalogue("payment")
	place := func(domain string) (int64, string) {
		placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, domain), 201)
		id := int64(placed["order_id"].(float64))
		s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", int64(placed["invoice_id"].(float64))),
			map[string]any{"transaction_id": "bank-" + domain}, 201)
		o := s.eventually(id, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
		return id, o["order_number"].(string)
	}
	pendingID, pendingNumber := place("pending-one.com")
	activeID, activeNumber := place("active-one.com")
	s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/accept", activeID), map[string]any{}, 200)
	s.eventually(activeID, func(o map[string]any) bool { return o["status"] == "Active" })

	base := s.api.URL + "/admin"
	clientPath := fmt.Sprintf("%s/clients/%d", base, int64(clientID))
	b := newBrowser(t)
	b.signIn(base, email, password)

	// Notes: add one, edit it; an empty one is refused on its field.
	b.open(clientPath)
	b.submit(`nav.tabs a[href$="/notes"]`)
	require.Equal(t, "Notes", b.text(`#notes-h`))
	require.Contains(t, b.text(`#part-client-notes`), "No notes yet.")
	b.do(chromedp.SendKeys(chromedp.CSS(`#note`), "Prefers email.\nCall before 10am."))
	b.submit(`form.add-note button[type=submit]`)
	require.Equal(t, "Note added.", b.text(`p.flash-ok`))
	require.Contains(t, b.text(`#part-client-notes`), "Prefers email.")
	require.Contains(t, b.text(`#part-client-notes`), "Grace Hopper")
	b.do(chromedp.Click(chromedp.CSS(`#part-client-notes details summary`), chromedp.NodeVisible))
	b.setValue(`#part-client-notes textarea`, "Prefers email; never phone.")
	b.submit(`#part-client-notes details form button[type=submit]`)
	require.Equal(t, "Note saved.", b.text(`p.flash-ok`))
	require.Contains(t, b.text(`#part-client-notes`), "Prefers email; never phone.")
	require.Contains(t, b.text(`#part-client-notes`), "edited by Grace Hopper")
	b.screenshot("console-client-notes")
	notes := s.mustCall("GET", fmt.Sprintf("/api/v1/clients/%d/notes", int64(clientID)), nil, 200)
	require.Len(t, notes["notes"], 1)
	require.Equal(t, "admin:"+email, notes["notes"].([]any)[0].(map[string]any)["actor"])
	out := s.mustCall("POST", fmt.Sprintf("/api/v1/clients/%d/notes", int64(clientID)), map[string]any{"note": "  "}, 422)
	require.Equal(t, "note", out["field"], "%v", out)

	// Log: the notes and the orders' audit trails, newest first, in words.
	b.submit(`nav.tabs a[href$="/log"]`)
	log := b.text(`#client-log`)
	require.Contains(t, log, "Note added")
	require.Contains(t, log, "Note edited")
	require.Contains(t, log, "Grace Hopper")
	require.Contains(t, log, "Order placed")
	require.Contains(t, log, "Accept Order")
	require.Contains(t, log, "#"+pendingNumber)
	require.NotContains(t, log, "admin:")
	b.screenshot("console-client-log")

	// Close Client asks first, saying what happens to each order.
	b.open(clientPath)
	b.submit(`#close-client`)
	statement := b.text(`#close-statement`)
	require.Contains(t, statement, "will be set to Closed")
	require.Contains(t, statement, "1 Pending order will be cancelled")
	require.Contains(t, statement, "#"+pendingNumber+": 1 live account to terminate")
	require.Contains(t, statement, "1 Active order will be left")
	require.Contains(t, statement, "#"+activeNumber)
	b.screenshot("console-client-close")
	_, terminatesBefore := s.panel.counts()
	b.submit(`#close-form button[type=submit]`)
	require.Contains(t, b.text(`h1`), "Closed")
	flash := b.text(`p.flash-ok`)
	require.Contains(t, flash, "1 order cancelled through its workflow: #"+pendingNumber)
	require.Contains(t, flash, "1 order Active, left as it is (#"+activeNumber+")")
	require.Equal(t, 0, b.count(`#close-client`), "a Closed client has no Close Client")
	b.screenshot("console-client-closed")

	// The Pending order was cancelled by its workflow, which terminated its account; the
	// Active one is untouched.
	o := s.eventually(pendingID, func(o map[string]any) bool { return o["status"] == "Cancelled" })
	require.Equal(t, "Cancelled", o["status"])
	_, terminates := s.panel.counts()
	require.Equal(t, terminatesBefore+1, terminates)
	require.Equal(t, "Active", s.mustCall("GET", fmt.Sprintf("/api/v1/orders/%d", activeID), nil, 200)["status"])
	b.open(fmt.Sprintf("%s/orders/%d", base, pendingID))
	require.Contains(t, b.text(`table.events`), "Cancel Order")

	// The Log says who closed the client.
	b.open(clientPath + "/log")
	require.Contains(t, b.text(`#client-log`), "Client closed")

	// No new order: REST and the console's Add New Order refuse it, naming the client.
	out = s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "after-close.com"), 409)
	require.Equal(t, "client_id", out["field"], "%v", out)
	require.Contains(t, out["error"], "client status is Closed")
	b.noErrors()
}

// CloseClient through REST and WHMCS: an unknown client is "Client ID Not Found"; a closed
// client's Pending order is cancelled, they cannot sign in, and AddOrder refuses them.
func TestCloseClientAPIs(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	whmcs := s.whmcsAPI(t)
	clientID, productID := s.catalogue("accept")

	require.Equal(t, "Client ID Not Found", whmcs("CloseClient", "clientid", "999999")["message"])
	s.mustCall("POST", "/api/v1/clients/999999/close", nil, 404)

	// REST: the client's Pending order is cancelled; the answer names it.
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "rest-close.com"), 201)
	orderID := int64(placed["order_id"].(float64))
	s.eventually(orderID, func(o map[string]any) bool { return o["waiting_for"] != "" })
	out := s.mustCall("POST", fmt.Sprintf("/api/v1/clients/%d/close", int64(clientID)), nil, 200)
	require.Equal(t, "Closed", out["client"].(map[string]any)["status"], "%v", out)
	require.Len(t, out["cancelled"], 1)
	require.Equal(t, float64(orderID), out["cancelled"].([]any)[0].(map[string]any)["order_id"])
	require.Empty(t, out["left"])
	require.Equal(t, "Cancelled", s.mustCall("GET", fmt.Sprintf("/api/v1/orders/%d", orderID), nil, 200)["status"])
	log := s.mustCall("GET", fmt.Sprintf("/api/v1/clients/%d/log", int64(clientID)), nil, 200)
	var actions []any
	for _, l := range log["log"].([]any) {
		actions = append(actions, l.(map[string]any)["action"])
	}
	require.Contains(t, actions, "client-close")
	require.Contains(t, actions, "cancel")

	// WHMCS: a client who can sign in, with a Pending order, closed.
	added := whmcs("AddClient", "firstname", "Alan", "lastname", "Turing", "email", "alan-close@example.com", "address1", "Bletchley",
		"city", "Milton Keynes", "state", "Bucks", "postcode", "MK3 6EB", "country", "GB", "phonenumber", "+44 1908 640404",
		"password2", "bombe at bletchley")
	require.Equal(t, "success", added["result"], "%v", added)
	alan := fmt.Sprint(added["clientid"])
	require.Equal(t, "success", whmcs("ValidateLogin", "email", "alan-close@example.com", "password2", "bombe at bletchley")["result"])
	var alanID float64
	_, err := fmt.Sscan(alan, &alanID)
	require.NoError(t, err)
	placed = s.mustCall("POST", "/api/v1/orders", hostingOrder(alanID, productID, "whmcs-close.com"), 201)
	alanOrder := int64(placed["order_id"].(float64))
	s.eventually(alanOrder, func(o map[string]any) bool { return o["waiting_for"] != "" })
	closed := whmcs("CloseClient", "clientid", alan)
	require.Equal(t, "success", closed["result"], "%v", closed)
	require.Equal(t, alan, fmt.Sprint(closed["clientid"]))
	require.Equal(t, "Cancelled", s.mustCall("GET", fmt.Sprintf("/api/v1/orders/%d", alanOrder), nil, 200)["status"])
	require.Equal(t, "Closed", whmcs("GetClientsDetails", "clientid", alan)["status"])
	require.Equal(t, "Email or Password Invalid", whmcs("ValidateLogin", "email", "alan-close@example.com", "password2", "bombe at bletchley")["message"])
	refused := whmcs("AddOrder", "clientid", alan, "paymentmethod", "banktransfer", "pid[0]", fmt.Sprint(int64(productID)),
		"domain[0]", "again.com", "billingcycle[0]", "monthly")
	require.Equal(t, "Unable to add order when client status is Closed", refused["message"], "%v", refused)
	// Closing again is a success that changes nothing.
	require.Equal(t, "success", whmcs("CloseClient", "clientid", alan)["result"])
}
