package integration

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/crashpoint"
	"github.com/hostflow/hostflow/order"
)

// TestPaymentSurvivesCrashBeforeSignal kills the API process (SIGKILL) right after a gateway
// payment commits and before the order's workflow is signalled. The invoice is Paid and the
// order does not know; the next API process finds the signal in the outbox and delivers it,
// and the order is provisioned exactly once.
func TestPaymentSurvivesCrashBeforeSignal(t *testing.T) {
	s := newStack(t)
	s.stopRelay() // the starter processes below are the only relays
	s.startWorker()
	o := s.place("payment", "crash.com")
	starter := buildCmd(t, "starter")
	const secret = "crash-secret-0123456789"
	body := genericBody(o.invoiceID, "C-1", "26.99", "paid")

	crashing, base := s.runStarter(starter, "HOSTFLOW_GATEWAY_ACME_SECRET="+secret, crashpoint.Env+"=outbox-committed")
	req, _ := http.NewRequest("POST", base+"/webhooks/gateway/acme", bytes.NewReader(body))
	req.Header = genericHeader(secret, body, time.Now())
	_, err := http.DefaultClient.Do(req)
	require.Error(t, err, "the process dies before it answers")
	err = crashing.Wait()
	var exit *exec.ExitError
	require.True(t, errors.As(err, &exit), "starter exited with %v", err)
	require.Equal(t, syscall.SIGKILL, exit.Sys().(syscall.WaitStatus).Signal())

	require.Equal(t, 1, s.count("SELECT count(*) FROM invoices WHERE id = $1 AND status = 'Paid'", o.invoiceID), "the payment committed")
	require.Equal(t, 1, s.count("SELECT count(*) FROM outbox"), "its signal waits in the outbox")
	require.Equal(t, order.InvoiceUnpaid, s.workflowState(o.orderID).PaymentStatus, "the order has not heard")
	creates, _ := s.panel.counts()
	require.Zero(t, creates)

	_, base = s.runStarter(starter, "HOSTFLOW_GATEWAY_ACME_SECRET="+secret)
	s.eventually(o.orderID, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	require.Zero(t, s.count("SELECT count(*) FROM outbox"))
	creates, _ = s.panel.counts()
	require.Equal(t, 1, creates, "provisioned once the order heard")

	// The gateway never got its 200, so it sends the callback again: nothing changes.
	status, out := s.post(base, "/webhooks/gateway/acme", body, genericHeader(secret, body, time.Now()))
	require.Equal(t, 200, status)
	require.Equal(t, true, out["duplicate"])
	require.Equal(t, 1, s.count("SELECT count(*) FROM transactions"))
	creates, _ = s.panel.counts()
	require.Equal(t, 1, creates)
}

// buildCmd compiles one of hostflow's commands (starter, worker) for a test to run.
func buildCmd(t *testing.T, name string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), name)
	out, err := exec.Command("go", "build", "-o", bin, "github.com/hostflow/hostflow/"+name).CombinedOutput()
	require.NoError(t, err, "go build %s: %s", name, out)
	return bin
}

// runProcess starts bin on this stack's database, Temporal server and task queue. Its output
// is shown if the test fails.
func (s *stack) runProcess(bin string, env ...string) *exec.Cmd {
	s.t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+s.dsn, "TEMPORAL_ADDRESS="+temporalServer.FrontendHostPort(),
		"HOSTFLOW_ADMIN_API_KEY="+s.key, "HOSTFLOW_SECRET_KEY="+s.box, "HOSTFLOW_TASK_QUEUE="+s.queue)
	cmd.Env = append(cmd.Env, env...)
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(s.t, cmd.Start())
	s.t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
		if s.t.Failed() {
			s.t.Logf("%s %s:\n%s", filepath.Base(bin), strings.Join(env, " "), logs.String())
		}
	})
	return cmd
}

// runWorker starts a worker process.
func (s *stack) runWorker(bin string, env ...string) *exec.Cmd { return s.runProcess(bin, env...) }

// runStarter starts the API as its own process and waits until it serves.
func (s *stack) runStarter(bin string, env ...string) (*exec.Cmd, string) {
	s.t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(s.t, err)
	addr := l.Addr().String()
	l.Close()
	cmd := s.runProcess(bin, append(env, "HOSTFLOW_HTTP_ADDR="+addr)...)
	base := "http://" + addr
	require.Eventually(s.t, func() bool {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	}, 20*time.Second, 50*time.Millisecond, "starter did not come up (its log follows)")
	return cmd, base
}

// lockedBuffer collects a process's output while the test may read it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
