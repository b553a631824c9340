package integration

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/email"
	smtpsandbox "github.com/hostflow/hostflow/sandbox/smtp"
)

// invoiceHTML is an operator's Invoice Created with an HTML part that tries what an email must
// not do in the console: run a script, load a remote image. Its inline style is how emails are
// styled, and shows.
const invoiceHTML = `{{define "subject"}}Customer Invoice #{{.InvoiceID}}{{end}}
{{define "text"}}Dear {{.ClientName}}, invoice #{{.InvoiceID}} is due: {{.Total}} {{.Currency}}.{{end}}
{{define "html"}}<p class="greeting" style="color: rgb(200, 0, 0)">Dear {{.ClientName}},</p>
<p>Invoice #{{.InvoiceID}} is due: <b>{{.Total}} {{.Currency}}</b>.</p>
<img src="http://127.0.0.1:9/pixel.png" alt="">
<script>document.body.dataset.pwned = "yes"</script>{{end}}`

// mailsTo counts the messages to with subject the SMTP sandbox received.
func mailsTo(sb *smtpsandbox.Server, to, subject string) int {
	n := 0
	for _, m := range sb.Messages() {
		if len(m.To) == 1 && m.To[0] == to && m.Subject == subject {
			n++
		}
	}
	return n
}

// takeErrors answers what the pages reported so far, and forgets it.
func (b *browser) takeErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	errs := b.errs
	b.errs = nil
	return errs
}

// TestConsoleEmailLogAndResend: an order's emails (the client's and the staff's) are listed on
// its page, the client's on the client's page, newest first; one opens as sent, its HTML part
// in a sandboxed frame where no script runs and nothing remote loads; Resend sends it again to
// the same recipient once, for a double click and for the same post retried, lists the copy
// and puts who resent it on the order's audit trail; a relay's refusal is a red message.
func TestConsoleEmailLogAndResend(t *testing.T) {
	sb := startSandboxes(t)
	s := newStack(t)
	s.useSandboxes(sb)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, email.InvoiceCreated+".tmpl"), []byte(invoiceHTML), 0o644))
	s.acts.Mail.Templates = email.Templates{Dir: dir}
	s.startWorker()
	ctx := context.Background()
	const adminEmail, password = "mail@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(ctx, adminEmail, "Mail Admin", password)
	require.NoError(t, err)
	clientID, productID := s.catalogue("accept")
	c, err := s.svc.Client(ctx, int64(clientID), "")
	require.NoError(t, err)
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "mailed.com"), 201)
	orderID, invoiceID := int64(placed["order_id"].(float64)), int64(placed["invoice_id"].(float64))
	invoiceSubject := fmt.Sprintf("Customer Invoice #%d", invoiceID)
	waitForMail(t, sb.mail, c.Email, invoiceSubject)
	staff := waitForMail(t, sb.mail, adminEmail, fmt.Sprintf("New Order Notification #%d", int64(placed["order_number"].(float64))))
	// The log is written as the emails go: wait until the batch is marked sent.
	require.Eventually(t, func() bool {
		return s.count(`SELECT count(*) FROM emails WHERE order_id = $1 AND sent_at IS NOT NULL`, orderID) == 3
	}, 20*time.Second, 50*time.Millisecond)

	base := s.api.URL + "/admin"
	b := newBrowser(t)
	b.signIn(base, adminEmail, password)

	// The order page: its three emails, newest first, the staff's marked.
	b.open(fmt.Sprintf("%s/orders/%d", base, orderID))
	rows := `#part-emails tbody tr[id^=email-]`
	require.Equal(t, 3, b.count(rows))
	log := b.text(`#part-emails`)
	for _, want := range []string{invoiceSubject, "Order Confirmation", staff.Subject, adminEmail + " (staff)", c.Email} {
		require.Contains(t, log, want)
	}
	require.Contains(t, b.text(`#part-emails tbody tr:first-child`), staff.Subject, "newest first")
	b.screenshot("console-order-emails")

	// The client's page: their two, not the staff's.
	b.open(fmt.Sprintf("%s/clients/%d/emails", base, c.ID))
	require.Equal(t, 2, b.count(`#part-client-emails tbody tr[id^=email-]`))
	require.NotContains(t, b.text(`#part-client-emails`), staff.Subject)
	b.screenshot("console-client-emails")

	// The invoice's email, as sent: the text, and the HTML in its frame.
	var invoiceEmail int64
	require.NoError(t, s.pool.QueryRow(ctx, `SELECT id FROM emails WHERE order_id = $1 AND template = $2`, orderID,
		email.InvoiceCreated).Scan(&invoiceEmail))
	b.submit(fmt.Sprintf(`#email-%d th a`, invoiceEmail))
	emailPage := fmt.Sprintf("%s/emails/%d", base, invoiceEmail)
	require.Equal(t, emailPage, b.location())
	require.Equal(t, invoiceSubject, b.text(`h1`))
	require.Contains(t, b.text(`pre.email-text`), "Dear Ada Lovelace, invoice #")
	require.Contains(t, b.text(`dl.summary`), fmt.Sprintf("#%d", int64(placed["order_number"].(float64))))
	require.Equal(t, 1, b.count(`iframe.email-html[sandbox=""]`))
	// The frame loaded; Chromium reports the script it refused to run (the frame is sandboxed),
	// and the image the frame's CSP refused: those, and nothing else, are expected.
	b.frameLoaded(emailPage + "/html")
	b.screenshot("console-email")
	frameErrors(t, b.takeErrors())

	// Opened on its own, the HTML part is still sandboxed by its CSP: the script does not run, the
	// email's own style applies, the remote image is not fetched.
	b.open(emailPage + "/html")
	require.Equal(t, int64(200), b.statusOf(emailPage+"/html"))
	require.Contains(t, b.text(`p.greeting`), "Dear Ada Lovelace")
	ran, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.body.dataset.pwned === "yes"`))
	require.NoError(t, err)
	require.False(t, ran, "a script of the email ran")
	color, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("p.greeting")).color`))
	require.NoError(t, err)
	require.Equal(t, "rgb(200, 0, 0)", color, "the email's inline style shows")
	require.Zero(t, b.statusOf("http://127.0.0.1:9/pixel.png"), "nothing remote is loaded")
	frameErrors(t, b.takeErrors())

	// Resend, double-clicked: one copy, to the same recipient, and the green message.
	b.open(emailPage)
	requestID := b.value(`form.resend input[name=request_id]`)
	_, err = chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.body.setAttribute("data-stale", "1"), true`))
	require.NoError(t, err)
	b.do(chromedp.DoubleClick(chromedp.CSS(`form.resend button`), chromedp.NodeVisible),
		chromedp.WaitNotPresent(chromedp.CSS(`body[data-stale]`)), chromedp.WaitReady(chromedp.CSS(`body`)))
	require.Equal(t, emailPage, b.location())
	require.Equal(t, "Email resent to "+c.Email+".", b.text(`.flash-ok`))
	require.Equal(t, 2, mailsTo(sb.mail, c.Email, invoiceSubject), "the original and one copy")
	b.screenshot("console-email-resent")

	// The same post retried (a proxy's retry, a second tab's resubmit): the same copy, no other.
	got, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{base + "/"}})
	require.NoError(t, err)
	cookies := got.Cookies
	retry, err := http.NewRequest("POST", emailPage+"/resend", strings.NewReader(url.Values{"request_id": {requestID}}.Encode()))
	require.NoError(t, err)
	retry.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, ck := range cookies {
		retry.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.Do(retry)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Contains(t, res.Header.Get("Set-Cookie"), url.QueryEscape("ok:Email resent to "+c.Email))
	time.Sleep(500 * time.Millisecond) // a second copy, if one went, would be in by now
	require.Equal(t, 2, mailsTo(sb.mail, c.Email, invoiceSubject), "a retried post sends no other copy")

	// The copy is in the log, marked, and the audit trail says who resent what.
	b.open(fmt.Sprintf("%s/orders/%d", base, orderID))
	require.Equal(t, 4, b.count(rows))
	first := b.text(`#part-emails tbody tr:first-child`)
	require.Contains(t, first, invoiceSubject)
	require.Contains(t, first, "(resent)")
	trail := b.text(`#part-events`)
	require.Contains(t, trail, "Email resent")
	require.Contains(t, trail, "Mail Admin")
	require.Contains(t, trail, fmt.Sprintf("%q (email %d) resent to %s", invoiceSubject, invoiceEmail, c.Email))
	b.screenshot("console-order-emails-resent")
	b.submit(`#part-emails tbody tr:first-child th a`)
	require.Contains(t, b.text(`dl.summary`), fmt.Sprintf("by Mail Admin, a copy of email %d", invoiceEmail))
	require.Equal(t, 1, b.count(`iframe.email-html`), "the copy has the HTML part as sent")
	frameErrors(t, b.takeErrors())

	// A relay that refuses the copy for good: the red message with its words, and no copy listed.
	sb.mail.Refuse(550, "Mailbox unavailable")
	b.open(emailPage)
	b.submit(`form.resend button`)
	require.Contains(t, b.text(`.flash-error`), "The email was not resent: the mail server refused it")
	require.Contains(t, b.text(`.flash-error`), "Mailbox unavailable")
	b.frameLoaded(emailPage + "/html")
	b.screenshot("console-email-refused")
	b.open(fmt.Sprintf("%s/clients/%d/emails", base, c.ID))
	require.Equal(t, 3, b.count(`#part-client-emails tbody tr[id^=email-]`), "the two and the one copy")
	frameErrors(t, b.takeErrors())
	b.noErrors()
}

// frameLoaded waits for the open page's frame of src to have loaded, with a 200.
func (b *browser) frameLoaded(src string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[bool](fmt.Sprintf(`(() => { const f = document.querySelector("iframe[src='%s']");
		return f !== null && performance.getEntriesByName(f.src).length > 0 })()`, strings.TrimPrefix(src, b.origin(src))),
		chromedp.WithPollingTimeout(5*time.Second)))
	require.NoError(b.t, err, "the frame %s never loaded", src)
	require.Equal(b.t, int64(200), b.statusOf(src))
}

// origin is the scheme and host of u.
func (b *browser) origin(u string) string {
	p, err := url.Parse(u)
	require.NoError(b.t, err)
	return p.Scheme + "://" + p.Host
}

// frameErrors checks that what the pages reported is only the email's HTML part refused: its
// script (blocked by the sandbox) and its remote image (blocked by its CSP).
func frameErrors(t *testing.T, errs []string) {
	t.Helper()
	for _, e := range errs {
		ok := strings.Contains(e, "sandboxed") && strings.Contains(e, "allow-scripts") ||
			strings.Contains(e, "Content Security Policy") && strings.Contains(e, "127.0.0.1:9/pixel.png")
		require.True(t, ok, "unexpected page error: %s", e)
	}
}
