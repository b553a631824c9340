package config

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/fraud/maxmind"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/provisioning/cpanel"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/registrar/namecheap"
)

// Modules is the configuration of the external services: the registrar and fraud accounts,
// the SMTP relay. A service left unconfigured is off (its module is not offered).
type Modules struct {
	Namecheap *namecheap.Config
	MaxMind   *maxmind.Config
	SMTP      *email.SMTP // nil: no relay configured
	// Stripe is the account Checkout Sessions are opened on (HOSTFLOW_STRIPE_SECRET_KEY,
	// HOSTFLOW_STRIPE_API_URL); nil: none. Its String hides the key.
	Stripe    *gateway.StripeConfig
	Templates string // a directory of email templates that replace the built-in ones
	Company   string // signs the emails
}

// LoadModules reads the external services' configuration from the environment.
func LoadModules() (Modules, error) {
	var m Modules
	if user := os.Getenv("HOSTFLOW_NAMECHEAP_API_USER"); user != "" {
		m.Namecheap = &namecheap.Config{URL: env("HOSTFLOW_NAMECHEAP_URL", namecheap.ProductionURL), APIUser: user,
			APIKey: os.Getenv("HOSTFLOW_NAMECHEAP_API_KEY"), UserName: os.Getenv("HOSTFLOW_NAMECHEAP_USERNAME"),
			ClientIP: os.Getenv("HOSTFLOW_NAMECHEAP_CLIENT_IP")}
		if m.Namecheap.APIKey == "" || m.Namecheap.ClientIP == "" {
			return m, fmt.Errorf("HOSTFLOW_NAMECHEAP_API_KEY and HOSTFLOW_NAMECHEAP_CLIENT_IP are required with HOSTFLOW_NAMECHEAP_API_USER")
		}
	}
	if account := os.Getenv("HOSTFLOW_MAXMIND_ACCOUNT_ID"); account != "" {
		m.MaxMind = &maxmind.Config{URL: env("HOSTFLOW_MAXMIND_URL", maxmind.DefaultURL), AccountID: account,
			LicenseKey: os.Getenv("HOSTFLOW_MAXMIND_LICENSE_KEY"), Service: env("HOSTFLOW_MAXMIND_SERVICE", "score")}
		if m.MaxMind.Service != "score" && m.MaxMind.Service != "insights" {
			return m, fmt.Errorf("HOSTFLOW_MAXMIND_SERVICE must be score or insights")
		}
	}
	if host := os.Getenv("HOSTFLOW_SMTP_HOST"); host != "" {
		port, err := strconv.Atoi(env("HOSTFLOW_SMTP_PORT", "587"))
		if err != nil {
			return m, fmt.Errorf("HOSTFLOW_SMTP_PORT: %w", err)
		}
		m.SMTP, err = email.NewSMTP(email.Config{Host: host, Port: port, Username: os.Getenv("HOSTFLOW_SMTP_USERNAME"),
			Password: os.Getenv("HOSTFLOW_SMTP_PASSWORD"), TLS: os.Getenv("HOSTFLOW_SMTP_TLS"),
			From: os.Getenv("HOSTFLOW_MAIL_FROM"), FromName: os.Getenv("HOSTFLOW_MAIL_FROM_NAME")})
		if err != nil {
			return m, fmt.Errorf("HOSTFLOW_SMTP_*: %w (HOSTFLOW_MAIL_FROM is the sender)", err)
		}
	}
	var err error
	if m.Stripe, err = loadStripe(); err != nil {
		return m, err
	}
	m.Templates = os.Getenv("HOSTFLOW_EMAIL_TEMPLATES")
	m.Company = env("HOSTFLOW_COMPANY_NAME", "hostflow")
	return m, nil
}

// loadStripe reads the Stripe account. The key is checked for its kind only, so that a
// publishable key (pk_…) or a webhook secret pasted by mistake stops start-up with a clear
// word instead of failing every payment; the error never repeats the value.
func loadStripe() (*gateway.StripeConfig, error) {
	key, apiURL := strings.TrimSpace(os.Getenv("HOSTFLOW_STRIPE_SECRET_KEY")), os.Getenv("HOSTFLOW_STRIPE_API_URL")
	if key == "" {
		if apiURL != "" {
			return nil, fmt.Errorf("HOSTFLOW_STRIPE_API_URL is set without HOSTFLOW_STRIPE_SECRET_KEY")
		}
		return nil, nil
	}
	if !strings.HasPrefix(key, "sk_") && !strings.HasPrefix(key, "rk_") {
		return nil, fmt.Errorf("HOSTFLOW_STRIPE_SECRET_KEY must be a secret key (sk_…) or a restricted key (rk_…) from the Stripe Dashboard")
	}
	if apiURL != "" {
		u, err := url.Parse(apiURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("HOSTFLOW_STRIPE_API_URL %q is not an http(s) URL", apiURL)
		}
	}
	return &gateway.StripeConfig{SecretKey: key, APIURL: apiURL}, nil
}

// StripeClient returns the client Checkout Sessions are opened with, or nil when no Stripe
// account is configured.
func (m Modules) StripeClient() *gateway.Stripe {
	if m.Stripe == nil {
		return nil
	}
	return gateway.NewStripe(*m.Stripe)
}

// Panels returns the provisioning modules: none and cPanel, whose servers carry their own
// credentials.
func (m Modules) Panels() provisioning.Registry {
	r := provisioning.NewRegistry()
	r[cpanel.Name] = cpanel.New()
	return r
}

// Registrars returns the registrar modules that are configured.
func (m Modules) Registrars() registrar.Registry {
	r := registrar.NewRegistry()
	if m.Namecheap != nil {
		r[namecheap.Name] = namecheap.New(*m.Namecheap)
	}
	return r
}

// FraudModules are the fraud modules this environment can run, for the fraud_module setting's
// rule: none always, MaxMind when its account is configured.
func (m Modules) FraudModules() []string {
	if m.MaxMind != nil {
		return []string{fraud.ModuleMaxMind, fraud.ModuleNone}
	}
	return []string{fraud.ModuleNone}
}

// FraudChecker returns MaxMind if configured, else the checker that passes every order.
func (m Modules) FraudChecker() fraud.Checker {
	if m.MaxMind != nil {
		return maxmind.New(*m.MaxMind)
	}
	return fraud.PassAll{}
}

// Mail returns what the email activity sends with.
func (m Modules) Mail() activities.Mail {
	mail := activities.Mail{Sender: email.Discard{}, Templates: email.Templates{Dir: m.Templates}, Company: m.Company, Domain: "hostflow.invalid"}
	if m.SMTP != nil {
		mail.Sender = m.SMTP
		if d := m.SMTP.Domain(); d != "" {
			mail.Domain = d
		}
	}
	return mail
}
