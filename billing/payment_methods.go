package billing

import (
	"context"
	"slices"
	"strings"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/fault"
)

// PaymentMethods lists the payment methods an order may name, as GetPaymentMethods and the
// console offer them: the configured gateways and the manual methods (the setting
// manual_payment_methods, banktransfer and mailin unless changed).
func (s *Billing) PaymentMethods(ctx context.Context) ([]string, error) {
	gws, err := s.Gateways(ctx)
	if err != nil {
		return nil, err
	}
	out, err := catalog.ManualPaymentMethods(ctx, s.q())
	if err != nil {
		return nil, err
	}
	for _, g := range gws {
		out = append(out, g.Name)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// CheckPaymentMethod refuses a payment method that is not one of PaymentMethods, in WHMCS's
// words and with the choices.
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

// methodNames are the payment methods' display names, WHMCS's defaults, as customers, emails
// and WHMCS's paymentmethodname show them; another method shows its system name.
var methodNames = map[string]string{"banktransfer": "Bank Transfer", "mailin": "Mail In Payment", "paypal": "PayPal",
	"paypalcheckout": "PayPal", "stripe": "Credit Card", "authorize": "Credit Card"}

// MethodName is a payment method's display name.
func MethodName(method string) string {
	if n, ok := methodNames[method]; ok {
		return n
	}
	return method
}

// BankTransfer is the manual method whose invoices show the bank transfer instructions.
const BankTransfer = "banktransfer"
