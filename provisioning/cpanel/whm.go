// Package cpanel is the cPanel & WHM provisioning module: it speaks WHM API 1
// (https://<host>:2087/json-api/<function>?api.version=1, "Authorization: whm user:token") and
// makes every account operation idempotent, as Temporal's retries require.
package cpanel

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/provisioning"
)

// DefaultPort is WHM's TLS port, used when a server's hostname has none.
const DefaultPort = "2087"

// client calls WHM API 1 on one server.
type client struct {
	base  string // https://host:port
	auth  string // the Authorization header
	http  *http.Client
	agent string
}

// envelope is WHM API 1's reply: data, and metadata saying whether the call worked. A failure
// comes back as HTTP 200 with result 0, so metadata decides, never the status code.
type envelope struct {
	Data     json.RawMessage `json:"data"`
	Metadata struct {
		Command string `json:"command"`
		Reason  string `json:"reason"`
		Result  int    `json:"result"`
	} `json:"metadata"`
	// A legacy-shaped body: what WHM sends with 403 for a bad token.
	CPanelResult *struct {
		Error string `json:"error"`
	} `json:"cpanelresult"`
}

// Error is WHM refusing a call (metadata.result 0). Reason is WHM's own words, passed to the
// admin unchanged.
type Error struct {
	Function string
	Reason   string
}

func (e *Error) Error() string { return e.Reason }

func (c *client) call(ctx context.Context, function string, params url.Values, data any) error {
	if params == nil {
		params = url.Values{}
	}
	params.Set("api.version", "1")
	// WHM takes GET with query parameters; POST keeps passwords out of access logs.
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/json-api/"+function, strings.NewReader(params.Encode()))
	if err != nil {
		return fmt.Errorf("whm %s: %w", function, err)
	}
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.agent)
	resp, err := c.http.Do(req)
	if err != nil {
		return connError(function, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("whm %s: read reply: %w", function, err)
	}
	var env envelope
	jsonErr := json.Unmarshal(body, &env)
	switch {
	case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized:
		reason := "Access denied"
		if jsonErr == nil && env.CPanelResult != nil && env.CPanelResult.Error != "" {
			reason = env.CPanelResult.Error
		}
		return permanent.Wrap(fmt.Errorf("WHM refused the API token (HTTP %d): %s", resp.StatusCode, reason))
	case resp.StatusCode >= 500:
		return fmt.Errorf("whm %s: HTTP %d", function, resp.StatusCode) // WHM restarting: retry
	case resp.StatusCode != http.StatusOK:
		return permanent.Wrap(fmt.Errorf("whm %s: unexpected HTTP %d", function, resp.StatusCode))
	case jsonErr != nil:
		return fmt.Errorf("whm %s: reply is not WHM API 1 JSON: %w", function, jsonErr)
	case env.Metadata.Result != 1:
		return &Error{Function: function, Reason: strings.TrimSpace(env.Metadata.Reason)}
	}
	if data != nil && len(env.Data) > 0 {
		if err := json.Unmarshal(env.Data, data); err != nil {
			return fmt.Errorf("whm %s: data: %w", function, err)
		}
	}
	return nil
}

// connError explains a failure to reach WHM. A certificate WHM's host does not prove is the
// admin's to fix (or to allow for this server), so it is not retried.
func connError(function string, err error) error {
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return permanent.Wrap(fmt.Errorf("whm %s: the server's TLS certificate is not trusted (%v); "+
			"install a valid certificate or allow self-signed certificates for this server", function, certErr.Err))
	}
	return fmt.Errorf("whm %s: %w", function, err)
}

// hostPort is a server's hostname with WHM's port if it carries none.
func hostPort(hostname string) string {
	if _, _, err := net.SplitHostPort(hostname); err != nil {
		return net.JoinHostPort(hostname, DefaultPort)
	}
	return hostname
}

// newTransport builds the transport for a server configuration; the Module keeps one per
// configuration.
func newTransport(skipVerify bool) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if skipVerify {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the admin allowed it for this server
	}
	return tr
}

// newClient builds a client for one server at host (host:port) over tr.
func newClient(s provisioning.Server, host string, tr http.RoundTripper, timeout time.Duration) *client {
	user := s.Username
	if user == "" {
		user = "root"
	}
	return &client{base: "https://" + host, auth: "whm " + user + ":" + s.Credentials,
		http: &http.Client{Transport: tr, Timeout: timeout}, agent: "hostflow"}
}

// account is one entry of listaccts.
type account struct {
	User      string `json:"user"`
	Domain    string `json:"domain"`
	Plan      string `json:"plan"`
	Suspended int    `json:"suspended"`
}

// lookup finds an account by its exact username; nil if there is none.
func (c *client) lookup(ctx context.Context, user string) (*account, error) {
	var data struct {
		Acct []account `json:"acct"`
	}
	err := c.call(ctx, "listaccts", url.Values{"search": {user}, "searchtype": {"user"}, "searchmethod": {"exact"}, "want": {"user,domain,plan,suspended"}}, &data)
	if err != nil {
		return nil, err
	}
	for _, a := range data.Acct {
		if a.User == user {
			return &a, nil
		}
	}
	return nil, nil
}
