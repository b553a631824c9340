package email

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// A template may add an HTML part beside its text: it is escaped as HTML, and the built-in
// templates, text only, have none.
func TestRenderHTML(t *testing.T) {
	data := Data{Company: "Host Example", ClientName: `Ada <script>alert(1)</script>`, InvoiceID: 7}
	html, err := Templates{}.RenderHTML(OrderConfirmation, data)
	require.NoError(t, err)
	require.Empty(t, html, "the built-in templates are text only")

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "order-confirmation.tmpl"), []byte(`{{define "subject"}}Order{{end}}
{{define "text"}}Dear {{.ClientName}}{{end}}
{{define "html"}}<p style="color:#333">Dear {{.ClientName}}</p>{{end}}`), 0o644))
	tmpl := Templates{Dir: dir}
	html, err = tmpl.RenderHTML(OrderConfirmation, data)
	require.NoError(t, err)
	require.Equal(t, `<p style="color:#333">Dear Ada &lt;script&gt;alert(1)&lt;/script&gt;</p>`+"\n", html)
	_, text, err := tmpl.Render(OrderConfirmation, data)
	require.NoError(t, err)
	require.Equal(t, "Dear Ada <script>alert(1)</script>\n", text, "the text part is text")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "hosting-welcome.tmpl"),
		[]byte(`{{define "subject"}}x{{end}}{{define "text"}}x{{end}}{{define "html"}}{{.Nope}}{{end}}`), 0o644))
	_, err = tmpl.RenderHTML(HostingWelcome, data)
	require.ErrorContains(t, err, "hosting-welcome html")
}

// A message with HTML goes as multipart/alternative: the text, then the HTML.
func TestSendWithHTML(t *testing.T) {
	srv, s := capture(t)
	require.NoError(t, s.Send(context.Background(), Message{To: "ada@example.com", Subject: "Hello", Text: "Hello Ada\n",
		HTML: "<p>Hello Ada</p>\n", MessageID: "k@host.example"}))
	got := srv.Messages()
	require.Len(t, got, 1)
	raw := string(got[0].Raw)
	require.Contains(t, raw, "multipart/alternative")
	require.Contains(t, raw, "text/plain")
	require.Contains(t, raw, "text/html")
	require.Contains(t, raw, "Hello Ada")
}
