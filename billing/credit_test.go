package billing

import (
	"errors"
	"strings"
	"testing"

	"github.com/hostflow/hostflow/fault"
)

// How much credit ApplyCredit takes: the amount asked, or as much as both the credit and the
// invoice allow; never more than either, never zero, and a refusal names what is available.
func TestCreditToApply(t *testing.T) {
	for _, tc := range []struct {
		name        string
		amount      string
		credit, due int64
		want        int64
		refusal     string // the start of the refusal; "" when it applies
	}{
		{"all of the credit", "", 500, 2699, 500, ""},
		{"all of the invoice", "", 5000, 2699, 2699, ""},
		{"an amount", "10.00", 5000, 2699, 1000, ""},
		{"exactly the credit", "5", 500, 2699, 500, ""},
		{"exactly the balance", "26.99", 5000, 2699, 2699, ""},
		{"no credit", "", 0, 2699, 0, ReasonNoCredit + ": 0.00 USD of credit available"},
		{"nothing due", "", 500, 0, 0, ReasonNoCredit},
		{"a negative balance", "", -100, 2699, 0, ReasonNoCredit + ": 0.00 USD"},
		{"more than the credit", "5.01", 500, 2699, 0, ReasonOverCredit + ": 5.00 USD available"},
		{"more than the invoice", "27.00", 5000, 2699, 0, ReasonOverInvoice + ": 26.99 USD due"},
		{"zero", "0.00", 500, 2699, 0, ReasonNoCredit},
		{"negative", "-1", 500, 2699, 0, "\"-1\" is not a decimal amount"},
		{"malformed", "ten", 500, 2699, 0, "\"ten\" is not a decimal amount"},
		{"too many decimals", "1.001", 500, 2699, 0, "\"1.001\" has more than 2 decimal places"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := creditToApply(tc.amount, "USD", tc.credit, tc.due)
			if tc.refusal == "" {
				if err != nil || got != tc.want {
					t.Fatalf("got %d, %v; want %d", got, err, tc.want)
				}
				return
			}
			var fe *fault.Error
			if !errors.As(err, &fe) || fe.Kind != fault.Invalid || fe.Field != "amount" || !strings.HasPrefix(fe.Message, tc.refusal) {
				t.Fatalf("got %d, %v; want a refusal of amount beginning %q", got, err, tc.refusal)
			}
		})
	}
}

// An admin's amount: a leading minus removes; empty, zero and malformed are refused naming amount.
func TestSignedAmount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		cur  string
		want int64 // 0: refused
	}{
		{"10", "USD", 1000}, {"-10.5", "USD", -1050}, {" 1.25 ", "USD", 125}, {"500", "JPY", 500}, {"-1.234", "KWD", -1234},
		{"", "USD", 0}, {"0", "USD", 0}, {"-0.00", "USD", 0}, {"1.5", "JPY", 0}, {"--1", "USD", 0}, {"+1", "USD", 0}, {"1e3", "USD", 0},
	} {
		got, err := signedAmount(tc.in, tc.cur)
		if tc.want == 0 {
			var fe *fault.Error
			if !errors.As(err, &fe) || fe.Field != "amount" {
				t.Errorf("%q %s: got %d, %v; want a refusal of amount", tc.in, tc.cur, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q %s: got %d, %v; want %d", tc.in, tc.cur, got, err, tc.want)
		}
	}
}

// A client's balance in a currency it has no credit in is zero.
func TestClientCreditBalance(t *testing.T) {
	c := ClientCredit{Balances: []CreditBalance{{"EUR", 250}, {"USD", 1000}}}
	if c.Balance("USD") != 1000 || c.Balance("EUR") != 250 || c.Balance("GBP") != 0 {
		t.Fatalf("balances read wrong: %+v", c)
	}
}
