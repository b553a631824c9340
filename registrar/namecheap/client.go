// Package namecheap is the Namecheap registrar module. Namecheap is the best documented of the
// reseller APIs (a public sandbox, an official Go SDK with test fixtures, numbered errors) and
// one of the two registrars WHMCS users pick most. Every command is a form POST to
// xml.response and answers an XML ApiResponse.
package namecheap

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hostflow/hostflow/permanent"
)

// Endpoints.
const (
	ProductionURL = "https://api.namecheap.com/xml.response"
	SandboxURL    = "https://api.sandbox.namecheap.com/xml.response"
)

// Config is a Namecheap API account.
type Config struct {
	URL      string // ProductionURL, SandboxURL or a local sandbox
	APIUser  string
	APIKey   string
	UserName string // the account acted on; the API user if empty
	ClientIP string // the IPv4 address Namecheap has whitelisted for the API user
}

type client struct {
	cfg  Config
	http *http.Client
}

// response is the ApiResponse envelope; Command holds the command's own result element.
type response struct {
	Status  string     `xml:"Status,attr"`
	Errors  []apiError `xml:"Errors>Error"`
	Command struct {
		Inner []byte `xml:",innerxml"`
	} `xml:"CommandResponse"`
}

type apiError struct {
	Number string `xml:"Number,attr"`
	Text   string `xml:",chardata"`
}

// Error is Namecheap refusing a command. Text is Namecheap's own words, for the admin.
type Error struct {
	Command string
	Number  string
	Text    string
}

func (e *Error) Error() string { return fmt.Sprintf("%s (error %s)", e.Text, e.Number) }

// Errors that mean the domain is not in this account, which is what an idempotent register
// wants to know first.
const (
	errDomainNotFound = "2019166"
	errNotInAccount   = "2016166"
)

// Errors of the account itself: no retry will help until someone fixes the configuration.
var accountErrors = map[string]bool{"1010101": true, "1011102": true, "1010102": true, "1011150": true,
	"1017150": true, "1017105": true, "1017101": true, "1019103": true, "1016103": true, "2033409": true}

func (c *client) call(ctx context.Context, command string, params url.Values, result any) error {
	form := url.Values{"ApiUser": {c.cfg.APIUser}, "ApiKey": {c.cfg.APIKey}, "UserName": {c.cfg.UserName},
		"ClientIp": {c.cfg.ClientIP}, "Command": {command}}
	for k, v := range params {
		form[k] = v
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.URL, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("namecheap %s: %w", command, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("namecheap %s: %w", command, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	switch {
	case err != nil:
		return fmt.Errorf("namecheap %s: read reply: %w", command, err)
	case resp.StatusCode == http.StatusMethodNotAllowed:
		return fmt.Errorf("namecheap %s: rate limited (HTTP 405)", command) // retried with backoff
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("namecheap %s: HTTP %d", command, resp.StatusCode)
	}
	var r response
	if err := xml.Unmarshal(body, &r); err != nil {
		return fmt.Errorf("namecheap %s: reply is not an ApiResponse: %w", command, err)
	}
	if r.Status != "OK" {
		if len(r.Errors) == 0 {
			return fmt.Errorf("namecheap %s: status %q without an error", command, r.Status)
		}
		e := r.Errors[0]
		return &Error{Command: command, Number: e.Number, Text: strings.TrimSpace(e.Text)}
	}
	if result == nil {
		return nil
	}
	// The result elements sit side by side in CommandResponse; a root makes them one document.
	doc := append(append([]byte("<CommandResponse>"), r.Command.Inner...), "</CommandResponse>"...)
	if err := xml.Unmarshal(doc, result); err != nil {
		return fmt.Errorf("namecheap %s: result: %w", command, err)
	}
	return nil
}

// asPermanent marks Namecheap's refusals as not worth retrying, keeping its words; transport
// errors and rate limits stay retryable.
func asPermanent(err error) error {
	var e *Error
	if errors.As(err, &e) {
		if accountErrors[e.Number] {
			return permanent.Wrap(fmt.Errorf("namecheap account: %w", e))
		}
		return permanent.Wrap(e)
	}
	return err
}

func isCode(err error, codes ...string) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	for _, c := range codes {
		if e.Number == c {
			return true
		}
	}
	return false
}

func newClient(cfg Config) *client {
	if cfg.URL == "" {
		cfg.URL = ProductionURL
	}
	if cfg.UserName == "" {
		cfg.UserName = cfg.APIUser
	}
	return &client{cfg: cfg, http: &http.Client{Timeout: 90 * time.Second}}
}
