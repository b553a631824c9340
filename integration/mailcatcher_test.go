package integration

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/email"
)

// mailpitPath is the mail catcher `make run` starts: $MAILPIT (the Makefile's pinned build),
// else the one build of it in ../bin.
func mailpitPath(t *testing.T) string {
	if p := os.Getenv("MAILPIT"); p != "" {
		return p
	}
	found, _ := filepath.Glob("../bin/mailpit-*-web")
	if len(found) == 0 {
		t.Fatal("no Mailpit built with its web page in bin/: run make tools (or set MAILPIT)")
	}
	return found[len(found)-1]
}

// freePort is a loopback port nobody listens on just now.
func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestMailCatcherPage: the Mailpit `make run` starts serves its page (its script and
// stylesheet built in, not a blank page), and an email hostflow sends it is listed there,
// with no error in the page.
func TestMailCatcherPage(t *testing.T) {
	smtpPort, webPort := freePort(t), freePort(t)
	cmd := exec.Command(mailpitPath(t), "--smtp", fmt.Sprintf("127.0.0.1:%d", smtpPort), "--listen", fmt.Sprintf("127.0.0.1:%d", webPort),
		"--database", filepath.Join(t.TempDir(), "mailpit.db"), "--smtp-auth-accept-any", "--smtp-auth-allow-insecure")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	require.Eventually(t, func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(smtpPort))
		if err == nil {
			c.Close()
		}
		return err == nil
	}, 15*time.Second, 50*time.Millisecond, "Mailpit never listened")

	smtp, err := email.NewSMTP(email.Config{Host: "127.0.0.1", Port: smtpPort, TLS: "none", From: "billing@host.example",
		FromName: "Host Example"})
	require.NoError(t, err)
	subject := fmt.Sprintf("Customer Invoice #%d", time.Now().UnixNano()%100000)
	require.NoError(t, smtp.Send(context.Background(), email.Message{To: "ada@example.com", ToName: "Ada Lovelace", Subject: subject,
		Text: "Dear Ada Lovelace,\nyour invoice is ready.\n", MessageID: "mailcatcher-test@host.example"}))

	b := newBrowser(t)
	base := fmt.Sprintf("http://127.0.0.1:%d/", webPort)
	b.open(base)
	_, err = chromedp.Run(b.ctx, chromedp.Poll[bool](fmt.Sprintf(`document.body.innerText.includes(%q)`, subject),
		chromedp.WithPollingTimeout(15*time.Second)))
	require.NoError(t, err, "Mailpit's page never listed the email (a blank page?)")
	require.Contains(t, b.text(`body`), "ada@example.com")
	for _, asset := range []string{"dist/app.js", "dist/app.css"} {
		require.Equal(t, int64(200), b.statusOf(base+asset+"?"+mailpitVersion(t, b)), asset)
	}
	b.screenshot("mailpit")
	b.noErrors()
}

// mailpitVersion is the version the page asks its assets by (app.js?v1.27.11).
func mailpitVersion(t *testing.T, b *browser) string {
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById("app").dataset.version`))
	require.NoError(t, err)
	require.NotEmpty(t, v)
	return v
}
