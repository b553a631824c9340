package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/tax"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// Settings an admin may change.
const (
	// SettingFraudThreshold is the fraud score (0-100) above which an order is marked Fraud.
	SettingFraudThreshold = "fraud_threshold"
	// SettingCancelUnpaidAfterDays: see order.SettingCancelUnpaidAfterDays.
	SettingCancelUnpaidAfterDays = order.SettingCancelUnpaidAfterDays
	// SettingFraudSkipActiveClients ("true"/"false") skips the fraud check for clients who
	// already have an Active order.
	SettingFraudSkipActiveClients = "fraud_skip_active_clients"
	// SettingFraudModule is the fraud module that checks orders (WHMCS's Fraud Protection
	// module): fraud.ModuleMaxMind, accepted only where MaxMind is configured, or
	// fraud.ModuleNone, which checks nothing. Unset, MaxMind checks when configured.
	SettingFraudModule = "fraud_module"
	// SettingMailFrom and SettingMailFromName are the emails' sender (WHMCS's Email From
	// Address and Name), read at each send; each unset or "" is HOSTFLOW_MAIL_FROM's or
	// HOSTFLOW_MAIL_FROM_NAME's.
	SettingMailFrom     = "mail_from"
	SettingMailFromName = "mail_from_name"
	// SettingManualPaymentMethods lists, comma-separated, the payment methods an order may name
	// besides the configured gateways: an admin marks them paid by hand (WHMCS's Bank Transfer
	// and Mail In Payment modules).
	SettingManualPaymentMethods = "manual_payment_methods"
	// SettingStaffEmail is where emails to staff (the New Order Notification) go: addresses,
	// comma-separated; unset or "", each active admin.
	SettingStaffEmail = "staff_email"
	// SettingBankTransferInstructions is what an invoice to be paid by bank transfer tells the
	// customer: the account to pay into and the reference to quote.
	SettingBankTransferInstructions = "bank_transfer_instructions"
	// SettingTaxEnabled ("true"/"false") is WHMCS's Tax Support: off, the default, nothing is
	// taxed and invoices are as before.
	SettingTaxEnabled = "tax_enabled"
	// SettingTaxInclusive ("true"/"false"): prices include tax, carved out of them on the
	// invoice; off, the default, tax is added on top (WHMCS's Inclusive/Exclusive Tax).
	SettingTaxInclusive = "tax_inclusive"
	// SettingTaxCompound ("true"/"false") charges level-2 tax on the amount plus the level-1
	// tax (WHMCS's Compound Tax).
	SettingTaxCompound = "tax_compound"
	// SettingTaxDomains ("true"/"false") taxes domain registrations and transfers (WHMCS's
	// Apply Tax to Domains); off, the default, only products ticked taxable are taxed.
	SettingTaxDomains = "tax_domains"
	// SettingSellerCountry is where the seller is, an ISO 3166-1 alpha-2 code ("" unset): a
	// seller in the EU reverse charges VAT to businesses in other member states (WHMCS's
	// TaxEUHomeCountry, "Your Home Country").
	SettingSellerCountry = "seller_country"
	// SettingCompanyName, SettingCompanyAddress and SettingCompanyTaxID are the seller as its
	// invoices show it: the name, the postal address (lines) and the VAT or tax number.
	SettingCompanyName    = "company_name"
	SettingCompanyAddress = "company_address"
	SettingCompanyTaxID   = "company_tax_id"
	// SettingSequentialInvoiceNumbers ("true"/"false") is WHMCS's Sequential Paid Invoice
	// Numbering: an invoice takes the next number as it becomes Paid (billing's
	// invoicenumbers.go); off, the default, invoices are known by their id.
	SettingSequentialInvoiceNumbers = "sequential_invoice_numbers"
	// SettingInvoiceNumberFormat makes the number: {NUMBER}, {YEAR}, {MONTH} and {DAY} (the
	// day it was paid) in any text; DefaultInvoiceNumberFormat unless set.
	SettingInvoiceNumberFormat = "invoice_number_format"
	// SettingInvoiceNumberNext is the next number a paid invoice takes. It is not kept in
	// settings but in its counter row (migration 00034), which the payment locks; Settings
	// shows it and PutSettings raises it, never lowers it.
	SettingInvoiceNumberNext = "invoice_number_next"
)

// DefaultInvoiceNumberFormat is the number format when none is set: the number alone.
const DefaultInvoiceNumberFormat = "{NUMBER}"

// CounterPaidInvoiceNumber is the counter row paid invoices take their numbers from.
const CounterPaidInvoiceNumber = "paid_invoice_number"

// maxInstructions bounds the bank transfer instructions: a few paragraphs.
const maxInstructions = 4000

// defaultManualPaymentMethods are the manual methods of an installation that has not set any.
const defaultManualPaymentMethods = "banktransfer,mailin"

// paymentMethodName is a payment method's system name: WHMCS's modules are named in lower
// case ("banktransfer"), and names taken before the check (migration 00022) may be any word.
var paymentMethodName = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// settingRules validates each setting an admin may change: what is wrong with a value, in
// words, or "" when it is fine.
var settingRules = map[string]func(string) string{
	SettingFraudThreshold: func(v string) string {
		if f, err := strconv.ParseFloat(v, 64); err != nil || f < 0 || f > 100 {
			return "must be a score from 0 to 100"
		}
		return ""
	},
	SettingCancelUnpaidAfterDays: func(v string) string {
		if n, err := strconv.Atoi(v); err != nil || n < 0 || n > 3650 {
			return "must be a whole number of days from 0 (never) to 3650"
		}
		return ""
	},
	SettingFraudSkipActiveClients: onOff,
	SettingFraudModule: func(v string) string {
		if v != fraud.ModuleMaxMind && v != fraud.ModuleNone {
			return fmt.Sprintf("must be %s or %s", fraud.ModuleMaxMind, fraud.ModuleNone)
		}
		return ""
	},
	SettingTaxEnabled:   onOff,
	SettingTaxInclusive: onOff,
	SettingTaxCompound:  onOff,
	SettingTaxDomains:   onOff,
	SettingSellerCountry: func(v string) string {
		if v != "" && !tax.Country(v) {
			return fmt.Sprintf("%q is not an ISO 3166 country code such as DE", v)
		}
		return ""
	},
	SettingStaffEmail: func(v string) string {
		if v == "" {
			return ""
		}
		for _, a := range strings.Split(v, ",") {
			if a = strings.TrimSpace(a); !input.Email(a) {
				return fmt.Sprintf("%q is not an email address", a)
			}
		}
		return ""
	},
	SettingSequentialInvoiceNumbers: onOff,
	SettingMailFrom: func(v string) string {
		if v != "" && !input.Email(v) {
			return fmt.Sprintf("%q is not an email address", v)
		}
		return ""
	},
	SettingMailFromName:   maxLength(100),
	SettingCompanyName:    maxLength(200),
	SettingCompanyTaxID:   maxLength(64),
	SettingCompanyAddress: maxLength(1000),
	SettingInvoiceNumberFormat: func(v string) string {
		if problem := maxLength(64)(v); problem != "" {
			return problem
		}
		if v != "" && !strings.Contains(v, "{NUMBER}") {
			return "must hold {NUMBER}, or two invoices would share a number"
		}
		return ""
	},
	SettingInvoiceNumberNext: func(v string) string {
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n < 1 || n > 1e15 {
			return "must be a whole number from 1"
		}
		return ""
	},
	SettingBankTransferInstructions: func(v string) string {
		if len(v) > maxInstructions {
			return fmt.Sprintf("must be at most %d characters", maxInstructions)
		}
		return ""
	},
	SettingManualPaymentMethods: func(v string) string {
		if v == "" {
			return "" // gateways only
		}
		for _, m := range strings.Split(v, ",") {
			if !paymentMethodName.MatchString(m) {
				return fmt.Sprintf("%q is not a payment method's system name (letters, digits, _ . -, no spaces)", m)
			}
		}
		return ""
	},
}

// maxLength is the rule of a free-text setting: at most n characters.
func maxLength(n int) func(string) string {
	return func(v string) string {
		if len([]rune(v)) > n {
			return fmt.Sprintf("must be at most %d characters", n)
		}
		return ""
	}
}

// onOff is the rule of a setting that is on ("true") or off ("false").
func onOff(v string) string {
	if v != "true" && v != "false" {
		return `must be "true" or "false"`
	}
	return ""
}

// ManualPaymentMethods reads the manual payment methods setting.
func ManualPaymentMethods(ctx context.Context, q *db.Queries) ([]string, error) {
	v, err := q.GetSetting(ctx, SettingManualPaymentMethods)
	if errors.Is(err, pgx.ErrNoRows) {
		v, err = defaultManualPaymentMethods, nil
	}
	if err != nil || v == "" {
		return nil, fault.Wrap(err, "read the manual payment methods")
	}
	return strings.Split(v, ","), nil
}

// BankTransferInstructions is what an invoice to be paid by bank transfer tells the customer
// (SettingBankTransferInstructions); "" when unset.
func (s *Catalog) BankTransferInstructions(ctx context.Context) (string, error) {
	v, err := s.q().GetSetting(ctx, SettingBankTransferInstructions)
	if dbtx.IsNoRows(err) {
		return "", nil
	}
	return v, fault.Wrap(err, "read the bank transfer instructions")
}

// OrderPolicy is what the settings say about a new order.
type OrderPolicy struct {
	FraudThreshold         float64
	UnpaidDays             int
	FraudSkipActiveClients bool
}

// OrderSettings reads the settings a new order's workflow is started with.
func OrderSettings(ctx context.Context, q *db.Queries) (OrderPolicy, error) {
	rows, err := q.ListSettings(ctx)
	if err != nil {
		return OrderPolicy{}, fault.Wrap(err, "read settings")
	}
	p := OrderPolicy{FraudThreshold: fraud.DefaultThreshold}
	for _, r := range rows { // validated when stored
		switch r.Key {
		case SettingFraudThreshold:
			p.FraudThreshold, _ = strconv.ParseFloat(r.Value, 64)
		case SettingCancelUnpaidAfterDays:
			p.UnpaidDays, _ = strconv.Atoi(r.Value)
		case SettingFraudSkipActiveClients:
			p.FraudSkipActiveClients = r.Value == "true"
		}
	}
	return p, nil
}

// TaxPolicy is what the settings say about tax: how it is computed, and whether domains are
// taxed (products say so each for itself).
type TaxPolicy struct {
	tax.Settings
	Domains bool
}

// TaxSettings reads the tax settings an order is priced with; all off unless set.
func TaxSettings(ctx context.Context, q *db.Queries) (TaxPolicy, error) {
	rows, err := q.ListSettings(ctx)
	if err != nil {
		return TaxPolicy{}, fault.Wrap(err, "read the tax settings")
	}
	var p TaxPolicy
	for _, r := range rows { // validated when stored
		on := r.Value == "true"
		switch r.Key {
		case SettingTaxEnabled:
			p.Enabled = on
		case SettingTaxInclusive:
			p.Inclusive = on
		case SettingTaxCompound:
			p.Compound = on
		case SettingTaxDomains:
			p.Domains = on
		case SettingSellerCountry:
			p.SellerCountry = r.Value
		}
	}
	return p, nil
}

// Settings returns every stored setting.
func (s *Catalog) Settings(ctx context.Context) (map[string]string, error) {
	rows, err := s.q().ListSettings(ctx)
	if err != nil {
		return nil, fault.Wrap(err, "list settings")
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.Key] = r.Value
	}
	next, err := s.q().GetCounter(ctx, CounterPaidInvoiceNumber)
	if err != nil {
		return nil, fault.Wrap(err, "read the next invoice number")
	}
	out[SettingInvoiceNumberNext] = strconv.FormatInt(next, 10)
	if out[SettingFraudModule] == "" {
		out[SettingFraudModule] = s.DefaultFraudModule()
	}
	return out, nil
}

// FraudModuleChoices are the fraud modules this environment can run (WithFraudModules).
// None is always among them: it needs no account.
func (s *Catalog) FraudModuleChoices() []string {
	if slices.Contains(s.fraudModules, fraud.ModuleNone) {
		return s.fraudModules
	}
	return append(slices.Clone(s.fraudModules), fraud.ModuleNone)
}

// DefaultFraudModule is the fraud module while fraud_module is unset: MaxMind where it is
// configured, as before the setting.
func (s *Catalog) DefaultFraudModule() string {
	if slices.Contains(s.fraudModules, fraud.ModuleMaxMind) {
		return fraud.ModuleMaxMind
	}
	return fraud.ModuleNone
}

// FraudModuleProblem is what is wrong with choosing module where configured are the modules the
// environment can run: a module without its account would check nothing while the admin
// believes it does.
func FraudModuleProblem(module string, configured []string) string {
	if module != fraud.ModuleNone && !slices.Contains(configured, module) {
		return fmt.Sprintf("%s is not configured: set HOSTFLOW_MAXMIND_ACCOUNT_ID and HOSTFLOW_MAXMIND_LICENSE_KEY first", module)
	}
	return ""
}

// MailSender is the emails' sender as the admin set it (SettingMailFrom, SettingMailFromName),
// read at each send; "" where unset, for the configuration's to stand in.
func MailSender(ctx context.Context, q *db.Queries) (name, address string, err error) {
	rows, err := q.ListSettings(ctx)
	if err != nil {
		return "", "", fault.Wrap(err, "read the email sender")
	}
	for _, r := range rows {
		switch r.Key {
		case SettingMailFrom:
			address = r.Value
		case SettingMailFromName:
			name = r.Value
		}
	}
	return name, address, nil
}

// FraudModule is the fraud module the admin chose, read when an order is checked; "" while
// unset (the configured checker runs).
func FraudModule(ctx context.Context, q *db.Queries) (string, error) {
	v, err := q.GetSetting(ctx, SettingFraudModule)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return v, fault.Wrap(err, "read the fraud module")
}

// PutSettings validates and stores settings in one transaction: all or none.
func (s *Catalog) PutSettings(ctx context.Context, given map[string]string) error {
	values := make(map[string]string, len(given))
	for k, v := range given {
		switch k {
		case SettingStaffEmail, SettingManualPaymentMethods:
			v = commaList(v)
		case SettingMailFrom, SettingMailFromName:
			v = strings.TrimSpace(v)
		case SettingSellerCountry:
			v = strings.ToUpper(strings.TrimSpace(v))
		}
		values[k] = v
	}
	for k, v := range values {
		valid, known := settingRules[k]
		if !known {
			return fault.Invalidf(k, "unknown setting")
		}
		multiline := k == SettingBankTransferInstructions || k == SettingCompanyAddress
		if err := input.CheckText(k, v, multiline); err != nil {
			return err
		}
		if problem := valid(v); problem != "" {
			return fault.Invalidf(k, "%s", problem)
		}
		if k == SettingFraudModule {
			if problem := FraudModuleProblem(v, s.fraudModules); problem != "" {
				return fault.Invalidf(k, "%s", problem)
			}
		}
	}
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		if _, ok := values[SettingCancelUnpaidAfterDays]; ok {
			// Alone, before the write: orders being written finish first and are told below.
			if err := q.LockUnpaidPolicy(ctx); err != nil {
				return fault.Wrap(err, "lock the unpaid-cancel setting")
			}
		}
		for k, v := range values {
			if k == SettingInvoiceNumberNext {
				if err := raiseInvoiceNumber(ctx, q, v); err != nil {
					return err
				}
				continue
			}
			if err := q.PutSetting(ctx, db.PutSettingParams{Key: k, Value: v}); err != nil {
				return fault.Wrap(err, "put setting %s", k)
			}
		}
		if v, ok := values[SettingCancelUnpaidAfterDays]; ok {
			// Orders already waiting follow the new setting: each workflow moves its timer.
			days, _ := strconv.Atoi(v)
			payload, _ := json.Marshal(ordermsg.UnpaidPolicy{CancelAfterDays: days})
			_, err := q.EnqueueUnpaidPolicy(ctx, db.EnqueueUnpaidPolicyParams{Signal: ordermsg.SignalUnpaidPolicy, Payload: payload})
			return fault.Wrap(err, "tell waiting orders")
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.outbox.Kick()
	return nil
}

// raiseInvoiceNumber sets the next paid invoice number (validated), refusing one lower than
// the counter holds: WHMCS's Next Paid Invoice Number "should only be raised", since a lower
// one would give a number twice. The same value again is no change.
func raiseInvoiceNumber(ctx context.Context, q *db.Queries, v string) error {
	want, _ := strconv.ParseInt(v, 10, 64)
	got, err := q.RaiseCounter(ctx, db.RaiseCounterParams{Name: CounterPaidInvoiceNumber, Value: want})
	if err != nil {
		return fault.Wrap(err, "raise the next invoice number")
	}
	if got != want {
		return fault.Invalidf(SettingInvoiceNumberNext, "must not be lower than %d: paid invoices already have the numbers below it", got)
	}
	return nil
}

// commaList writes a comma-separated setting in its one form: "a, b ," is "a,b".
func commaList(v string) string {
	var out []string
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return strings.Join(out, ",")
}
