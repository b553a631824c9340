package storefront

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/storefront/internal/storetest"
	"github.com/hostflow/hostflow/storefront/page"
)

// The password reset pages against a real database (scripts/with-postgres), without Temporal:
// the Password Reset email's workflow is storetest.Mailer here.

func newArea(t *testing.T) *storetest.Area {
	return storetest.NewArea(t, func(svc *service.Service) http.Handler {
		return New(svc, zap.NewNop(), Options{Company: "Example Hosting", Dev: true})
	})
}

// The password reset pages are for visitors, and the sign-in form links them.
func TestPasswordResetPagesAreForVisitors(t *testing.T) {
	a := newArea(t)
	code, body := a.Get(nil, "/client/password-reset")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "Reset your password")
	code, body = a.Get(nil, "/client/login")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `href="/client/password-reset" id="forgot-password">Forgot password?`)
}

// A reset request answers the same whether or not an account has the email: nobody learns
// which emails have accounts. A malformed email is said so.
func TestPasswordResetRequestAnswersAlike(t *testing.T) {
	a := newArea(t)
	known := a.Do(nil, "POST", "/client/password-reset", url.Values{"email": {"ada@example.com"}})
	unknown := a.Do(nil, "POST", "/client/password-reset", url.Values{"email": {"nobody@example.com"}})
	for _, rec := range []*httptest.ResponseRecorder{known, unknown} {
		require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
		require.Equal(t, "/client/password-reset", rec.Header().Get("Location"))
	}
	require.Equal(t, known.Body.String(), unknown.Body.String())
	require.Equal(t, known.Result().Cookies()[0].Value, unknown.Result().Cookies()[0].Value, "the same message")
	require.Contains(t, known.Result().Cookies()[0].Value, url.QueryEscape("If an account exists for that address"))
	emails := map[string]bool{}
	for _, m := range a.Mail.Mails() {
		if m.Template == clients.MailPasswordReset {
			emails[m.Email] = true
		}
	}
	require.Equal(t, map[string]bool{"ada@example.com": true, "nobody@example.com": true}, emails,
		"both asked for an email: the email's workflow finds no account for the unknown one")

	// The flash shows the message on the page the redirect lands on.
	req := httptest.NewRequest("GET", "/client/password-reset", nil)
	req.AddCookie(known.Result().Cookies()[0])
	require.Contains(t, storetest.Serve(a.H, req).Body.String(), "If an account exists for that address, we sent an email")

	rec := a.Do(nil, "POST", "/client/password-reset", url.Values{"email": {"not an email"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), "The email address you entered was not valid")
	require.Contains(t, rec.Body.String(), `value="not an email"`)
}

// The reset link's page: a bad or used token is refused and offers a new request; a good one
// takes a new password once.
func TestPasswordResetLink(t *testing.T) {
	a := newArea(t)
	ctx := context.Background()
	for _, path := range []string{"/client/reset?token=bogus", "/client/reset"} {
		code, body := a.Get(nil, path)
		require.Equal(t, http.StatusUnprocessableEntity, code, path)
		require.Contains(t, body, clients.ReasonResetInvalid)
		require.Contains(t, body, `href="/client/password-reset" id="new-reset"`)
		require.NotContains(t, body, `name="password"`)
	}
	rec := a.Do(nil, "POST", "/client/reset", url.Values{"token": {"bogus"}, "password": {"a new passphrase"}, "confirm_password": {"a new passphrase"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), clients.ReasonResetInvalid)

	// The link the Password Reset email carries: clients.ResetPath with ?token=.
	tok, _, ok, err := a.Svc.IssuePasswordReset(ctx, "client-password-reset:test", "ada@example.com")
	require.NoError(t, err)
	require.True(t, ok)
	link := clients.ResetPath + "?token=" + url.QueryEscape(tok)
	code, body := a.Get(nil, link)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, fmt.Sprintf(`name="token" value="%s"`, tok))
	rec = a.Do(nil, "POST", "/client/reset", url.Values{"token": {tok}, "password": {"a new passphrase"}, "confirm_password": {"another"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), page.ReasonPasswordsDiffer)
	rec = a.Do(nil, "POST", "/client/reset", url.Values{"token": {tok}, "password": {"short"}, "confirm_password": {"short"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), "must be at least 10 characters")
	require.Contains(t, rec.Body.String(), fmt.Sprintf(`name="token" value="%s"`, tok), "a weak password keeps the link")
	rec = a.Do(nil, "POST", "/client/reset", url.Values{"token": {tok}, "password": {"a new passphrase"}, "confirm_password": {"a new passphrase"}})
	require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	require.Equal(t, clients.SignInPath, rec.Header().Get("Location"))
	_, _, err = a.Svc.ClientSignIn(ctx, "127.0.0.1", "ada@example.com", "a new passphrase")
	require.NoError(t, err)
	code, body = a.Get(nil, link)
	require.Equal(t, http.StatusUnprocessableEntity, code, "the link works once")
	require.Contains(t, body, clients.ReasonResetInvalid)
}
