package catalog

import (
	"strings"
	"testing"
)

func TestSettingRules(t *testing.T) {
	for _, tc := range []struct {
		key, value, problem string
	}{
		{SettingFraudThreshold, "20", ""},
		{SettingFraudThreshold, "100", ""},
		{SettingFraudThreshold, "100.5", "must be a score from 0 to 100"},
		{SettingFraudThreshold, "high", "must be a score from 0 to 100"},
		{SettingCancelUnpaidAfterDays, "0", ""},
		{SettingCancelUnpaidAfterDays, "1.5", "must be a whole number of days from 0 (never) to 3650"},
		{SettingFraudSkipActiveClients, "yes", `must be "true" or "false"`},
		{SettingStaffEmail, "", ""},
		{SettingStaffEmail, "a@host.example,b@host.example", ""},
		{SettingStaffEmail, "a@host.example,nobody", `"nobody" is not an email address`},
		{SettingManualPaymentMethods, "banktransfer,mailin", ""},
		{SettingManualPaymentMethods, "bank transfer", `"bank transfer" is not a payment method's system name (letters, digits, _ . -, no spaces)`},
		{SettingSequentialInvoiceNumbers, "true", ""},
		{SettingSequentialInvoiceNumbers, "on", `must be "true" or "false"`},
		{SettingInvoiceNumberFormat, "", ""},
		{SettingInvoiceNumberFormat, "INV-{YEAR}-{NUMBER}", ""},
		{SettingInvoiceNumberFormat, "INV-{YEAR}", "must hold {NUMBER}, or two invoices would share a number"},
		{SettingInvoiceNumberFormat, strings.Repeat("x", 60) + "{NUMBER}", "must be at most 64 characters"},
		{SettingInvoiceNumberNext, "1", ""},
		{SettingInvoiceNumberNext, "0", "must be a whole number from 1"},
		{SettingInvoiceNumberNext, "12.5", "must be a whole number from 1"},
		{SettingCompanyName, "Hôst Exämple GmbH", ""},
		{SettingCompanyName, strings.Repeat("é", 201), "must be at most 200 characters"},
		{SettingCompanyTaxID, "DE123456789", ""},
		{SettingCompanyAddress, "Hauptstraße 1\n10115 Berlin", ""},
		{SettingMailFrom, "", ""},
		{SettingMailFrom, "billing@host.example", ""},
		{SettingMailFrom, "Host Example <billing@host.example>", `"Host Example <billing@host.example>" is not an email address`},
		{SettingMailFrom, "billing", `"billing" is not an email address`},
		{SettingMailFromName, "Host Example Billing", ""},
		{SettingMailFromName, strings.Repeat("x", 101), "must be at most 100 characters"},
		{SettingFraudModule, "maxmind", ""},
		{SettingFraudModule, "none", ""},
		{SettingFraudModule, "MaxMind", "must be maxmind or none"},
		{SettingFraudModule, "", "must be maxmind or none"},
	} {
		if got := settingRules[tc.key](tc.value); got != tc.problem {
			t.Errorf("%s = %q: %q, want %q", tc.key, tc.value, got, tc.problem)
		}
	}
}

func TestFraudModuleProblem(t *testing.T) {
	const notConfigured = "maxmind is not configured: set HOSTFLOW_MAXMIND_ACCOUNT_ID and HOSTFLOW_MAXMIND_LICENSE_KEY first"
	for _, tc := range []struct {
		module     string
		configured []string
		problem    string
	}{
		{"none", nil, ""},
		{"none", []string{"maxmind", "none"}, ""},
		{"maxmind", []string{"maxmind", "none"}, ""},
		{"maxmind", []string{"none"}, notConfigured},
		{"maxmind", nil, notConfigured},
	} {
		if got := FraudModuleProblem(tc.module, tc.configured); got != tc.problem {
			t.Errorf("FraudModuleProblem(%q, %v) = %q, want %q", tc.module, tc.configured, got, tc.problem)
		}
	}
}

func TestCommaList(t *testing.T) {
	for in, want := range map[string]string{"": "", "a": "a", " a , b ,": "a,b", "a,,b": "a,b"} {
		if got := commaList(in); got != want {
			t.Errorf("commaList(%q) = %q, want %q", in, got, want)
		}
	}
}
