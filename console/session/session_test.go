package session

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/console/page"
)

func TestSafeNext(t *testing.T) {
	m := &Manager{base: "/admin"}
	for next, want := range map[string]string{
		"/admin/orders?status=Pending": "/admin/orders?status=Pending",
		"/admin/orders/3":              "/admin/orders/3",
		"//evil.example/admin/":        "",
		"https://evil.example/admin/":  "",
		"/other":                       "",
		"/admin/\\evil":                "",
		"":                             "",
	} {
		require.Equal(t, want, m.safeNext(next), next)
	}
}

func TestLoginTemplate(t *testing.T) {
	pages := page.New(page.Config{Base: "/admin", Admin: Admin})
	render := func(v loginView) string {
		rec := httptest.NewRecorder()
		pages.Render(rec, httptest.NewRequest("GET", "/admin/login", nil), 200, "login", &page.View{Title: "Sign in", Data: v})
		require.Equal(t, 200, rec.Code, rec.Body.String())
		return rec.Body.String()
	}
	body := render(loginView{Email: "a@b.c", Error: access.ReasonSignInFailed})
	require.Contains(t, body, `<label for="password">Password</label>`)
	require.Contains(t, body, access.ReasonSignInFailed)
	require.NotContains(t, body, "Sign out")
	// A page that does not change under the admin loads no stream.
	body = render(loginView{})
	require.NotContains(t, body, "live.js")
	require.NotContains(t, body, "data-events")
}
