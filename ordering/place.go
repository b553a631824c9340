package ordering

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/tax"
	"github.com/hostflow/hostflow/token"
	"github.com/hostflow/hostflow/workflows"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// PlaceOrder is an order as a client or an admin asks for it.
type PlaceOrder struct {
	ClientID       int64  `json:"client_id"`
	PaymentMethod  string `json:"payment_method"`
	ClientIP       string `json:"client_ip"`
	PromoCode      string `json:"promo_code"`
	Notes          string `json:"notes" input:"text"`
	SkipFraudCheck bool   `json:"skip_fraud_check"`
	NoEmail        bool   `json:"no_email"`
	// NoInvoiceEmail sends no Invoice Created email (WHMCS's noinvoiceemail).
	NoInvoiceEmail bool `json:"no_invoice_email"`
	// AffiliateID is the affiliate who referred the order (WHMCS's affid), stored with it.
	AffiliateID int64         `json:"affiliate_id"`
	Items       []PlaceItem   `json:"items"`
	Domains     []PlaceDomain `json:"domains"`
	// Actor and IdempotencyKey come from the adapter, not the body.
	Actor          order.Actor `json:"-"`
	IdempotencyKey string      `json:"-"`
}

// PlaceItem is one product of an order.
type PlaceItem struct {
	ProductID    int64              `json:"product_id"`
	Domain       string             `json:"domain"`
	BillingCycle order.BillingCycle `json:"billing_cycle"`
	// PriceOverride replaces the catalogue's recurring price (a decimal in the client's
	// currency); "" keeps it.
	PriceOverride string `json:"price_override"`
	// A server's fields (VPS and dedicated), stored on the service; the root password sealed.
	Hostname     string `json:"hostname"`
	RootPassword string `json:"root_password"`
	NS1Prefix    string `json:"ns1_prefix" input:"max=63"`
	NS2Prefix    string `json:"ns2_prefix" input:"max=63"`
	// DomainType registers or transfers the item's domain along with it, one more line of the
	// order priced from its TLD (WHMCS's Add New Order: one domain a product, Register a New
	// Domain / Transfer a Domain / Use Existing Domain); "" uses a domain the client has.
	// Omitted when empty, so that the fingerprint of a request sent before these fields existed
	// is the same (orderRequest): its retry still reaches its order.
	DomainType order.DomainType `json:"domain_type,omitempty"`
	// The registration's or transfer's: its years (0 is 1), EPP code and nameservers.
	DomainPeriod int      `json:"domain_period,omitempty"`
	EPPCode      string   `json:"epp_code,omitempty"`
	Nameservers  []string `json:"nameservers,omitempty"`
}

// registration is the item's domain as a domain line of the order, or false when the item
// only uses its domain.
func (it PlaceItem) registration() (PlaceDomain, bool) {
	if it.DomainType == "" {
		return PlaceDomain{}, false
	}
	return PlaceDomain{Domain: it.Domain, Type: it.DomainType, Period: it.DomainPeriod, EPPCode: it.EPPCode, Nameservers: it.Nameservers}, true
}

// lines is how many products and domains the order has: an item registering or transferring
// its domain is two.
func (p PlaceOrder) lines() int {
	n := len(p.Items) + len(p.Domains)
	for _, it := range p.Items {
		if _, ok := it.registration(); ok {
			n++
		}
	}
	return n
}

// PlaceDomain is one domain registration or transfer of an order.
type PlaceDomain struct {
	Domain      string           `json:"domain"`
	Type        order.DomainType `json:"type"`
	Period      int              `json:"period"`
	EPPCode     string           `json:"epp_code"`
	Nameservers []string         `json:"nameservers"`
	// PriceOverride replaces the TLD's price for the whole period; "" keeps it.
	PriceOverride string `json:"price_override"`
	// The domain's addons, stored on it.
	DNSManagement   bool `json:"dns_management"`
	EmailForwarding bool `json:"email_forwarding"`
	IDProtection    bool `json:"id_protection"`
}

// placeTimeout bounds how long a caller waits for the order to be written.
const placeTimeout = 30 * time.Second

// Place validates and prices an order, then starts its workflow with the "place" update, which
// returns once the order, its items and its invoice are in PostgreSQL. The workflow input holds
// the whole order and the workflow writes the rows itself, so whatever dies in between, there
// is never a row without its workflow nor a workflow that does not write its row. A retry with
// the same idempotency key reaches the same order.
//
// Each placement carries a token, and only the workflow started for it answers: if the id's
// workflow is an order this database does not know (it was restored from an older backup),
// the sequence moves past it and the order takes the next id.
func (s *Ordering) Place(ctx context.Context, p PlaceOrder) (ordermsg.Placed, error) {
	if err := input.Check(p); err != nil {
		return ordermsg.Placed{}, err
	}
	// A retry of a placement that got as far as its order holds that order's domains and may
	// have used up its promotion code: those two checks are then the first write's, under its
	// locks, and the retry reaches the same order (or, with another body, a refusal).
	retry := false
	if p.IdempotencyKey != "" {
		var err error
		if retry, err = s.q().OrderRequestKnown(ctx, p.IdempotencyKey); err != nil {
			return ordermsg.Placed{}, fault.Wrap(err, "look up the Idempotency-Key")
		}
	}
	in, err := s.priceOrder(ctx, p, retry)
	if err != nil {
		return ordermsg.Placed{}, err
	}
	body, err := json.Marshal(p) // what the request asked for: Actor and the key are not in it
	if err != nil {
		return ordermsg.Placed{}, fmt.Errorf("encode the order: %w", err)
	}
	req := orderRequest{body: body, mac: s.secrets.MAC(orderRequestPurpose, body)}
	ctx, cancel := context.WithTimeout(ctx, placeTimeout)
	defer cancel()
	for attempt := 1; ; attempt++ {
		placed, fresh, err := s.place(ctx, in, p.IdempotencyKey, req)
		if !isStale(err, fresh) || attempt == placeAttempts {
			return placed, err
		}
		s.log.Warn("order id already taken in Temporal by an order this database does not know (restored from a backup?); moving past it",
			zap.Int64("order_id", in.Order.ID), zap.String("workflow_id", in.Order.WorkflowID))
		if err := s.skipOrderID(ctx, in.Order.ID); err != nil {
			return ordermsg.Placed{}, err
		}
	}
}

// orderRequest is the body of an order request and its fingerprint, stored with its
// idempotency key (order_requests.request_hash) to tell a retry from another order sent with
// the same key.
type orderRequest struct {
	body []byte
	mac  []byte
}

// orderRequestPurpose is the purpose of an order request's MAC.
const orderRequestPurpose = "order request"

// sameAs reports whether a stored fingerprint is this request's. It is a MAC keyed by the
// secret key, as the body holds root passwords and EPP codes: a plain hash in a database dump
// would let anyone test guesses of them. A fingerprint stored under the previous key
// (HOSTFLOW_SECRET_KEY_PREVIOUS) matches too. So does one stored before fingerprints were keyed
// (the body's plain SHA-256), so that a retry of an order placed then still reaches its order;
// it is only compared, never written again. A fingerprint under a key no longer configured
// matches nothing: its retry is refused as another order with the same key, which is safe
// (nothing is placed twice) and tells the caller to use a new key.
func (r orderRequest) sameAs(stored []byte, box *secrets.Box) bool {
	if box.MatchesMAC(stored, orderRequestPurpose, r.body) {
		return true
	}
	legacy := sha256.Sum256(r.body)
	return hmac.Equal(stored, legacy[:])
}

// placeAttempts bounds how many taken ids one placement skips; the start-up check
// (AlignOrderSequence) moves the sequence past all of them at once.
const placeAttempts = 5

// place reserves an id and token for the order and starts its workflow; fresh says the
// reservation is this request's own, not an earlier request's with the same idempotency key.
func (s *Ordering) place(ctx context.Context, in ordermsg.Input, idempotencyKey string, req orderRequest) (placed ordermsg.Placed, fresh bool, err error) {
	token := token.New(16)
	r, err := s.q().ReserveOrderID(ctx, db.ReserveOrderIDParams{IdempotencyKey: dbtx.Optional(idempotencyKey), Token: token, RequestHash: req.mac})
	if err != nil {
		return placed, false, fault.Wrap(err, "reserve order id")
	}
	if r.RequestHash != nil && !req.sameAs(r.RequestHash, s.secrets) {
		return placed, false, fault.Invalidf("Idempotency-Key", "was sent before with a different order; use a new key for a new order")
	}
	in.Token, fresh = r.Token, r.Token == token
	in.Order.ID, in.Order.Number = r.OrderID, order.RandomNumber()
	in.Order.WorkflowID = ordermsg.WorkflowID(r.Installation, r.OrderID)
	start := s.temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID:                       in.Order.WorkflowID,
		TaskQueue:                s.taskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		// A run whose first write failed may be started again by a retry of its request.
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
		StaticSummary:         orderSummary(in.Order),
		TypedSearchAttributes: workflows.InitialAttributes(in.Order),
	}, workflows.Order, in)
	// The update id is the request's: an earlier placement's answer, cached under its own
	// id, is never handed to this one.
	handle, err := s.temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: client.UpdateWorkflowOptions{WorkflowID: in.Order.WorkflowID, UpdateName: ordermsg.UpdatePlace,
			UpdateID: ordermsg.UpdatePlace + "-" + in.Token, Args: []any{in.Token}, WaitForStage: client.WorkflowUpdateStageCompleted},
	})
	if err == nil {
		err = handle.Get(ctx, &placed)
	}
	if err != nil {
		var appErr *temporal.ApplicationError
		switch {
		case isStale(err, fresh):
			return placed, fresh, err
		case errors.As(err, &appErr) && !slices.Contains([]string{ordermsg.ErrState, ordermsg.ErrNotFound, permanent.Type}, appErr.Type()):
			// The order's first write failed, and not for good (the database was away): the
			// workflow has ended, and a retry starts it again.
			s.log.Warn("order not written", zap.Error(err), zap.Int64("order_id", in.Order.ID))
			return placed, fresh, &fault.Error{Kind: fault.Unavailable,
				Message: "the order could not be written just now; retrying with the same Idempotency-Key is safe"}
		}
		return placed, fresh, s.temporalError(err, fmt.Sprintf("place order %d", in.Order.ID))
	}
	return placed, fresh, nil
}

// isStale reports whether a placement failed because its workflow id belongs to an order
// this database does not know: a workflow started for another placement refused it, or, for a
// fresh reservation, a closed workflow already holds the id.
func isStale(err error, fresh bool) bool {
	var appErr *temporal.ApplicationError
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	return errors.As(err, &appErr) && appErr.Type() == ordermsg.ErrStalePlacement ||
		fresh && errors.As(err, &started)
}

// skipOrderID forgets a placement whose id is taken and moves the sequence past it.
func (s *Ordering) skipOrderID(ctx context.Context, id int64) error {
	return dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		if err := q.DropOrderRequest(ctx, id); err != nil {
			return fault.Wrap(err, "forget order request")
		}
		_, err := q.MoveOrderSequence(ctx, id)
		return fault.Wrap(err, "move the order id sequence")
	})
}

func orderSummary(o order.NewOrder) string {
	var parts []string
	for _, s := range o.Services {
		parts = append(parts, strings.TrimSpace(s.ProductName+" "+s.Domain))
	}
	for _, d := range o.Domains {
		parts = append(parts, string(d.Type)+" "+d.Domain)
	}
	sum := fmt.Sprintf("Order #%d, client %d: %s", o.Number, o.ClientID, strings.Join(parts, ", "))
	if len(sum) > 200 {
		sum = sum[:197] + "..."
	}
	return sum
}

// MaxOrderItems bounds the products and domains of one order.
const MaxOrderItems = 100

// CheckOrderSize refuses an order of n products and domains if n is more than MaxOrderItems.
// An adapter that expands quantities asks it as it goes, so it never builds a huge order only
// to have it refused.
func CheckOrderSize(n int) error {
	if n > MaxOrderItems {
		return fault.Invalidf("items", "at most %d items in one order", MaxOrderItems)
	}
	return nil
}

// priceOrder checks every part of an order against the catalogue and prices it in the client's
// currency. Nothing is written.
func (s *Ordering) priceOrder(ctx context.Context, p PlaceOrder, retry bool) (ordermsg.Input, error) {
	q := s.q()
	if p.ClientID <= 0 {
		return ordermsg.Input{}, fault.Invalidf("client_id", "is required")
	}
	c, err := q.GetClient(ctx, p.ClientID)
	if err != nil {
		return ordermsg.Input{}, fault.OrInvalid(err, "client_id", "Client ID Not Found")
	}
	if c.Status == ClientClosed {
		// A closed client's orders were cancelled by Close Client; WHMCS's AddOrder's words.
		return ordermsg.Input{}, &fault.Error{Kind: fault.Conflict, Field: "client_id", Message: ReasonClientClosed}
	}
	if strings.TrimSpace(p.PaymentMethod) == "" {
		return ordermsg.Input{}, fault.Invalidf("payment_method", "is required")
	}
	if p.ClientIP != "" {
		if _, err := netip.ParseAddr(p.ClientIP); err != nil {
			return ordermsg.Input{}, fault.Invalidf("client_ip", "%q is not an IP address", p.ClientIP)
		}
	}
	if len(p.Items) == 0 && len(p.Domains) == 0 {
		return ordermsg.Input{}, fault.Invalidf("items", "an order needs at least one product or domain")
	}
	if err := CheckOrderSize(p.lines()); err != nil {
		return ordermsg.Input{}, err
	}
	if !retry { // the first request was checked, against the methods offered then
		if err := s.billing.CheckPaymentMethod(ctx, p.PaymentMethod); err != nil {
			return ordermsg.Input{}, err
		}
	}
	if p.AffiliateID < 0 {
		// Refused here: the database refuses it too, but only inside the workflow's first
		// write, after the order id is spent.
		return ordermsg.Input{}, fault.Invalidf("affiliate_id", "must be an affiliate's id, or 0 for none")
	}
	o, err := s.priceLines(ctx, q, p, c.ID, c.Currency, taxClient(c), retry)
	if err != nil {
		return ordermsg.Input{}, err
	}
	o.PaymentMethod, o.ClientIP, o.Notes, o.Actor, o.NoEmail, o.AffiliateID = p.PaymentMethod, p.ClientIP, p.Notes, p.Actor, p.NoEmail, p.AffiliateID
	o.NoInvoiceEmail = p.NoInvoiceEmail
	o.Amount = o.Total()
	policy, err := catalog.OrderSettings(ctx, q)
	if err != nil {
		return ordermsg.Input{}, err
	}
	check, rule, err := fraudRule(p, policy, func() (bool, error) { return q.ClientHasActiveOrder(ctx, o.ClientID) })
	if err != nil {
		return ordermsg.Input{}, err
	}
	o.FraudRule = rule
	in := ordermsg.Input{Order: o, FraudThreshold: policy.FraudThreshold, CancelUnpaidAfterDays: policy.UnpaidDays, FraudCheck: check}
	return in, nil
}

// priceLines checks and prices an order's products, domains, promotion code and tax in
// currency: everything of priceOrder that does not depend on how the client pays. clientID is 0
// for a visitor who is not a client yet (the store's cart), whose tax is that of a client
// nowhere in particular (the rules for any country).
func (s *Ordering) priceLines(ctx context.Context, q *db.Queries, p PlaceOrder, clientID int64, currency string, who tax.Client,
	retry bool) (order.NewOrder, error) {
	var err error
	var promo billing.Promotion
	policy, err := catalog.TaxSettings(ctx, q)
	if err != nil {
		return order.NewOrder{}, err
	}
	if p.PromoCode = strings.TrimSpace(p.PromoCode); p.PromoCode != "" {
		if promo, err = s.billing.PromotionFor(ctx, q, p.PromoCode, currency, time.Now(), retry); err != nil {
			return order.NewOrder{}, err
		}
	}
	o := order.NewOrder{ClientID: clientID, Currency: currency, PromoCode: p.PromoCode}
	for i, it := range p.Items {
		field := fmt.Sprintf("items[%d]", i)
		prod, err := q.GetProduct(ctx, it.ProductID)
		if err != nil {
			return order.NewOrder{}, fault.OrInvalid(err, field+".product_id", "Product ID Not Found")
		}
		if prod.Stock != nil && int(*prod.Stock) < countOf(p.Items, prod.ID) {
			// Stock Control: the order's first write takes the stock, and refuses it then too.
			return order.NewOrder{}, fault.Invalidf(field+".product_id", "%s is out of stock (%d left)", prod.Name, *prod.Stock)
		}
		if it.Domain != "" {
			if it.Domain, err = input.Domain(it.Domain); err != nil {
				return order.NewOrder{}, fault.Invalidf(field+".domain", "%v", err)
			}
		} else if catalog.NeedsDomain(prod.Type, prod.Module) {
			return order.NewOrder{}, fault.Invalidf(field+".domain", "%s needs a domain: the account is made for it", prod.Name)
		}
		if it.BillingCycle == "" {
			it.BillingCycle = order.Monthly
		}
		price, err := q.GetProductPrice(ctx, db.GetProductPriceParams{ProductID: prod.ID, Currency: currency, BillingCycle: it.BillingCycle})
		if err != nil {
			return order.NewOrder{}, fault.OrInvalid(err, field+".billing_cycle",
				fmt.Sprintf("product %d has no %s price in %s", prod.ID, it.BillingCycle, currency))
		}
		if price.Price, err = overridden(price.Price, it.PriceOverride, currency, field+".price_override"); err != nil {
			return order.NewOrder{}, err
		}
		if it.Hostname != "" && !input.Hostname(it.Hostname) {
			return order.NewOrder{}, fault.Invalidf(field+".hostname", "%q is not a hostname", it.Hostname)
		}
		ns := order.NewService{ProductID: prod.ID, ProductName: prod.Name, Module: prod.Module, AutoSetup: prod.AutoSetup,
			Domain: it.Domain, BillingCycle: it.BillingCycle, SetupFee: price.SetupFee, Amount: price.Price,
			Hostname: strings.ToLower(it.Hostname), NS1Prefix: it.NS1Prefix, NS2Prefix: it.NS2Prefix, Taxed: policy.Enabled && prod.Taxable}
		if it.RootPassword != "" {
			ns.RootPasswordSealed = s.secrets.SealFor(it.RootPassword, secrets.NewServiceRootPassword(clientID, i))
		}
		o.Services = append(o.Services, ns)
	}
	// The products' own registrations and transfers come first, then the domains alone: each
	// refused on the fields the caller sent it in.
	for i, it := range p.Items {
		if d, ok := it.registration(); ok {
			if err := s.addDomain(ctx, q, &o, itemDomainFields(fmt.Sprintf("items[%d]", i)), d, policy, retry); err != nil {
				return order.NewOrder{}, err
			}
		}
	}
	for i, d := range p.Domains {
		if err := s.addDomain(ctx, q, &o, domainLineFields(fmt.Sprintf("domains[%d]", i)), d, policy, retry); err != nil {
			return order.NewOrder{}, err
		}
	}
	if p.PromoCode != "" {
		o.Discount = billing.Discount(promo, o)
	}
	if err := addTax(ctx, q, &o, policy, who); err != nil {
		return order.NewOrder{}, err
	}
	return o, nil
}

// domainFields name the request's fields a domain's refusals land on.
type domainFields struct{ domain, typ, period, eppCode, nameservers, priceOverride string }

// domainLineFields are a domain alone's: domains[i].domain, domains[i].type, ….
func domainLineFields(line string) domainFields {
	return domainFields{line + ".domain", line + ".type", line + ".period", line + ".epp_code", line + ".nameservers", line + ".price_override"}
}

// itemDomainFields are those of a product registering or transferring its domain:
// items[i].domain, items[i].domain_type, …; it has no price override (the item's is the product's).
func itemDomainFields(item string) domainFields {
	return domainFields{item + ".domain", item + ".domain_type", item + ".domain_period", item + ".epp_code", item + ".nameservers", ""}
}

// addDomain prices a domain registration or transfer and adds it to the order, once.
func (s *Ordering) addDomain(ctx context.Context, q *db.Queries, o *order.NewOrder, f domainFields, d PlaceDomain, policy catalog.TaxPolicy,
	retry bool) error {
	nd, err := s.priceDomain(ctx, q, f, d, o.Currency, retry)
	if err != nil {
		return err
	}
	if nd.Amount, err = overridden(nd.Amount, d.PriceOverride, o.Currency, f.priceOverride); err != nil {
		return err
	}
	if slices.ContainsFunc(o.Domains, func(od order.NewDomain) bool { return od.Domain == nd.Domain }) {
		return fault.Invalidf(f.domain, "%s is in this order twice", nd.Domain)
	}
	nd.DNSManagement, nd.EmailForwarding, nd.IDProtection = d.DNSManagement, d.EmailForwarding, d.IDProtection
	nd.Taxed = policy.Enabled && policy.Domains
	o.Domains = append(o.Domains, nd)
	return nil
}

func (s *Ordering) priceDomain(ctx context.Context, q *db.Queries, f domainFields, d PlaceDomain, currency string, retry bool) (order.NewDomain, error) {
	name, err := input.Domain(d.Domain)
	if err != nil {
		return order.NewDomain{}, fault.Invalidf(f.domain, "%v", err)
	}
	// One domain, one owner; the order's first write checks again, under a lock (and is the
	// only check for a retry, whose own order holds the domain).
	if !retry {
		held, err := q.DomainHeld(ctx, name)
		if err != nil {
			return order.NewDomain{}, fault.Wrap(err, "look up domain %s", name)
		}
		if held {
			return order.NewDomain{}, fault.Invalidf(f.domain, "%s is already ordered in another order", name)
		}
	}
	if d.Type == "" {
		d.Type = order.DomainRegister
	}
	if d.Type != order.DomainRegister && d.Type != order.DomainTransfer {
		return order.NewDomain{}, fault.Invalidf(f.typ, "must be register or transfer")
	}
	if d.Period == 0 {
		d.Period = 1
	}
	if d.Period < 1 || d.Period > catalog.MaxDomainYears {
		return order.NewDomain{}, fault.Invalidf(f.period, "must be 1 to %d years", catalog.MaxDomainYears)
	}
	nameservers, err := input.Nameservers(f.nameservers, d.Nameservers, 0)
	if err != nil {
		return order.NewDomain{}, err
	}
	tld, err := catalog.FindTLD(ctx, q, name)
	if err != nil {
		return order.NewDomain{}, fault.OrInvalid(err, f.domain, "we do not sell "+name[strings.Index(name, "."):]+" domains")
	}
	if tld.Currency != currency {
		return order.NewDomain{}, fault.Invalidf(f.domain, "%s is priced in %s, the client pays in %s", tld.Tld, tld.Currency, currency)
	}
	price := tld.RegisterPrice
	if d.Type == order.DomainTransfer {
		price = tld.TransferPrice
		if d.EPPCode == "" && tld.EppRequired { // the TLD's EPP Code setting
			return order.NewDomain{}, fault.Invalidf(f.eppCode, "a transfer needs the domain's EPP code")
		}
	}
	// The order has no id yet: the code is bound to the domain's name until CreateOrder stores it.
	nd := order.NewDomain{Domain: name, Type: d.Type, Period: d.Period, Nameservers: nameservers, Amount: price * int64(d.Period),
		EPPCodeSealed: s.secrets.SealFor(d.EPPCode, secrets.NewDomainEPPCode(name))}
	if tld.AutoRegistrar != nil {
		nd.AutoRegistrar = *tld.AutoRegistrar
	}
	return nd, nil
}

// overridden is a price, or the override of it (a decimal in currency) when one is given.
func overridden(price int64, override, currency, field string) (int64, error) {
	if override == "" {
		return price, nil
	}
	v, err := money.Parse(override, currency)
	if err != nil {
		return 0, fault.Invalidf(field, "%v", err)
	}
	return v, nil
}

// countOf is how many of items are of product id.
func countOf(items []PlaceItem, id int64) int {
	n := 0
	for _, it := range items {
		if it.ProductID == id {
			n++
		}
	}
	return n
}
