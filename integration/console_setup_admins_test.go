package integration

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestConsoleSetsUpAdminsAndAPIKeys is Setup > Administrators and Setup > API Keys &
// Credentials in two browsers: an admin adds a second, who signs in elsewhere and is signed
// out at once when deactivated; a password reset signs them out too and the new password
// works once they are reactivated; nobody deactivates themself. An API key made in the console
// opens the REST API until it is revoked, and a WHMCS credential the WHMCS API likewise.
func TestConsoleSetsUpAdminsAndAPIKeys(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	const email, password = "root@hostflow.test", "correct horse battery"
	root, _, err := s.svc.CreateAdmin(ctx, email, "Root", password)
	require.NoError(t, err)
	base := s.api.URL + "/admin"
	b := newBrowser(t)
	b.signIn(base, email, password)
	set := func(b *browser, sel, v string) {
		t.Helper()
		_, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(document.querySelector(%q).value = %q, true)`, sel, v)))
		require.NoError(t, err, sel)
	}

	// Setup lists Administrators; the list has the admin alone, marked as them.
	b.open(base + "/setup")
	b.submit(`a[href="/admin/setup/admins"]`)
	require.Equal(t, "Administrators", b.text(`h1`))
	require.Contains(t, b.text(fmt.Sprintf(`#admin-%d`, root.ID)), "Root (you)")
	require.Zero(t, b.count(fmt.Sprintf(`a[href="/admin/setup/admins/%d/deactivate"]`, root.ID)), "Deactivate offered on the admin's own row")

	// Add Administrator: refused on its field, what was typed kept but the password.
	b.submit(`#add-admin`)
	require.Equal(t, "Add Administrator", b.text(`h1`))
	set(b, `#name`, "Ops")
	set(b, `#email`, "ops@hostflow.test")
	set(b, `#password`, "short")
	b.submit(`#save-admin`)
	require.Equal(t, "must be at least 10 characters", b.text(`#password-error`))
	require.Equal(t, "Ops", b.value(`#name`))
	require.Equal(t, "ops@hostflow.test", b.value(`#email`))
	require.Equal(t, "", b.value(`#password`), "the password is never sent back")
	set(b, `#email`, "ROOT@hostflow.test")
	set(b, `#password`, "ops first password")
	b.submit(`#save-admin`)
	require.Equal(t, "is taken: Root has it already", b.text(`#email-error`))
	set(b, `#email`, "ops@hostflow.test")
	set(b, `#password`, "ops first password")
	b.submit(`#save-admin`)
	require.Equal(t, "Administrators", b.text(`h1`))
	require.Contains(t, b.text(`.flash-ok`), "Administrator Ops (ops@hostflow.test) added")
	admins, err := s.svc.Admins(ctx)
	require.NoError(t, err)
	require.Len(t, admins, 2)
	ops := admins[1]
	opsRow := fmt.Sprintf(`#admin-%d`, ops.ID)

	// Ops signs in in another browser.
	b2 := newBrowser(t)
	b2.signIn(base, "ops@hostflow.test", "ops first password")
	b2.open(base + "/setup/admins")
	require.Equal(t, "Administrators", b2.text(`h1`))

	// Root cannot deactivate themself: the confirmation page says so, and a post is refused.
	b.open(fmt.Sprintf("%s/setup/admins/%d/deactivate", base, root.ID))
	require.Contains(t, b.text(`#deactivate-error`), "You cannot deactivate yourself")
	require.Zero(t, b.count(`#confirm-deactivate`))
	_, err = chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`fetch(%q, {method: "POST", redirect: "manual", body: new URLSearchParams({active: "0"})}).then(() => true)`,
		fmt.Sprintf("%s/setup/admins/%d/active", base, root.ID)), chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	b.open(base + "/setup/admins")
	require.Equal(t, "Root was not changed: you cannot deactivate yourself: another admin must.", b.text(`.flash-error`))
	require.Contains(t, b.text(fmt.Sprintf(`#admin-%d`, root.ID)), "Active")

	// Root deactivates Ops, after a confirmation: Ops's next page is the sign-in, and Ops
	// cannot sign in again.
	require.Contains(t, b.text(opsRow), "since ", "Ops's live session is listed")
	b.submit(opsRow + ` a.danger`)
	require.Equal(t, "Deactivate Ops", b.text(`h1`))
	require.Contains(t, b.text(`.warning`), "signed out of every browser at once")
	b.screenshot("console-setup-admins-deactivate")
	b.submit(`#confirm-deactivate`)
	require.Equal(t, "Administrator Ops deactivated and signed out everywhere.", b.text(`.flash-ok`))
	require.Contains(t, b.text(opsRow), "Inactive")
	b2.open(base + "/setup/admins")
	require.Equal(t, "Sign in", b2.text(`h1`), "a deactivated admin's session still open")
	b2.do(chromedp.SendKeys(chromedp.CSS(`#email`), "ops@hostflow.test"), chromedp.SendKeys(chromedp.CSS(`#password`), "ops first password"))
	b2.submit(`form button[type=submit]`)
	require.Equal(t, "Invalid email or password", b2.text(`#login-error`))

	// Reset Password: a mismatch and a short one refused on their fields; then set.
	b.submit(opsRow + ` a[href$="/password"]`)
	require.Equal(t, "Reset Password: Ops", b.text(`h1`))
	set(b, `#password`, "ops second password")
	set(b, `#password_confirm`, "ops second passw0rd")
	b.submit(`#save-password`)
	require.Equal(t, "does not match the new password", b.text(`#password_confirm-error`))
	require.Equal(t, "", b.value(`#password`))
	set(b, `#password`, "short")
	set(b, `#password_confirm`, "short")
	b.submit(`#save-password`)
	require.Equal(t, "must be at least 10 characters", b.text(`#password-error`))
	set(b, `#password`, "ops second password")
	set(b, `#password_confirm`, "ops second password")
	b.submit(`#save-password`)
	require.Contains(t, b.text(`.flash-ok`), "Password of Ops reset")

	// Reactivated, Ops signs in with the new password (the old one is refused).
	b.submit(opsRow + ` button`)
	require.Equal(t, "Administrator Ops reactivated: they can sign in again.", b.text(`.flash-ok`))
	require.Contains(t, b.text(opsRow), "Active")
	b2.open(base + "/login")
	b2.do(chromedp.SendKeys(chromedp.CSS(`#email`), "ops@hostflow.test"), chromedp.SendKeys(chromedp.CSS(`#password`), "ops first password"))
	b2.submit(`form button[type=submit]`)
	require.Equal(t, "Invalid email or password", b2.text(`#login-error`))
	b2.signIn(base, "ops@hostflow.test", "ops second password")

	// A reset signs Ops out of the browser they are signed in in.
	b.open(fmt.Sprintf("%s/setup/admins/%d/password", base, ops.ID))
	set(b, `#password`, "ops third password")
	set(b, `#password_confirm`, "ops third password")
	b.submit(`#save-password`)
	require.Contains(t, b.text(`.flash-ok`), "Password of Ops reset")
	b2.open(base + "/orders")
	require.Equal(t, "Sign in", b2.text(`h1`), "a reset kept the old session")
	b2.signIn(base, "ops@hostflow.test", "ops third password")
	b.open(base + "/setup/admins")
	require.Contains(t, b.text(opsRow), "since ", "Ops's new session is listed")
	b.screenshot("console-setup-admins")
	b.noErrors()
	b2.noErrors()

	// API Keys & Credentials: the configured key is listed, and its revocation says it returns.
	b.open(base + "/setup")
	b.submit(`a[href="/admin/setup/api"]`)
	require.Equal(t, "API Keys & Credentials", b.text(`h1`))
	keys, err := s.svc.APIKeys(ctx)
	require.NoError(t, err)
	require.Len(t, keys, 1)
	require.Contains(t, b.text(fmt.Sprintf(`#key-%d`, keys[0].ID)), "Configured (environment)")
	b.submit(fmt.Sprintf(`#key-%d a.danger`, keys[0].ID))
	require.Contains(t, b.text(`.warning`), "it returns at the next start while it is still configured")
	b.open(base + "/setup/api")

	// Create API Key: a name is required; the key is shown once, and opens the REST API.
	b.submit(`#create-key`)
	require.Equal(t, "Create API Key", b.text(`h1`))
	b.submit(`#save-key`)
	require.Equal(t, "is required", b.text(`#name-error`))
	set(b, `#name`, "billing bot")
	b.submit(`#save-key`)
	require.Equal(t, "API Key Created", b.text(`h1`))
	require.Contains(t, b.text(`.warning`), "it cannot be shown again")
	key := b.text(`#new-key`)
	require.Regexp(t, `^hf_\S{20,}$`, key)
	b.screenshot("console-setup-api-key")
	orders := func(key string) int {
		t.Helper()
		req, err := http.NewRequest("GET", s.api.URL+"/api/v1/orders", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	require.Equal(t, http.StatusOK, orders(key))
	b.submit(`#done`)
	b.do(chromedp.WaitVisible(chromedp.CSS(`#create-credential`))) // a link's page: wait for it to settle
	require.Equal(t, "API Keys & Credentials", b.text(`h1`))
	require.NotContains(t, b.text(`main`), key, "the list shows a key")
	keys, err = s.svc.APIKeys(ctx)
	require.NoError(t, err)
	require.Len(t, keys, 2)
	botRow := `#key-` + strconv.FormatInt(keys[1].ID, 10)
	require.Contains(t, b.text(botRow), "billing bot")
	require.NotContains(t, b.text(botRow), "never", "its use is listed")

	// Create API Credential: identifier and secret shown once; they open the WHMCS API.
	b.submit(`#create-credential`)
	set(b, `#description`, "billing bridge")
	b.submit(`#save-credential`)
	require.Equal(t, "API Credential Created", b.text(`h1`))
	identifier, secret := b.text(`#new-identifier`), b.text(`#new-secret`)
	require.NotEmpty(t, identifier)
	require.NotEmpty(t, secret)
	whmcs := func() string {
		t.Helper()
		_, out := whmcsPost(t, s.api.URL, url.Values{"action": {"GetOrderStatuses"}, "identifier": {identifier}, "secret": {secret}, "responsetype": {"json"}})
		if out["result"] == "success" {
			return "success"
		}
		return fmt.Sprint(out["message"])
	}
	require.Equal(t, "success", whmcs())
	b.submit(`#done`)
	b.do(chromedp.WaitVisible(chromedp.CSS(`#create-credential`))) // a link's page: wait for it to settle
	credRow := `#credential-` + identifier
	require.Contains(t, b.text(credRow), "billing bridge")
	b.screenshot("console-setup-api")

	// Revoke each, after a confirmation: the APIs refuse them at once.
	b.submit(botRow + ` a.danger`)
	require.Equal(t, "Revoke API key: billing bot", b.text(`h1`))
	b.submit(`#confirm-revoke`)
	require.Equal(t, "API key billing bot revoked: the REST API refuses it from now on.", b.text(`.flash-ok`))
	require.Equal(t, http.StatusUnauthorized, orders(key))
	require.Zero(t, b.count(botRow))
	b.submit(credRow + ` a.danger`)
	require.Contains(t, b.text(`.warning`), "It is the only one")
	b.submit(`#confirm-revoke`)
	require.Contains(t, b.text(`.flash-ok`), "API credential "+identifier+" revoked")
	require.Equal(t, "Authentication Failed", whmcs())
	require.Zero(t, b.count(credRow))
	b.noErrors()
}
