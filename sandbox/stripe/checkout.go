package stripe

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// session is a Checkout Session as the API renders it (the fields the sandbox models; the
// others Stripe renders are left out rather than faked).
type session struct {
	ID                 string            `json:"id"`
	Object             string            `json:"object"`
	AmountSubtotal     int64             `json:"amount_subtotal"`
	AmountTotal        int64             `json:"amount_total"`
	CancelURL          *string           `json:"cancel_url"`
	ClientReferenceID  *string           `json:"client_reference_id"`
	Created            int64             `json:"created"`
	Currency           string            `json:"currency"`
	Customer           *string           `json:"customer"`
	CustomerDetails    *customerDetails  `json:"customer_details"`
	CustomerEmail      *string           `json:"customer_email"`
	ExpiresAt          int64             `json:"expires_at"`
	Livemode           bool              `json:"livemode"`
	Metadata           map[string]string `json:"metadata"`
	Mode               string            `json:"mode"`
	PaymentIntent      *string           `json:"payment_intent"`
	PaymentMethodTypes []string          `json:"payment_method_types"`
	PaymentStatus      string            `json:"payment_status"`
	Status             string            `json:"status"`
	SuccessURL         *string           `json:"success_url"`
	TotalDetails       totalDetails      `json:"total_details"`
	UIMode             string            `json:"ui_mode"`
	URL                *string           `json:"url"`

	lineItems   []lineItem
	piMetadata  map[string]string // payment_intent_data[metadata], the PaymentIntent's and charge's
	description string            // payment_intent_data[description]
}

type customerDetails struct {
	Email     *string `json:"email"`
	Name      *string `json:"name"`
	Phone     *string `json:"phone"`
	TaxExempt string  `json:"tax_exempt"`
	TaxIDs    []any   `json:"tax_ids"`
}

type totalDetails struct {
	AmountDiscount int64 `json:"amount_discount"`
	AmountShipping int64 `json:"amount_shipping"`
	AmountTax      int64 `json:"amount_tax"`
}

type lineItem struct {
	Name      string
	UnitPrice int64
	Quantity  int64
}

// charge is the charge a paid session made; its PaymentIntent shares it.
type charge struct {
	ID                 string            `json:"id"`
	Object             string            `json:"object"`
	Amount             int64             `json:"amount"`
	AmountCaptured     int64             `json:"amount_captured"`
	AmountRefunded     int64             `json:"amount_refunded"`
	BalanceTransaction string            `json:"balance_transaction"`
	Captured           bool              `json:"captured"`
	Created            int64             `json:"created"`
	Currency           string            `json:"currency"`
	Description        *string           `json:"description"`
	Livemode           bool              `json:"livemode"`
	Metadata           map[string]string `json:"metadata"`
	Paid               bool              `json:"paid"`
	PaymentIntent      string            `json:"payment_intent"`
	PaymentMethod      string            `json:"payment_method"`
	Refunded           bool              `json:"refunded"`
	Status             string            `json:"status"`
}

var checkoutParams = []string{"adaptive_pricing", "after_expiration", "allow_promotion_codes", "automatic_tax",
	"billing_address_collection", "cancel_url", "client_reference_id", "consent_collection", "currency", "customer",
	"customer_creation", "customer_email", "customer_update", "custom_fields", "custom_text", "discounts", "expand",
	"expires_at", "invoice_creation", "line_items", "locale", "metadata", "mode", "optional_items", "origin_context",
	"payment_intent_data", "payment_method_collection", "payment_method_configuration", "payment_method_data",
	"payment_method_options", "payment_method_types", "permissions", "phone_number_collection",
	"redirect_on_completion", "return_url", "saved_payment_method_options", "setup_intent_data",
	"shipping_address_collection", "shipping_options", "submit_type", "subscription_data", "success_url",
	"tax_id_collection", "ui_mode", "wallet_options"}

var currencyCode = regexp.MustCompile(`^[a-z]{3}$`)

// createSession is POST /v1/checkout/sessions in payment mode with price_data line items.
func (s *Server) createSession(r *http.Request, p url.Values) (int, any) {
	if status, body := checkParams(p, checkoutParams...); status != 0 {
		return status, body
	}
	switch mode := p.Get("mode"); mode {
	case "":
		return missing("mode")
	case "payment":
	case "setup", "subscription":
		return invalid("parameter_invalid_enum", "mode", "The sandbox models mode=payment only, not %s.", mode)
	default:
		return invalid("parameter_invalid_enum", "mode", "Invalid mode: must be one of payment, setup, or subscription")
	}
	if ui := p.Get("ui_mode"); ui != "" && ui != "hosted" {
		return invalid("parameter_invalid_enum", "ui_mode", "The sandbox models ui_mode=hosted only, not %s.", ui)
	}
	now := time.Now()
	cs := &session{ID: newID("cs_"+s.testPrefix()) + newID(""), // as long as Stripe's, 56 characters
		Object: "checkout.session", Created: now.Unix(),
		ExpiresAt: now.Add(24 * time.Hour).Unix(), Livemode: s.livemode(), Mode: "payment", PaymentMethodTypes: []string{"card"},
		PaymentStatus: "unpaid", Status: "open", UIMode: "hosted", Currency: strings.ToLower(p.Get("currency"))}
	if cs.Currency != "" && !currencyCode.MatchString(cs.Currency) {
		return invalid("", "currency", "Invalid currency: %s. Stripe currently supports these currencies: usd, eur, gbp, ...", p.Get("currency"))
	}
	for _, u := range []struct {
		param string
		to    **string
	}{{"success_url", &cs.SuccessURL}, {"cancel_url", &cs.CancelURL}} {
		v := p.Get(u.param)
		if v == "" {
			continue
		}
		if parsed, err := url.Parse(v); err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
			return invalid("url_invalid", u.param, "Not a valid URL")
		}
		*u.to = &v
	}
	if v := p.Get("client_reference_id"); v != "" {
		if len(v) > 200 {
			return invalid("", "client_reference_id", "client_reference_id must be at most 200 characters.")
		}
		cs.ClientReferenceID = &v
	}
	if v := p.Get("customer_email"); v != "" {
		cs.CustomerEmail = &v
	}
	if v := p.Get("expires_at"); v != "" {
		at, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return invalid("parameter_invalid_integer", "expires_at", "Invalid integer: %s", v)
		}
		if at < now.Add(30*time.Minute).Unix()-5 || at > now.Add(24*time.Hour).Unix()+5 {
			return invalid("", "expires_at", "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.")
		}
		cs.ExpiresAt = at
	}
	var status int
	var body any
	if cs.Metadata, status, body = metadata(p, "metadata"); status != 0 {
		return status, body
	}
	if cs.piMetadata, status, body = metadata(p, "payment_intent_data[metadata]"); status != 0 {
		return status, body
	}
	cs.description = p.Get("payment_intent_data[description]")
	if status, body := cs.readLineItems(p); status != 0 {
		return status, body
	}
	u := s.pageURL(r, cs.ID)
	cs.URL = &u

	s.mu.Lock()
	s.sessions[cs.ID] = cs
	out := *cs
	s.mu.Unlock()
	return http.StatusOK, out
}

// readLineItems reads line_items[i] with price_data into the session and totals it.
func (cs *session) readLineItems(p url.Values) (int, any) {
	for i := 0; ; i++ {
		prefix := fmt.Sprintf("line_items[%d]", i)
		present := false
		for k := range p {
			if strings.HasPrefix(k, prefix+"[") {
				present = true
				break
			}
		}
		if !present {
			break
		}
		if price := p.Get(prefix + "[price]"); price != "" {
			// The sandbox keeps no catalogue of Prices, so every price id is unknown to it.
			return invalid("resource_missing", prefix+"[price]", "No such price: '%s'", price)
		}
		pd := prefix + "[price_data]"
		if p.Get(pd+"[currency]") == "" {
			for k := range p {
				if strings.HasPrefix(k, pd+"[") {
					return missing(pd + "[currency]")
				}
			}
			return invalid("", prefix, "You must specify either `price` or `price_data` in `%s`.", prefix)
		}
		currency := strings.ToLower(p.Get(pd + "[currency]"))
		if !currencyCode.MatchString(currency) {
			return invalid("", pd+"[currency]", "Invalid currency: %s.", p.Get(pd+"[currency]"))
		}
		if cs.Currency == "" {
			cs.Currency = currency
		} else if cs.Currency != currency {
			return invalid("", pd+"[currency]", "All line items must use the same currency: %s is not %s.", currency, cs.Currency)
		}
		if product := p.Get(pd + "[product]"); product != "" {
			return invalid("resource_missing", pd+"[product]", "No such product: '%s'", product)
		}
		name := p.Get(pd + "[product_data][name]")
		if name == "" {
			return missing(pd + "[product_data][name]")
		}
		if p.Get(pd+"[recurring][interval]") != "" {
			return invalid("", pd+"[recurring]", "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.")
		}
		amount, status, body := unitAmount(p, pd)
		if status != 0 {
			return status, body
		}
		qty := p.Get(prefix + "[quantity]")
		if qty == "" {
			return missing(prefix + "[quantity]")
		}
		q, err := strconv.ParseInt(qty, 10, 64)
		if err != nil || q < 1 {
			return invalid("parameter_invalid_integer", prefix+"[quantity]", "Invalid positive integer")
		}
		cs.lineItems = append(cs.lineItems, lineItem{Name: name, UnitPrice: amount, Quantity: q})
		cs.AmountTotal += amount * q
	}
	if len(cs.lineItems) == 0 {
		return missing("line_items")
	}
	if cs.AmountTotal < 1 {
		return invalid("", "line_items", "The Checkout Session's total amount due must be greater than 0 %s.", cs.Currency)
	}
	if cs.AmountTotal > 99999999 {
		return invalid("amount_too_large", "line_items", "The Checkout Session's total amount due must be no more than 99999999 in %s's smallest unit.", cs.Currency)
	}
	cs.AmountSubtotal = cs.AmountTotal
	return 0, nil
}

// unitAmount reads price_data's unit_amount, or unit_amount_decimal when it is whole (the
// sandbox charges whole minor units only).
func unitAmount(p url.Values, pd string) (int64, int, any) {
	ua, uad := p.Get(pd+"[unit_amount]"), p.Get(pd+"[unit_amount_decimal]")
	switch {
	case ua != "" && uad != "":
		status, body := invalid("", pd+"[unit_amount]", "You may only specify one of these parameters: unit_amount, unit_amount_decimal.")
		return 0, status, body
	case ua != "":
		n, err := strconv.ParseInt(ua, 10, 64)
		if err != nil || n < 0 {
			status, body := invalid("parameter_invalid_integer", pd+"[unit_amount]", "Invalid non-negative integer")
			return 0, status, body
		}
		return n, 0, nil
	case uad != "":
		whole, frac, _ := strings.Cut(uad, ".")
		n, err := strconv.ParseInt(whole, 10, 64)
		if err != nil || n < 0 || strings.Trim(frac, "0") != "" {
			status, body := invalid("", pd+"[unit_amount_decimal]", "The sandbox takes a whole unit_amount_decimal only, not %s.", uad)
			return 0, status, body
		}
		return n, 0, nil
	}
	status, body := invalid("parameter_missing", pd, "You must specify either `unit_amount` or `unit_amount_decimal` in `%s`.", pd)
	return 0, status, body
}

func (s *Server) pageURL(r *http.Request, id string) string {
	base := s.cfg.BaseURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return strings.TrimSuffix(base, "/") + "/c/pay/" + id
}

// getSession is GET /v1/checkout/sessions/{id}.
func (s *Server) getSession(r *http.Request, p url.Values) (int, any) {
	if status, body := checkParams(p, "expand"); status != 0 {
		return status, body
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.session(r.PathValue("id"))
	if cs == nil {
		return invalid("resource_missing", "session", "No such checkout.session: '%s'", r.PathValue("id"))
	}
	return http.StatusOK, *cs
}

// session finds a session and expires it if its time is up (the caller holds s.mu).
func (s *Server) session(id string) *session {
	cs := s.sessions[id]
	if cs != nil && cs.Status == "open" && time.Now().Unix() >= cs.ExpiresAt {
		cs.Status, cs.URL = "expired", nil
	}
	return cs
}

// successURL is where a paid session sends the browser, with {CHECKOUT_SESSION_ID} replaced
// by the session's id as Stripe does.
func (cs *session) successURL() string {
	if cs.SuccessURL == nil {
		return ""
	}
	return strings.ReplaceAll(*cs.SuccessURL, "{CHECKOUT_SESSION_ID}", cs.ID)
}

// pay completes a session as a customer's successful card payment does: a PaymentIntent and
// its charge, the session paid and complete, checkout.session.completed sent to the endpoint
// before the browser goes on to the success URL. Paying a complete session again only goes on.
func (s *Server) pay(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	cs := s.session(r.PathValue("id"))
	switch {
	case cs == nil:
		s.mu.Unlock()
		s.render(w, http.StatusNotFound, pageData{Message: "Something went wrong: this Checkout Session does not exist."})
		return
	case cs.Status == "expired":
		s.mu.Unlock()
		s.render(w, http.StatusGone, pageData{Message: "This Checkout Session has expired."})
		return
	case cs.Status == "complete":
		s.mu.Unlock()
		s.afterPayment(w, r, cs)
		return
	}
	now := time.Now()
	ch := &charge{ID: newID("ch_"), Object: "charge", Amount: cs.AmountTotal, AmountCaptured: cs.AmountTotal,
		BalanceTransaction: newID("txn_"), Captured: true, Created: now.Unix(), Currency: cs.Currency, Livemode: cs.Livemode,
		Metadata: cs.piMetadata, Paid: true, PaymentIntent: newID("pi_"), PaymentMethod: newID("pm_"), Status: "succeeded"}
	if cs.description != "" {
		ch.Description = &cs.description
	}
	s.charges[ch.ID], s.charges[ch.PaymentIntent] = ch, ch
	email, name := "customer@example.com", "Sandbox Customer"
	if cs.CustomerEmail != nil {
		email = *cs.CustomerEmail
	}
	cs.PaymentIntent = &ch.PaymentIntent
	cs.PaymentStatus, cs.Status, cs.URL = "paid", "complete", nil
	cs.CustomerDetails = &customerDetails{Email: &email, Name: &name, TaxExempt: "none", TaxIDs: []any{}}
	ev := s.newEvent("checkout.session.completed", *cs, nil, eventRequest{})
	s.mu.Unlock()
	// Stripe sends the event and redirects the browser independently; sending first makes the
	// success page find the payment recorded, and a failed send is retried in the background.
	s.deliver(ev)
	s.afterPayment(w, r, cs)
}

func (s *Server) afterPayment(w http.ResponseWriter, r *http.Request, cs *session) {
	if u := cs.successURL(); u != "" {
		http.Redirect(w, r, u, http.StatusSeeOther)
		return
	}
	s.render(w, http.StatusOK, pageData{Message: "Thanks for your payment."})
}

// cancelPage is the page's back link: the session stays open, as on Stripe, and the browser
// goes to the cancel URL.
func (s *Server) cancelPage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	cs := s.session(r.PathValue("id"))
	s.mu.Unlock()
	if cs == nil || cs.CancelURL == nil {
		s.render(w, http.StatusNotFound, pageData{Message: "Something went wrong: this Checkout Session does not exist."})
		return
	}
	http.Redirect(w, r, *cs.CancelURL, http.StatusSeeOther)
}

type pageData struct {
	Message string
	Session *session
	Items   []pageItem
	Total   string
}

type pageItem struct {
	Name     string
	Quantity int64
	Amount   string
}

// page is the hosted payment page at the session's url: what is paid for, Pay, and Cancel when
// the session has a cancel URL.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	cs := s.session(r.PathValue("id"))
	var d pageData
	if cs != nil {
		c := *cs
		d.Session = &c
		for _, it := range cs.lineItems {
			d.Items = append(d.Items, pageItem{Name: it.Name, Quantity: it.Quantity, Amount: formatAmount(it.UnitPrice*it.Quantity, cs.Currency)})
		}
		d.Total = formatAmount(cs.AmountTotal, cs.Currency)
	}
	s.mu.Unlock()
	switch {
	case cs == nil:
		s.render(w, http.StatusNotFound, pageData{Message: "Something went wrong: this Checkout Session does not exist."})
	case cs.Status == "expired":
		s.render(w, http.StatusGone, pageData{Message: "This Checkout Session has expired."})
	case cs.Status == "complete":
		s.render(w, http.StatusOK, pageData{Message: "This Checkout Session is complete: it has been paid."})
	default:
		s.render(w, http.StatusOK, d)
	}
}

// pageTemplate is plain HTML forms: no script, so the page works in any browser and a
// Content-Security-Policy without script sources.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stripe sandbox Checkout</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1f36}
table{width:100%;border-collapse:collapse}td{padding:.4rem 0}td.amount{text-align:right}
.total{font-weight:600;border-top:1px solid #ccc}button{font-size:1rem;padding:.6rem 1.4rem;margin-right:.5rem}
.pay{background:#635bff;color:#fff;border:0;border-radius:4px}.note{color:#697386;font-size:.85rem}</style></head>
<body><p class="note">Stripe sandbox: no card is charged.</p>
{{if .Message}}<h1>{{.Message}}</h1>{{else}}
<h1>Pay {{.Total}}</h1>
<table>{{range .Items}}<tr><td>{{.Name}}{{if gt .Quantity 1}} × {{.Quantity}}{{end}}</td><td class="amount">{{.Amount}}</td></tr>{{end}}
<tr class="total"><td>Total due</td><td class="amount">{{.Total}}</td></tr></table>
{{with .Session.CustomerEmail}}<p>Email: {{.}}</p>{{end}}
<form method="post" action="/c/pay/{{.Session.ID}}/pay"><button class="pay" type="submit">Pay</button></form>
{{if .Session.CancelURL}}<form method="post" action="/c/pay/{{.Session.ID}}/cancel"><button type="submit">Cancel</button></form>{{end}}
{{end}}</body></html>
`))

func (s *Server) render(w http.ResponseWriter, status int, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// No form-action: the redirects after Pay and Cancel go to the merchant's site, and
	// browsers hold form-action to redirects too.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_ = pageTemplate.Execute(w, d)
}

// decimals are the currencies whose Stripe amounts are not in hundredths
// (https://docs.stripe.com/currencies).
var decimals = map[string]int{
	"bif": 0, "clp": 0, "djf": 0, "gnf": 0, "jpy": 0, "kmf": 0, "krw": 0, "mga": 0,
	"pyg": 0, "rwf": 0, "vnd": 0, "vuv": 0, "xaf": 0, "xof": 0, "xpf": 0,
	"bhd": 3, "jod": 3, "kwd": 3, "omr": 3, "tnd": 3,
}

// formatAmount writes an amount in Stripe's units as a decimal with its currency: 2699 usd is
// "26.99 USD".
func formatAmount(amount int64, currency string) string {
	d, ok := decimals[currency]
	if !ok {
		d = 2
	}
	s := strconv.FormatInt(amount, 10)
	if d > 0 {
		for len(s) <= d {
			s = "0" + s
		}
		s = s[:len(s)-d] + "." + s[len(s)-d:]
	}
	return s + " " + strings.ToUpper(currency)
}
