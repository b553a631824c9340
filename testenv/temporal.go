package testenv

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/logging"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// TemporalProcess is a Temporal dev server of one test's own, run as a process the test holds,
// keeping its state in a file: a fault test freezes it (SIGSTOP), kills it, and starts it again
// on the same address and state, which testsuite.DevServer does not allow.
type TemporalProcess struct {
	cli     string
	args    []string
	Address string // host:port of the frontend

	mu  sync.Mutex
	cmd *exec.Cmd
	log *os.File
}

// StartTemporalProcess starts a dev server on a free port with its state in a file of t's
// temporary directory and hostflow's search attributes, and stops it when t ends.
func StartTemporalProcess(t testing.TB) *TemporalProcess {
	t.Helper()
	cli, err := TemporalCLI()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	port := freePort(t)
	args := []string{"server", "start-dev", "--ip", "127.0.0.1", "--port", fmt.Sprint(port), "--headless",
		"--namespace", "default", "--log-level", "error", "--db-filename", filepath.Join(dir, "temporal.db"),
		"--dynamic-config-value", "frontend.enableServerVersionCheck=false",
		"--dynamic-config-value", "system.forceSearchAttributesCacheRefreshOnRead=true"}
	for _, sa := range ordermsg.SearchAttributes {
		args = append(args, "--search-attribute", sa)
	}
	s := &TemporalProcess{cli: cli, args: args, Address: fmt.Sprintf("127.0.0.1:%d", port)}
	log, err := os.Create(filepath.Join(dir, "temporal.log"))
	if err != nil {
		t.Fatal(err)
	}
	s.log = log
	t.Cleanup(func() {
		s.Kill()
		_ = log.Close()
	})
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	return s
}

// Start starts the server (again, after Kill) on its address and state file, and waits until
// it answers.
func (s *TemporalProcess) Start() error {
	s.mu.Lock()
	cmd := exec.Command(s.cli, s.args...)
	cmd.Stdout, cmd.Stderr = s.log, s.log
	if err := cmd.Start(); err != nil {
		s.mu.Unlock()
		return fmt.Errorf("start Temporal dev server: %w", err)
	}
	s.cmd = cmd
	s.mu.Unlock()
	return s.waitHealthy(60 * time.Second)
}

// Freeze stops the server's process (SIGSTOP): it holds its connections and answers nothing,
// as a server does that hangs.
func (s *TemporalProcess) Freeze() error { return s.signal(syscall.SIGSTOP) }

// Thaw lets a frozen server run on (SIGCONT).
func (s *TemporalProcess) Thaw() error { return s.signal(syscall.SIGCONT) }

// Kill kills the server (SIGKILL) and waits for it to be gone; its state file stays.
func (s *TemporalProcess) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Client dials the server for a test's own checks.
func (s *TemporalProcess) Client(t testing.TB) client.Client {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: s.Address, Namespace: "default", Logger: logging.Temporal(zap.NewNop())})
	if err != nil {
		t.Fatalf("dial Temporal at %s: %v", s.Address, err)
	}
	t.Cleanup(c.Close)
	return c
}

func (s *TemporalProcess) signal(sig syscall.Signal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return fmt.Errorf("the Temporal dev server is not running")
	}
	return s.cmd.Process.Signal(sig)
}

// waitHealthy waits until the frontend accepts connections and says it is serving, and the
// namespace answers.
func (s *TemporalProcess) waitHealthy(within time.Duration) error {
	if err := waitPort(s.Address, within); err != nil {
		return err
	}
	deadline := time.Now().Add(within)
	for {
		err := s.healthy()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the Temporal dev server at %s is not healthy after %s: %w", s.Address, within, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *TemporalProcess) healthy() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c, err := client.DialContext(ctx, client.Options{HostPort: s.Address, Namespace: "default", Logger: logging.Temporal(zap.NewNop())})
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: "default"})
	return err
}
