package console

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/console/page"
)

func TestAccessTemplates(t *testing.T) {
	me := access.Admin{ID: 1, Email: "root@example.com", Name: "Root", Active: true}
	since := time.Date(2026, 12, 6, 18, 30, 0, 0, time.UTC)
	body := renderPage(t, "setup-admins", &page.View{Title: "Administrators", Admin: &me, Data: adminListView{Me: 1, Admins: []access.AdminInfo{
		{Admin: me, LiveSessions: 1, SignedInAt: &since},
		{Admin: access.Admin{ID: 2, Email: "ops@example.com", Name: "Ops", Active: true}},
		{Admin: access.Admin{ID: 3, Email: "old@example.com", Name: "Old"}}}}})
	for _, want := range []string{"Root <small class=\"muted\">(you)</small>", "since 2026-12-06 18:30 UTC", `href="/admin/setup/admins/2/deactivate"`,
		`status-disabled">Inactive`, `action="/admin/setup/admins/3/active"`, `href="/admin/setup/admins/1/password"`} {
		require.Contains(t, body, want)
	}
	require.NotContains(t, body, "/admin/setup/admins/1/deactivate", "an admin is offered to deactivate themself")

	body = renderPage(t, "setup-admins-new", &page.View{Title: "Add Administrator", Admin: &me, Data: adminView{
		Form: adminForm{Name: "Ops", Email: "ops@example.com"}, Errors: fieldErrors{"password": "must be at least 10 characters"}}})
	for _, want := range []string{`value="Ops"`, `value="ops@example.com"`, `name="password" type="password" value=""`,
		`id="password-error">must be at least 10 characters`} {
		require.Contains(t, body, want)
	}

	body = renderPage(t, "setup-api-created", &page.View{Title: "API Key Created", Admin: &me, Data: apiCreatedView{
		Key: &access.APIKey{ID: 4, Name: "bot", Kind: access.KeyCreated, Key: "hf_secret"}}})
	require.Contains(t, body, `<code id="new-key">hf_secret</code>`)
	require.Contains(t, body, "cannot be shown again")

	body = renderPage(t, "setup-api", &page.View{Title: "API Keys & Credentials", Admin: &me, Data: apiListView{
		Keys:        []access.APIKey{{ID: 4, Name: "HOSTFLOW_ADMIN_API_KEY", Kind: access.KeyConfigured, CreatedAt: since, LastUsedAt: &since}},
		Credentials: []access.APICredentialInfo{{Identifier: "abc", Description: "bridge", CreatedAt: since}}}})
	for _, want := range []string{`Configured <small class="muted">(environment)</small>`, `href="/admin/setup/api/keys/4/revoke"`, `href="/admin/setup/api/credentials/abc/revoke"`,
		"bridge", "never"} {
		require.Contains(t, body, want)
	}
	body = renderPage(t, "setup-api-revoke", &page.View{Title: "Revoke", Admin: &me, Data: apiRevokeView{What: "API key", Name: "HOSTFLOW_ADMIN_API_KEY",
		Action: "/admin/setup/api/keys/4/revoke", Configured: true}})
	require.Contains(t, body, "returns at the next start while it is still configured")
	require.NotContains(t, body, "It is the only one")
	body = renderPage(t, "setup-api-revoke", &page.View{Title: "Revoke", Admin: &me, Data: apiRevokeView{What: "API credential", Name: "abc",
		Action: "/admin/setup/api/credentials/abc/revoke", Last: true}})
	require.Contains(t, body, "the WHMCS API refuses every request until another credential is created")
	require.NotContains(t, body, "HOSTFLOW_WHMCS_IDENTIFIER")
}
