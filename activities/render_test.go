package activities_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/email"
)

// An email is sent with the keys it carries, and the log keeps its text and HTML without them.
func TestRenderKeepsNoKeys(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, email.HostingWelcome+".tmpl"), []byte(`{{define "subject"}}Welcome{{end}}
{{define "text"}}Password: {{.Service.Password}}{{end}}
{{define "html"}}<p>Password: <b>{{.Service.Password}}</b></p>{{end}}`), 0o644))
	m := activities.Mail{Templates: email.Templates{Dir: dir}}
	r, err := m.Render(email.HostingWelcome, email.Data{Service: &email.Service{Password: "S3cret<"}})
	require.NoError(t, err)
	require.Equal(t, "Welcome", r.Subject)
	require.Equal(t, "Password: S3cret<\n", r.Text)
	require.Equal(t, "<p>Password: <b>S3cret&lt;</b></p>\n", r.HTML)
	for _, kept := range []string{r.KeptText, r.KeptHTML} {
		require.NotContains(t, kept, "S3cret")
		require.Contains(t, kept, "not kept")
	}
	r, err = activities.Mail{}.Render(email.HostingWelcome, email.Data{Service: &email.Service{Password: "S3cret"}})
	require.NoError(t, err)
	require.Empty(t, r.HTML, "the built-in templates are text only")
	require.Empty(t, r.KeptHTML)
}
