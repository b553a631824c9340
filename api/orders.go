package api

import (
	"cmp"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/web"
)

func (h *Handler) placeOrder(w http.ResponseWriter, r *http.Request) {
	key, ok := idempotencyKey(w, r)
	if !ok {
		return
	}
	var in ordering.PlaceOrder
	if !decode(w, r, &in) {
		return
	}
	in.Actor, in.IdempotencyKey = actor(r), key
	placed, err := h.svc.Place(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/orders/"+itoa(placed.OrderID))
	writeJSON(w, http.StatusCreated, placed)
}

func (h *Handler) listOrders(w http.ResponseWriter, r *http.Request) {
	f, err := web.ParseOrderFilter(r.URL.Query())
	if err != nil {
		h.badQuery(w, r, err)
		return
	}
	rows, err := h.svc.ListOrders(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]orderRowJSON, len(rows))
	for i, o := range rows {
		out[i] = orderRowJSON{ID: o.ID, OrderNumber: itoa(o.Number), ClientID: o.ClientID,
			ClientName: clientName(o.FirstName, o.LastName, o.CompanyName), PaymentMethod: o.PaymentMethod,
			Total: money.Format(o.Amount, o.Currency), Currency: o.Currency, PaymentStatus: o.PaymentStatus,
			Status: o.Status, WaitingFor: o.WaitingFor, Date: o.Date, InvoiceID: o.InvoiceID}
	}
	page := map[string]any{"orders": out}
	if len(rows) == int(f.Limit) {
		page["next_cursor"] = rows[len(rows)-1].ID
	}
	writeJSON(w, http.StatusOK, page)
}

type orderRowJSON struct {
	ID            int64               `json:"id"`
	OrderNumber   string              `json:"order_number"`
	Date          time.Time           `json:"date"`
	ClientID      int64               `json:"client_id"`
	ClientName    string              `json:"client_name"`
	PaymentMethod string              `json:"payment_method"`
	Total         string              `json:"total"`
	Currency      string              `json:"currency"`
	InvoiceID     int64               `json:"invoice_id"`
	PaymentStatus order.InvoiceStatus `json:"payment_status"`
	Status        order.Status        `json:"status"`
	WaitingFor    order.WaitingFor    `json:"waiting_for"`
}

func clientName(first, last, company string) string {
	n := first + " " + last
	if company != "" {
		n += " (" + company + ")"
	}
	return n
}

// orderSummary serves GET /orders/summary: the dashboard's counts.
func (h *Handler) orderSummary(w http.ResponseWriter, r *http.Request) {
	sum, err := h.svc.OrderSummary(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	type waiting struct {
		WaitingFor order.WaitingFor `json:"waiting_for"`
		Count      int64            `json:"count"`
		OldestID   int64            `json:"oldest_id,omitempty"`
		OldestDate *time.Time       `json:"oldest_date,omitempty"`
	}
	out := struct {
		Statuses map[order.Status]int64 `json:"statuses"`
		Waiting  []waiting              `json:"waiting"`
	}{Statuses: sum.Statuses}
	for _, wc := range sum.Waiting {
		row := waiting{WaitingFor: wc.WaitingFor, Count: wc.Count}
		if wc.Oldest != nil {
			row.OldestID, row.OldestDate = wc.Oldest.ID, &wc.Oldest.Date
		}
		out.Waiting = append(out.Waiting, row)
	}
	writeJSON(w, http.StatusOK, out)
}

// patchOrder serves PATCH /orders/{id}: an order's admin notes.
func (h *Handler) patchOrder(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	var body struct {
		Notes *string `json:"notes"`
	}
	if !decode(w, r, &body) {
		return
	}
	if body.Notes == nil {
		writeError(w, http.StatusUnprocessableEntity, "notes", "is the only field an order's PATCH takes, and is missing")
		return
	}
	if err := h.svc.SetOrderNotes(r.Context(), id, actor(r), *body.Notes); err != nil {
		h.fail(w, r, err)
		return
	}
	h.getOrder(w, r)
}

func (h *Handler) getOrder(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	d, err := h.svc.GetOrder(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, orderView(d))
}

// addPayment serves POST /invoices/{id}/payments: a payment an admin entered.
func (h *Handler) addPayment(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	var in billing.Payment
	if !decode(w, r, &in) {
		return
	}
	in.Actor = actor(r)
	res, err := h.svc.AddPayment(r.Context(), id, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeEntry(w, res)
}

// writeEntry answers a payment or refund: 201, or 200 when it was recorded before.
func writeEntry(w http.ResponseWriter, res billing.PaymentResult) {
	status := http.StatusCreated
	if res.Duplicate {
		status = http.StatusOK
	}
	out := map[string]any{"invoice_id": res.InvoiceID, "order_id": res.OrderID, "transaction_id": res.TransactionID,
		"amount": money.Format(res.Amount, res.Currency), "currency": res.Currency, "status": res.Status,
		"balance": money.Format(res.Balance, res.Currency), "duplicate": res.Duplicate}
	if res.Credited > 0 {
		out["credited"] = money.Format(res.Credited, res.Currency) // paid beyond the total: the client's credit
	}
	writeJSON(w, status, out)
}

type orderJSON struct {
	ID            int64            `json:"id"`
	OrderNumber   string           `json:"order_number"`
	Date          time.Time        `json:"date"`
	ClientID      int64            `json:"client_id"`
	ClientName    string           `json:"client_name"`
	Email         string           `json:"email"`
	Status        order.Status     `json:"status"`
	WaitingFor    order.WaitingFor `json:"waiting_for"`
	PaymentMethod string           `json:"payment_method"`
	Amount        string           `json:"amount"`
	Currency      string           `json:"currency"`
	WorkflowID    string           `json:"workflow_id"`
	ClientIP      string           `json:"client_ip,omitempty"`
	PromoCode     string           `json:"promo_code,omitempty"`
	Notes         string           `json:"notes,omitempty"`
	Fraud         *fraudJSON       `json:"fraud_check,omitempty"`
	Services      []serviceJSON    `json:"services"`
	Domains       []domainJSON     `json:"domains"`
	Invoice       *invoiceJSON     `json:"invoice,omitempty"`
	Events        []eventJSON      `json:"events"`
}

// fraudJSON is WHMCS's "Fraud Check Results": the score, the IP's risk, the provider's
// warnings, and its whole answer.
type fraudJSON struct {
	Module      string          `json:"module"`
	Score       *float64        `json:"score"`
	IPRisk      *float64        `json:"ip_risk,omitempty"`
	Disposition string          `json:"disposition,omitempty"`
	Warnings    []string        `json:"warnings,omitempty"`
	Output      json.RawMessage `json:"output,omitempty"`
}

type serviceJSON struct {
	ID           int64              `json:"id"`
	ProductID    int64              `json:"product_id"`
	Product      string             `json:"product"`
	Module       string             `json:"module"`
	AutoSetup    order.AutoSetup    `json:"auto_setup"`
	Domain       string             `json:"domain,omitempty"`
	BillingCycle order.BillingCycle `json:"billing_cycle"`
	Amount       string             `json:"amount"`
	SetupFee     string             `json:"setup_fee"`
	Status       order.Status       `json:"status"`
	ServerID     *int64             `json:"server_id,omitempty"`
	Username     string             `json:"username,omitempty"`
	Password     string             `json:"password,omitempty"` // the admin sees it, as in WHMCS; stored sealed
	Error        string             `json:"error,omitempty"`
}

type domainJSON struct {
	ID          int64            `json:"id"`
	Domain      string           `json:"domain"`
	Type        order.DomainType `json:"type"`
	Period      int32            `json:"period"`
	Registrar   string           `json:"registrar,omitempty"`
	Amount      string           `json:"amount"`
	Status      order.Status     `json:"status"`
	Nameservers []string         `json:"nameservers,omitempty"`
	Error       string           `json:"error,omitempty"`
}

type invoiceJSON struct {
	ID int64 `json:"id"`
	// InvoiceNum is its sequential paid invoice number, "" until given (WHMCS's invoicenum).
	InvoiceNum string              `json:"invoice_num"`
	Status     order.InvoiceStatus `json:"status"`
	// The tax the invoice was written with (package tax): the subtotal before it, each level's
	// amount and rate (three decimals), and each level's name when a rule was charged.
	Subtotal string `json:"subtotal"`
	Tax      string `json:"tax"`
	Tax2     string `json:"tax2"`
	TaxRate  string `json:"tax_rate"`
	TaxRate2 string `json:"tax_rate2"`
	TaxName  string `json:"tax_name,omitempty"`
	TaxName2 string `json:"tax_name2,omitempty"`
	// ReverseCharge says the client's VAT was reverse charged (an EU business in another member
	// state than the seller's): no tax, and TaxNote says so as the invoice prints it.
	ReverseCharge bool              `json:"reverse_charge"`
	TaxNote       string            `json:"tax_note,omitempty"`
	Total         string            `json:"total"`
	Paid          string            `json:"paid"`
	Balance       string            `json:"balance"`
	Overpaid      string            `json:"overpaid,omitempty"` // kept on a Cancelled invoice for review; a Paid one's excess is credit
	Currency      string            `json:"currency"`
	Items         []invoiceItemJSON `json:"items"`
	Transactions  []transactionJSON `json:"transactions"`
}

type invoiceItemJSON struct {
	Type        string `json:"type"`
	Description string `json:"description"`
	Amount      string `json:"amount"`
	Taxed       bool   `json:"taxed"`
}

type transactionJSON struct {
	Type          string    `json:"type"` // payment or refund (a negative amount)
	Gateway       string    `json:"gateway"`
	TransactionID string    `json:"transaction_id"`
	Amount        string    `json:"amount"`
	Date          time.Time `json:"date"`
}

type eventJSON struct {
	Date   time.Time   `json:"date"`
	Actor  order.Actor `json:"actor"`
	Action string      `json:"action"`
	From   string      `json:"from,omitempty"`
	To     string      `json:"to,omitempty"`
	Detail string      `json:"detail,omitempty"`
}

func orderView(d ordering.OrderDetail) orderJSON {
	o := d.Order
	cur := o.Currency
	out := orderJSON{ID: o.ID, OrderNumber: itoa(o.Number), Date: o.Date, ClientID: o.ClientID,
		ClientName: clientName(o.FirstName, o.LastName, o.CompanyName), Email: d.Email, Status: o.Status, WaitingFor: o.WaitingFor,
		PaymentMethod: o.PaymentMethod, Amount: money.Format(o.Amount, cur), Currency: cur, WorkflowID: o.WorkflowID, ClientIP: o.ClientIP,
		PromoCode: o.PromoCode, Notes: o.Notes, Services: []serviceJSON{}, Domains: []domainJSON{}, Events: []eventJSON{}}
	if o.FraudModule != "" {
		out.Fraud = &fraudJSON{Module: o.FraudModule, Score: o.FraudScore, Output: o.FraudOutput}
		if r := d.Fraud; r != nil {
			out.Fraud.IPRisk, out.Fraud.Disposition, out.Fraud.Warnings = r.IPRisk, r.Disposition, r.Warnings
		}
	}
	for _, s := range d.Services {
		out.Services = append(out.Services, serviceJSON{ID: s.ID, ProductID: s.ProductID, Product: s.Product, Module: s.Module,
			AutoSetup: s.AutoSetup, Domain: s.Domain, BillingCycle: s.BillingCycle, Amount: money.Format(s.Amount, cur),
			SetupFee: money.Format(s.SetupFee, cur), Status: s.Status, ServerID: s.ServerID, Username: s.Username,
			Password: d.Passwords[s.ID], Error: cmp.Or(s.LastError, d.Unopened[s.ID])})
	}
	for _, dm := range d.Domains {
		out.Domains = append(out.Domains, domainJSON{ID: dm.ID, Domain: dm.Domain, Type: dm.Type, Period: dm.Period, Registrar: dm.Registrar,
			Amount: money.Format(dm.Amount, cur), Status: dm.Status, Nameservers: dm.Nameservers, Error: dm.LastError})
	}
	if d.Invoice != nil {
		out.Invoice = invoiceView(*d.Invoice)
	}
	for _, e := range d.Events {
		out.Events = append(out.Events, eventJSON{Date: e.Date, Actor: e.Actor, Action: e.Action, From: e.From, To: e.To, Detail: e.Detail})
	}
	return out
}

func invoiceView(d billing.InvoiceDetail) *invoiceJSON {
	inv, cur := d.Invoice, d.Invoice.Currency
	t := inv.Tax
	out := &invoiceJSON{ID: inv.ID, InvoiceNum: inv.Number, Status: inv.Status, Total: money.Format(inv.Total, cur), Currency: cur,
		Subtotal: money.Format(t.Subtotal, cur), Tax: money.Format(t.Tax1, cur), Tax2: money.Format(t.Tax2, cur),
		TaxRate: t.Rate1.String(), TaxRate2: t.Rate2.String(), TaxName: t.Name1, TaxName2: t.Name2,
		ReverseCharge: t.ReverseCharge, TaxNote: t.Note(),
		Items: []invoiceItemJSON{}, Transactions: []transactionJSON{}}
	for _, it := range d.Items {
		out.Items = append(out.Items, invoiceItemJSON{Type: it.Type, Description: it.Description, Amount: money.Format(it.Amount, cur),
			Taxed: it.Taxed})
	}
	for _, t := range d.Transactions {
		out.Transactions = append(out.Transactions, transactionJSON{Type: t.Type, Gateway: t.Gateway, TransactionID: t.TransactionID,
			Amount: money.Format(t.Amount, t.Currency), Date: t.Date})
	}
	out.Paid, out.Balance = money.Format(inv.Paid, cur), money.Format(inv.Total-inv.Paid, cur)
	if inv.Paid > inv.Total {
		out.Overpaid = money.Format(inv.Paid-inv.Total, cur)
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
