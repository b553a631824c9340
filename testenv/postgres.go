package testenv

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"
)

// Postgres is a PostgreSQL cluster of one test's own, started from this machine's binaries on
// a port and data directory of its own, so that a test may stop and start it (a fault test)
// without touching the server every other test shares.
type Postgres struct {
	bin  string // the directory of pg_ctl and initdb
	dir  string // the data directory
	port int
	// URL is the cluster's postgres database, for DatabaseAt.
	URL string
}

// StartPostgres initialises and starts a private cluster for t, and removes it when t ends.
// It fails t if PostgreSQL's binaries are not installed (scripts/with-postgres installs them).
func StartPostgres(t testing.TB) *Postgres {
	t.Helper()
	bin, err := postgresBin()
	if err != nil {
		t.Fatal(err)
	}
	// Not t.TempDir: as root the cluster runs as postgres, who must be able to reach its
	// directory, and a test's temporary directory is root's alone.
	dir, err := os.MkdirTemp("", "hostflow-faultpg-")
	if err != nil {
		t.Fatalf("private PostgreSQL: %v", err)
	}
	p := &Postgres{bin: bin, dir: dir, port: freePort(t)}
	p.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", p.port)
	t.Cleanup(func() {
		_ = p.pgctl("-m", "immediate", "stop")
		_ = os.RemoveAll(dir)
	})
	if err := p.chown(); err != nil {
		t.Fatalf("private PostgreSQL: %v", err)
	}
	if out, err := p.as(filepath.Join(bin, "initdb"), "-D", dir, "-U", "postgres", "-A", "trust").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v: %s", err, out)
	}
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	return p
}

// Stop stops the cluster as an operator's restart does (fast: open sessions are ended).
func (p *Postgres) Stop() error { return p.pgctl("-m", "fast", "-w", "stop") }

// Start starts the cluster again on the same port and data directory, and waits until it
// accepts connections.
func (p *Postgres) Start() error {
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -k %s -c fsync=off", p.port, p.dir)
	return p.pgctl("-l", filepath.Join(p.dir, "log"), "-o", opts, "-w", "start")
}

func (p *Postgres) pgctl(args ...string) error {
	cmd := p.as(filepath.Join(p.bin, "pg_ctl"), append([]string{"-D", p.dir}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_ctl %v: %w: %s", args, err, out)
	}
	return nil
}

// as runs a PostgreSQL binary as postgres when the test runs as root, which initdb refuses.
func (p *Postgres) as(name string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	}
	return exec.Command(name, args...)
}

func (p *Postgres) chown() error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root needs the postgres user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return os.Chown(p.dir, uid, gid)
}

// postgresBin finds the newest installed PostgreSQL's binaries, as scripts/with-postgres does.
func postgresBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	if len(dirs) == 0 {
		return "", fmt.Errorf("no PostgreSQL binaries in /usr/lib/postgresql/*/bin: run the test under scripts/with-postgres, which installs them")
	}
	sort.Slice(dirs, func(i, j int) bool { return pgVersion(dirs[i]) < pgVersion(dirs[j]) })
	return dirs[len(dirs)-1], nil
}

func pgVersion(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// freePort is a loopback port nobody listens on just now.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitPort waits until something accepts connections on addr.
func waitPort(addr string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nothing listens on %s after %s: %w", addr, within, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
