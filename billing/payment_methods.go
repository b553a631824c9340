package billing

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
)

// Method is a payment method an order may name, with what the admin set of it (WHMCS's Payment
// Gateways "Display Name" and "Show on Order Form").
type Method struct {
	Name string `json:"name"`
	// DisplayName is the name customers, emails and invoices show: the admin's, else the default.
	DisplayName string `json:"display_name"`
	// Enabled methods are offered and accepted by new orders; orders already placed with a
	// disabled one keep it, and its payments are still recorded.
	Enabled bool `json:"enabled"`
}

// Methods lists every payment method, enabled or not: the configured gateways and the manual
// methods (the setting manual_payment_methods, banktransfer and mailin unless changed). It is
// the one list of methods; what an admin set of each is kept apart (payment_methods), by name.
func (s *Billing) Methods(ctx context.Context) ([]Method, error) {
	gws, err := s.gatewayNames(ctx)
	if err != nil {
		return nil, err
	}
	names, err := catalog.ManualPaymentMethods(ctx, s.q())
	if err != nil {
		return nil, err
	}
	names = append(names, gws...)
	slices.Sort(names)
	names = slices.Compact(names)
	set, err := s.methodSettings(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Method, len(names))
	for i, n := range names {
		out[i] = Method{Name: n, DisplayName: defaultMethodName(n), Enabled: true}
		if r, ok := set[n]; ok {
			out[i].Enabled = r.Enabled
			if r.DisplayName != "" {
				out[i].DisplayName = r.DisplayName
			}
		}
	}
	return out, nil
}

// methodSettings reads what admins set of the methods, and refreshes MethodName's names with it.
func (s *Billing) methodSettings(ctx context.Context) (map[string]db.ListPaymentMethodSettingsRow, error) {
	rows, err := s.q().ListPaymentMethodSettings(ctx)
	if err != nil {
		return nil, fault.Wrap(err, "list payment method settings")
	}
	out := make(map[string]db.ListPaymentMethodSettingsRow, len(rows))
	for _, r := range rows {
		out[r.Name] = r
	}
	displayNames.store(rows)
	return out, nil
}

// PaymentMethods lists the payment methods a new order may name, as GetPaymentMethods, the
// store's checkout and the console offer them: the enabled ones of Methods.
func (s *Billing) PaymentMethods(ctx context.Context) ([]string, error) {
	all, err := s.Methods(ctx)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, m := range all {
		if m.Enabled {
			out = append(out, m.Name)
		}
	}
	return out, nil
}

// CheckPaymentMethod refuses a payment method that is not one of PaymentMethods (unknown or
// disabled), in WHMCS's words and with the choices: WHMCS does not list a gateway hidden from
// the order form either.
func (s *Billing) CheckPaymentMethod(ctx context.Context, method string) error {
	methods, err := s.PaymentMethods(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(methods, method) {
		return fault.Invalidf("payment_method", "%s. Valid options include %s", ReasonInvalidPaymentMethod, strings.Join(methods, ","))
	}
	return nil
}

// ReasonInvalidPaymentMethod is WHMCS's AddOrder refusal of its paymentmethod.
const ReasonInvalidPaymentMethod = "Invalid Payment Method"

// MaxDisplayName is the longest display name, in characters.
const MaxDisplayName = 64

// MethodChange is what an admin changes of a payment method; nil leaves it as it is.
type MethodChange struct {
	// DisplayName "" goes back to the default name.
	DisplayName *string
	Enabled     *bool
}

// CheckMethodChange refuses a display name that cannot be shown: too long, or on more than
// one line.
func CheckMethodChange(c MethodChange) error {
	if c.DisplayName == nil {
		return nil
	}
	n := strings.TrimSpace(*c.DisplayName)
	if utf8.RuneCountInString(n) > MaxDisplayName {
		return fault.Invalidf("display_name", "must be at most %d characters", MaxDisplayName)
	}
	if strings.ContainsAny(n, "\r\n\t") {
		return fault.Invalidf("display_name", "must be one line")
	}
	return nil
}

// SetMethod changes a payment method's display name or whether it is offered. Only a method of
// Methods can be changed: a name of none would be kept for nothing.
func (s *Billing) SetMethod(ctx context.Context, name string, c MethodChange) (Method, error) {
	if err := CheckMethodChange(c); err != nil {
		return Method{}, err
	}
	all, err := s.Methods(ctx)
	if err != nil {
		return Method{}, err
	}
	i := slices.IndexFunc(all, func(m Method) bool { return m.Name == name })
	if i < 0 {
		return Method{}, &fault.Error{Kind: fault.NotFound, Field: "name", Message: "no payment method " + name}
	}
	m := all[i]
	custom := ""
	if m.DisplayName != defaultMethodName(name) {
		custom = m.DisplayName
	}
	if c.DisplayName != nil {
		custom = strings.TrimSpace(*c.DisplayName)
		if custom == defaultMethodName(name) {
			custom = "" // the default, kept as such so a changed default follows
		}
	}
	if c.Enabled != nil {
		m.Enabled = *c.Enabled
	}
	if err := s.q().PutPaymentMethodSettings(ctx, db.PutPaymentMethodSettingsParams{Name: name, DisplayName: custom,
		Enabled: m.Enabled}); err != nil {
		return Method{}, fault.Wrap(err, "store payment method %s", name)
	}
	m.DisplayName = defaultMethodName(name)
	if custom != "" {
		m.DisplayName = custom
	}
	if _, err := s.methodSettings(ctx); err != nil { // this process shows the new name at once
		return Method{}, err
	}
	return m, nil
}

// methodNames are the payment methods' default display names, WHMCS's defaults; another
// method shows its system name.
var methodNames = map[string]string{"banktransfer": "Bank Transfer", "mailin": "Mail In Payment", "paypal": "PayPal",
	"paypalcheckout": "PayPal", "stripe": "Credit Card", "authorize": "Credit Card"}

func defaultMethodName(method string) string {
	if n, ok := methodNames[method]; ok {
		return n
	}
	return method
}

// MethodName is a payment method's display name, as customers, emails, invoices and WHMCS's
// paymentmethodname show it: the admin's if set, else the default. It is called where no
// database is at hand (templates, PDFs, WHMCS replies), so the admins' names are kept here,
// read again when older than namesTTL: another process (the worker) follows a change within it.
func MethodName(method string) string {
	if n, ok := displayNames.get()[method]; ok {
		return n
	}
	return defaultMethodName(method)
}

// namesTTL is how long MethodName trusts the admins' names it last read.
const namesTTL = 10 * time.Second

// displayNames are the admins' display names, by method, and how to read them again.
var displayNames nameCache

type nameCache struct {
	mu     sync.Mutex
	names  map[string]string
	read   time.Time
	reload func(context.Context) (map[string]db.ListPaymentMethodSettingsRow, error)
}

// use makes b the source of the names: the Billing made last (one a process, but a test makes
// one a database), forgetting the names another read.
func (c *nameCache) use(b *Billing) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.names, c.read, c.reload = nil, time.Time{}, b.methodSettings
}

func (c *nameCache) store(rows []db.ListPaymentMethodSettingsRow) {
	names := make(map[string]string, len(rows))
	for _, r := range rows {
		if r.DisplayName != "" {
			names[r.Name] = r.DisplayName
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.names, c.read = names, time.Now()
}

func (c *nameCache) get() map[string]string {
	c.mu.Lock()
	names, stale, reload := c.names, time.Since(c.read) > namesTTL, c.reload
	c.mu.Unlock()
	if stale && reload != nil {
		// Read under a short deadline of its own: a name is not worth holding up a page; on
		// failure the names last read (or the defaults) are shown.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if _, err := reload(ctx); err != nil {
			c.mu.Lock()
			c.read = time.Now() // not again at once: the database is away
			c.mu.Unlock()
		}
		c.mu.Lock()
		names = c.names
		c.mu.Unlock()
	}
	return names
}

// BankTransfer is the manual method whose invoices show the bank transfer instructions.
const BankTransfer = "banktransfer"
