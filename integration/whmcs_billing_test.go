package integration

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// AddTransaction records a payment of an invoice through the same path as AddInvoicePayment
// (the order hears of it and provisions); UpdateInvoice changes what a hostflow invoice holds,
// and refuses the rest in WHMCS's envelope.
func TestWHMCSAddTransactionAndUpdateInvoice(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("payment")
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "ledger.com"), 201)
	orderID := int64(placed["order_id"].(float64))
	invoice := fmt.Sprint(int64(placed["invoice_id"].(float64)))
	client := fmt.Sprint(int64(clientID))
	whmcs := s.whmcsAPI(t)
	refused := func(message string, out map[string]any) {
		t.Helper()
		require.Equal(t, map[string]any{"result": "error", "message": message}, out)
	}

	// UpdateInvoice: the due date; a status only as it is; the rest refused.
	require.Equal(t, map[string]any{"result": "success", "invoiceid": invoice},
		whmcs("UpdateInvoice", "invoiceid", invoice, "duedate", "2030-01-31", "status", "unpaid"))
	got := whmcs("GetInvoice", "invoiceid", invoice)
	require.Equal(t, testPublicURL+"/client/invoices/"+invoice, got["invoiceurl"], "the invoice's page in the client area")
	require.Equal(t, "2030-01-31", got["duedate"])
	require.Equal(t, "Unpaid", got["status"])
	refused("Invalid status Overdue", whmcs("UpdateInvoice", "invoiceid", invoice, "status", "Overdue"))
	refused("The invoice is Unpaid: its status follows its payments and its order; record its payment to make it Paid "+
		"(AddInvoicePayment or AddTransaction)", whmcs("UpdateInvoice", "invoiceid", invoice, "status", "Paid"))
	refused("notes cannot be updated: hostflow updates an invoice's due date only (its status follows its payments and its order)",
		whmcs("UpdateInvoice", "invoiceid", invoice, "notes", "hello"))
	refused("newitemdescription cannot be updated: hostflow updates an invoice's due date only (its status follows its payments and its order)",
		whmcs("UpdateInvoice", "invoiceid", invoice, "newitemdescription[0]", "Extra", "newitemamount[0]", "1.00"))
	refused("Invalid due date: use YYYY-MM-DD", whmcs("UpdateInvoice", "invoiceid", invoice, "duedate", "31/01/2030"))
	refused("Invoice ID Not Found", whmcs("UpdateInvoice", "invoiceid", "999999", "duedate", "2030-01-31"))
	refused("Invoice ID Not Found", whmcs("UpdateInvoice"))
	require.Equal(t, "2030-01-31", whmcs("GetInvoice", "invoiceid", invoice)["duedate"], "a refused update changes nothing")

	// AddTransaction: WHMCS's refusals, and what hostflow does not keep.
	refused("Payment Method is required", whmcs("AddTransaction", "invoiceid", invoice, "transid", "tx-1", "amountin", "26.99"))
	refused("invoiceid is required: hostflow records a transaction as a payment of an invoice",
		whmcs("AddTransaction", "paymentmethod", "banktransfer", "userid", client, "transid", "tx-1", "amountin", "26.99"))
	refused("credit is not supported: hostflow records a transaction on an invoice; add credit with AddCredit",
		whmcs("AddTransaction", "paymentmethod", "banktransfer", "userid", client, "credit", "true", "amountin", "26.99"))
	refused("Invoice ID Not Found", whmcs("AddTransaction", "paymentmethod", "banktransfer", "invoiceid", "999999",
		"transid", "tx-1", "amountin", "26.99"))
	refused("Client ID Not Found", whmcs("AddTransaction", "paymentmethod", "banktransfer", "invoiceid", invoice,
		"userid", "999999", "transid", "tx-1", "amountin", "26.99"))
	refused("Transaction ID is required", whmcs("AddTransaction", "paymentmethod", "banktransfer", "invoiceid", invoice,
		"amountin", "26.99"))
	refused("amountin is required", whmcs("AddTransaction", "paymentmethod", "banktransfer", "invoiceid", invoice, "transid", "tx-1"))
	refused("amountin and amountout cannot both be set: a transaction is a payment or a refund", whmcs("AddTransaction",
		"paymentmethod", "banktransfer", "invoiceid", invoice, "transid", "tx-1", "amountin", "1.00", "amountout", "5.00"))
	refused("amount: is more than the 0.00 USD paid on invoice "+invoice, whmcs("AddTransaction",
		"paymentmethod", "banktransfer", "invoiceid", invoice, "transid", "tx-1", "amountin", "0.00", "amountout", "5.00"))
	require.Equal(t, "0", fmt.Sprint(whmcs("GetTransactions", "invoiceid", invoice)["totalresults"]), "nothing recorded")

	// A part, then the rest: the invoice is Paid and the order provisions, as with any payment.
	require.Equal(t, map[string]any{"result": "success"}, whmcs("AddTransaction", "paymentmethod", "banktransfer",
		"userid", client, "invoiceid", invoice, "transid", "tx-1", "date", "01/01/2026", "amountin", "10.00", "fees", "0.50"))
	require.Equal(t, "Unpaid", whmcs("GetInvoice", "invoiceid", invoice)["status"])
	refused("Transaction ID must be Unique", whmcs("AddTransaction", "paymentmethod", "banktransfer", "invoiceid", invoice,
		"transid", "tx-1", "amountin", "10.00"))
	require.Equal(t, map[string]any{"result": "success"}, whmcs("AddTransaction", "paymentmethod", "banktransfer",
		"invoiceid", invoice, "transid", "tx-2", "amountin", "16.99"))
	got = whmcs("GetInvoice", "invoiceid", invoice)
	require.Equal(t, "Paid", got["status"])
	require.Equal(t, "0.00", got["balance"])
	txns := whmcs("GetTransactions", "invoiceid", invoice)
	require.Equal(t, "2", fmt.Sprint(txns["totalresults"]))
	s.eventually(orderID, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })

	// amountout: money given back outside hostflow, a refund on the ledger; a part leaves the
	// invoice Paid.
	require.Equal(t, map[string]any{"result": "success"}, whmcs("AddTransaction", "paymentmethod", "banktransfer",
		"invoiceid", invoice, "transid", "back-1", "amountout", "5.00"))
	got = whmcs("GetInvoice", "invoiceid", invoice)
	require.Equal(t, "Paid", got["status"])
	list := whmcs("GetTransactions", "invoiceid", invoice)["transactions"].(map[string]any)["transaction"].([]any)
	require.Len(t, list, 3)
	refund := list[2].(map[string]any)
	require.Equal(t, "5.00", refund["amountout"])
	require.Equal(t, "0.00", refund["amountin"])
	require.Equal(t, "Refund", refund["description"])
}
