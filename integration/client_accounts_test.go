package integration

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/clients"
	smtpsandbox "github.com/hostflow/hostflow/sandbox/smtp"
	"github.com/hostflow/hostflow/web"
)

// testPublicURL is where the client emails of the tests' workers link to.
const testPublicURL = "https://shop.host.example"

// waitForMail waits for an email to to arrive at the SMTP sandbox whose subject is subject.
func waitForMail(t *testing.T, sb *smtpsandbox.Server, to, subject string) smtpsandbox.Message {
	t.Helper()
	var found smtpsandbox.Message
	require.Eventually(t, func() bool {
		for _, m := range sb.Messages() {
			if slices.Contains(m.To, to) && m.Subject == subject {
				found = m
				return true
			}
		}
		return false
	}, 30*time.Second, 100*time.Millisecond, "no %q to %s", subject, to)
	return found
}

var resetLink = regexp.MustCompile(`https?://\S+/client/reset\?token=[A-Za-z0-9_%-]+`)

// TestClientAccountsOverTheAPIs: a client created over REST with a password gets the Client
// Signup email through its workflow and is checked by WHMCS's ValidateLogin (right: userid as
// WHMCS's example answers it; wrong or unknown: WHMCS's one error); UpdateClient's password2
// changes it; a password reset asked for by email arrives at the SMTP sandbox and its link's
// token sets a new password, once.
func TestClientAccountsOverTheAPIs(t *testing.T) {
	sb := startSandboxes(t)
	s := newStack(t)
	s.useSandboxes(sb)
	s.startWorker()
	ctx := context.Background()
	cred := s.mustCall("POST", "/api/v1/api-credentials", nil, 201)
	auth := url2(cred)
	whmcs := func(action string, kv ...string) map[string]any {
		t.Helper()
		f := auth()
		f.Set("action", action)
		for i := 0; i < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		status, out := whmcsPost(t, s.api.URL, f)
		require.Equal(t, 200, status, "%s: %v", action, out)
		return out
	}

	// REST: a password too short is a 422 naming it; a good one is kept, never answered.
	status, out := s.call("POST", "/api/v1/clients", map[string]any{"first_name": "Ada", "last_name": "Lovelace",
		"email": "ada@example.com", "password": "short"})
	require.Equal(t, 422, status, "%v", out)
	require.Equal(t, "password", out["field"])
	c := s.mustCall("POST", "/api/v1/clients", map[string]any{"first_name": "Ada", "last_name": "Lovelace",
		"email": "ada@example.com", "password": "correct horse battery"}, 201)
	require.Equal(t, true, c["has_password"])
	require.NotContains(t, c, "password")
	signup := waitForMail(t, sb.mail, "ada@example.com", "Welcome to Host Example")
	assert.Contains(t, signup.Body, "https://shop.host.example/client/login")
	noPassword := s.mustCall("POST", "/api/v1/clients", map[string]any{"first_name": "Grace", "last_name": "Hopper",
		"email": "grace@example.com"}, 201)
	require.Equal(t, false, noPassword["has_password"])

	// WHMCS ValidateLogin: the example answer's fields and types, and one error for the rest.
	ok := whmcs("ValidateLogin", "email", "ADA@example.com", "password2", "correct horse battery")
	require.Equal(t, "success", ok["result"], "%v", ok)
	require.Equal(t, fmtID(c["id"]), ok["userid"])
	page, want := example(t, "validatelogin")
	var diffs []string
	compareExample(want, ok, "", &diffs)
	require.Empty(t, diffs, "ValidateLogin differs from %s", page)
	for _, bad := range [][2]string{{"ada@example.com", "wrong horse battery"}, {"nobody@example.com", "correct horse battery"},
		{"grace@example.com", ""}, {"", ""}} {
		out := whmcs("ValidateLogin", "email", bad[0], "password2", bad[1])
		require.Equal(t, map[string]any{"result": "error", "message": "Email or Password Invalid"}, out, "%v", bad)
	}

	// WHMCS AddClient with password2, and UpdateClient's password2 (the client's sessions end).
	added := whmcs("AddClient", "firstname", "Alan", "lastname", "Turing", "email", "alan@example.com", "password2", "enigma machine 1",
		"skipvalidation", "true", "noemail", "true")
	require.Equal(t, "success", added["result"], "%v", added)
	require.Equal(t, "success", whmcs("ValidateLogin", "email", "alan@example.com", "password2", "enigma machine 1")["result"])
	weak := whmcs("AddClient", "firstname", "Joan", "lastname", "Clarke", "email", "joan@example.com", "password2", "short",
		"skipvalidation", "true")
	require.Equal(t, "password2: must be at least 10 characters", weak["message"])
	tok, _, err := s.svc.ClientSignIn(ctx, "192.0.2.1", "alan@example.com", "enigma machine 1")
	require.NoError(t, err)
	upd := whmcs("UpdateClient", "clientemail", "alan@example.com", "password2", "bombe at bletchley")
	require.Equal(t, map[string]any{"result": "success", "clientid": added["clientid"]}, upd)
	page, want = example(t, "updateclient")
	diffs = nil
	compareExample(want, upd, "", &diffs)
	require.Empty(t, diffs, "UpdateClient differs from %s", page)
	require.Equal(t, "success", whmcs("ValidateLogin", "email", "alan@example.com", "password2", "bombe at bletchley")["result"])
	_, live, err := s.svc.ClientSessionByToken(ctx, tok)
	require.NoError(t, err)
	require.False(t, live, "a new password ends the client's sessions")
	require.Equal(t, "Client ID Not Found", whmcs("UpdateClient", "clientid", "999999", "password2", "bombe at bletchley")["message"])
	require.Equal(t, "firstname cannot be updated: hostflow's UpdateClient sets password2, taxexempt and tax_id only",
		whmcs("UpdateClient", "clientid", fmtID(added["clientid"]), "firstname", "Alan M.")["message"])

	// A password reset for the client created without one: the email arrives, its link works once.
	require.NoError(t, s.svc.RequestPasswordReset(ctx, "192.0.2.1", "grace@example.com"))
	require.NoError(t, s.svc.RequestPasswordReset(ctx, "192.0.2.1", "nobody@example.com"), "the same answer for nobody")
	reset := waitForMail(t, sb.mail, "grace@example.com", "Your password reset link")
	raw := resetLink.FindString(reset.Body)
	require.NotEmpty(t, raw, reset.Body)
	link, err := url.Parse(raw)
	require.NoError(t, err)
	require.Equal(t, "shop.host.example", link.Host)
	_, err = s.svc.ResetClientPassword(ctx, link.Query().Get("token"), "grace's new password")
	require.NoError(t, err)
	require.Equal(t, "success", whmcs("ValidateLogin", "email", "grace@example.com", "password2", "grace's new password")["result"])
	_, err = s.svc.ResetClientPassword(ctx, link.Query().Get("token"), "grace's other password")
	require.Error(t, err, "a reset link works once")
	time.Sleep(time.Second) // what the unknown email's workflow would have sent, had it sent anything
	for _, m := range sb.mail.Messages() {
		require.NotContains(t, m.To, "nobody@example.com")
	}
}

// TestClientSessionOpensNothingOfTheAdmins: a signed-in client's token, in the client cookie or
// even in the console's cookie or as a bearer key, opens nothing under /admin or /api.
func TestClientSessionOpensNothingOfTheAdmins(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	_, err := s.svc.CreateClient(ctx, clients.NewClient{FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com",
		Password: "correct horse battery", NoSignupEmail: true})
	require.NoError(t, err)
	tok, _, err := s.svc.ClientSignIn(ctx, "192.0.2.1", "ada@example.com", "correct horse battery")
	require.NoError(t, err)
	_, ok, err := s.svc.ClientSessionByToken(ctx, tok)
	require.NoError(t, err)
	require.True(t, ok)

	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, path := range []string{"/admin/", "/admin/orders", "/admin/clients", "/admin/events", "/api/v1/orders", "/api/v1/clients"} {
		for _, cookie := range []string{web.ClientSessionCookie, "hostflow_session"} {
			req, err := http.NewRequest("GET", s.api.URL+path, nil)
			require.NoError(t, err)
			req.AddCookie(&http.Cookie{Name: cookie, Value: tok})
			if strings.HasPrefix(path, "/api/") {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			resp, err := noRedirect.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			if strings.HasPrefix(path, "/admin") {
				require.Equal(t, http.StatusSeeOther, resp.StatusCode, "%s with %s", path, cookie)
				require.True(t, strings.HasPrefix(resp.Header.Get("Location"), "/admin/login"), "%s: %s", path, resp.Header.Get("Location"))
			} else {
				require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "%s with %s", path, cookie)
			}
		}
	}
}

// fmtID is an id as WHMCS's fields take it, from a REST number or a WHMCS string.
func fmtID(v any) string {
	if id, ok := v.(float64); ok {
		return strconv.FormatInt(int64(id), 10)
	}
	return fmt.Sprint(v)
}
