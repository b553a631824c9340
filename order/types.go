package order

import (
	"cmp"

	"github.com/hostflow/hostflow/tax"
)

// NewOrder is an order as the API validated and priced it: everything needed to write its rows.
// It is the order workflow's input, so it holds no secret in clear (EPP codes come sealed).
type NewOrder struct {
	ID            int64  `json:"id"`
	WorkflowID    string `json:"workflow_id,omitempty"` // empty in orders placed before it was recorded
	Number        int64  `json:"number"`
	ClientID      int64  `json:"client_id"`
	PaymentMethod string `json:"payment_method"`
	Currency      string `json:"currency"`
	Amount        int64  `json:"amount"`
	ClientIP      string `json:"client_ip,omitempty"`
	// WaitingFor is what the order waits for as its workflow starts: its first write records it.
	WaitingFor WaitingFor   `json:"waiting_for,omitempty"`
	PromoCode  string       `json:"promo_code,omitempty"`
	Notes      string       `json:"notes,omitempty"`
	Services   []NewService `json:"services,omitempty"`
	Domains    []NewDomain  `json:"domains,omitempty"`
	Actor      Actor        `json:"actor"`
	NoEmail    bool         `json:"no_email,omitempty"`
	// NoInvoiceEmail sends no Invoice Created email (WHMCS's AddOrder noinvoiceemail).
	NoInvoiceEmail bool `json:"no_invoice_email,omitempty"`
	// FraudRule says in words which fraud rule applied at placement, for the order page.
	FraudRule string `json:"fraud_rule,omitempty"`
	// AffiliateID is the affiliate who referred the order (WHMCS's affid); 0 for none.
	AffiliateID int64 `json:"affiliate_id,omitempty"`
	// Discount is what the order's promotion code takes off; nil without one.
	Discount *Discount `json:"discount,omitempty"`
	// Tax is the order's tax as pricing worked it out (package tax), written with its invoice;
	// nil when no tax is charged (tax off, the client exempt, no rule for them) unless its VAT
	// is reverse charged, which the invoice records.
	Tax *Tax `json:"tax,omitempty"`
}

// Tax is an order's tax, worked out at pricing: each level's amount, rate (thousandths of a
// percent, tax.Rate) and name, and whether prices included it. Which lines it is charged on is
// each line's Taxed.
type Tax struct {
	Inclusive bool   `json:"inclusive,omitempty"`
	Tax1      int64  `json:"tax1"`
	Tax2      int64  `json:"tax2,omitempty"`
	Rate1     int64  `json:"rate1"`
	Rate2     int64  `json:"rate2,omitempty"`
	Name1     string `json:"name1,omitempty"`
	Name2     string `json:"name2,omitempty"`
	// ReverseCharge says the client's VAT is reverse charged (no tax, and the invoice says so).
	ReverseCharge bool `json:"reverse_charge,omitempty"`
}

// Note is the tax note the order's invoice and the cart show: the reverse charge's, or "".
func (t Tax) Note() string {
	if t.ReverseCharge {
		return tax.ReverseChargeNote
	}
	return ""
}

// Discount is what a promotion code takes off an order, worked out at pricing and written with
// the order as one invoice line, in the transaction that counts the code's use.
type Discount struct {
	PromotionID int64  `json:"promotion_id"`
	Description string `json:"description"` // the invoice line: "Promotional Code: SPRING - 10% Discount"
	Amount      int64  `json:"amount"`      // more than 0, at most what the items cost
	// Taxed says the discount line lowers the taxed amount: every line it applies to is taxed.
	Taxed bool `json:"taxed,omitempty"`
	// TaxedAmount is the part of Amount that comes off taxed items: a discount over taxed and
	// untaxed items lowers the taxed amount by this much only.
	TaxedAmount int64 `json:"taxed_amount,omitempty"`
}

// NewService is one hosting item of a new order.
type NewService struct {
	ProductID    int64        `json:"product_id"`
	ProductName  string       `json:"product_name"`
	Module       string       `json:"module"`
	AutoSetup    AutoSetup    `json:"auto_setup"`
	Domain       string       `json:"domain,omitempty"`
	BillingCycle BillingCycle `json:"billing_cycle"`
	SetupFee     int64        `json:"setup_fee"`
	Amount       int64        `json:"amount"`
	// Taxed says its invoice lines (the price and the setup fee) are taxed.
	Taxed bool `json:"taxed,omitempty"`
	// A server's fields (VPS and dedicated): WHMCS's AddOrder hostname, rootpw (sealed for
	// transit, like every secret in a workflow's input) and nameserver prefixes.
	Hostname           string `json:"hostname,omitempty"`
	RootPasswordSealed []byte `json:"root_password_sealed,omitempty"`
	NS1Prefix          string `json:"ns1_prefix,omitempty"`
	NS2Prefix          string `json:"ns2_prefix,omitempty"`
}

// NewDomain is one domain item of a new order.
type NewDomain struct {
	Domain        string     `json:"domain"`
	Type          DomainType `json:"type"`
	Period        int        `json:"period"`
	EPPCodeSealed []byte     `json:"epp_code_sealed,omitempty"`
	Nameservers   []string   `json:"nameservers,omitempty"`
	Amount        int64      `json:"amount"`
	AutoRegistrar string     `json:"auto_registrar,omitempty"`
	// Taxed says its invoice line is taxed.
	Taxed bool `json:"taxed,omitempty"`
	// The domain's addons, as AddOrder asks for them.
	DNSManagement   bool `json:"dns_management,omitempty"`
	EmailForwarding bool `json:"email_forwarding,omitempty"`
	IDProtection    bool `json:"id_protection,omitempty"`
}

// PaidAtOnce reports whether the order has nothing to pay: its invoice is Paid as it is written.
func (o NewOrder) PaidAtOnce() bool { return o.Total() == 0 }

// Total is what the order's invoice asks for: its items, less the discount, and the tax on
// top of them unless their prices include it.
func (o NewOrder) Total() int64 {
	t := o.Lines()
	if o.Tax != nil && !o.Tax.Inclusive {
		t += o.Tax.Tax1 + o.Tax.Tax2
	}
	return t
}

// Subtotal is the invoice's amount before tax: its lines, less the tax they include when
// prices include it. Without tax it is the total.
func (o NewOrder) Subtotal() int64 {
	t := o.Lines()
	if o.Tax != nil && o.Tax.Inclusive {
		t -= o.Tax.Tax1 + o.Tax.Tax2
	}
	return t
}

// Lines is what the invoice's lines add up to: the items less the discount.
func (o NewOrder) Lines() int64 {
	var t int64
	for _, s := range o.Services {
		t += s.SetupFee + s.Amount
	}
	for _, d := range o.Domains {
		t += d.Amount
	}
	if o.Discount != nil {
		t -= o.Discount.Amount
	}
	return max(t, 0)
}

// AcceptOptions are WHMCS's Accept Order options: order-wide, and per item as WHMCS's Accept
// page offers them, an item's own over the order's. Nil pointers take the default: run the
// module create for products with a module, send the welcome email, send domains to their
// registrar.
type AcceptOptions struct {
	ServerID         int64           `json:"server_id,omitempty"`
	Username         string          `json:"username,omitempty"`
	PasswordSealed   []byte          `json:"password_sealed,omitempty"`
	RunModuleCreate  *bool           `json:"run_module_create,omitempty"`
	SendWelcomeEmail *bool           `json:"send_welcome_email,omitempty"`
	Registrar        string          `json:"registrar,omitempty"`
	SendToRegistrar  *bool           `json:"send_to_registrar,omitempty"`
	Services         []ServiceChoice `json:"services,omitempty"`
	Domains          []DomainChoice  `json:"domains,omitempty"`
}

// ServiceChoice is Accept Order's options for one service.
type ServiceChoice struct {
	ID               int64  `json:"id"`
	ServerID         int64  `json:"server_id,omitempty"`
	Username         string `json:"username,omitempty"`
	PasswordSealed   []byte `json:"password_sealed,omitempty"`
	RunModuleCreate  *bool  `json:"run_module_create,omitempty"`
	SendWelcomeEmail *bool  `json:"send_welcome_email,omitempty"`
}

// DomainChoice is Accept Order's options for one domain.
type DomainChoice struct {
	ID              int64  `json:"id"`
	Registrar       string `json:"registrar,omitempty"`
	SendToRegistrar *bool  `json:"send_to_registrar,omitempty"`
}

// Service is the options for service id: its own, over the order-wide ones. An order-wide
// username or password names one account, so it applies only to an order's only service.
func (o AcceptOptions) Service(id int64, only bool) ServiceChoice {
	c := ServiceChoice{ID: id, ServerID: o.ServerID, RunModuleCreate: o.RunModuleCreate, SendWelcomeEmail: o.SendWelcomeEmail}
	if only {
		c.Username, c.PasswordSealed = o.Username, o.PasswordSealed
	}
	for _, s := range o.Services {
		if s.ID != id {
			continue
		}
		c.ServerID = cmp.Or(s.ServerID, c.ServerID)
		c.Username = cmp.Or(s.Username, c.Username)
		if s.PasswordSealed != nil {
			c.PasswordSealed = s.PasswordSealed
		}
		c.RunModuleCreate = cmp.Or(s.RunModuleCreate, c.RunModuleCreate)
		c.SendWelcomeEmail = cmp.Or(s.SendWelcomeEmail, c.SendWelcomeEmail)
	}
	return c
}

// Domain is the options for domain id: its own, over the order-wide ones.
func (o AcceptOptions) Domain(id int64) DomainChoice {
	c := DomainChoice{ID: id, Registrar: o.Registrar, SendToRegistrar: o.SendToRegistrar}
	for _, d := range o.Domains {
		if d.ID == id {
			c.Registrar = cmp.Or(d.Registrar, c.Registrar)
			c.SendToRegistrar = cmp.Or(d.SendToRegistrar, c.SendToRegistrar)
		}
	}
	return c
}

// ActionRequest is the argument of every admin action sent to an order's workflow.
type ActionRequest struct {
	Actor  Actor          `json:"actor"`
	Accept *AcceptOptions `json:"accept,omitempty"`
	// Item actions: the service or domain acted on, a suspension's reason, a transfer's new
	// EPP code (sealed), a package change's package ("" keeps the product's), a password
	// change's new password (sealed; nil sets the stored one again).
	ItemID         int64  `json:"item_id,omitempty"`
	Reason         string `json:"reason,omitempty"`
	EPPCodeSealed  []byte `json:"epp_code_sealed,omitempty"`
	Package        string `json:"package,omitempty"`
	PasswordSealed []byte `json:"password_sealed,omitempty"`
	// IPAddress checks an order for fraud as if placed from this address (WHMCS's
	// OrderFraudCheck ipaddress); "" uses the order's.
	IPAddress string `json:"ip_address,omitempty"`
	// Years of a renewal (0: the domain's registration period); Nameservers to state.
	Years       int      `json:"years,omitempty"`
	Nameservers []string `json:"nameservers,omitempty"`
}
