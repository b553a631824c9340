package integration

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// `starter admin create` takes the password from a pipe, creates the admin once (exit 0), and
// says so with exit status 3 when the admin exists already, changing nothing; the admin can
// then sign in.
func TestStarterAdminCreate(t *testing.T) {
	s := newStack(t)
	bin := buildCmd(t, "starter")
	create := func(password string) (int, string) {
		cmd := exec.Command(bin, "admin", "create", "--email", "Ops@Example.com", "--name", "Ops")
		cmd.Env = append(os.Environ(), "DATABASE_URL="+s.dsn, "HOSTFLOW_SECRET_KEY="+s.box, "HOSTFLOW_ADMIN_API_KEY="+s.key)
		cmd.Stdin = strings.NewReader(password + "\n")
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), string(out)
		}
		require.NoError(t, err, "%s", out)
		return 0, string(out)
	}
	code, out := create("correct horse battery staple")
	require.Equal(t, 0, code, out)
	code, out = create("another password entirely")
	require.Equal(t, 3, code, out)
	require.Contains(t, out, "exists already")

	ctx := context.Background()
	_, err := s.svc.Authenticate(ctx, "127.0.0.1", "ops@example.com", "correct horse battery staple")
	require.NoError(t, err, "the first password stands")
	_, err = s.svc.Authenticate(ctx, "127.0.0.1", "ops@example.com", "another password entirely")
	require.Error(t, err, "the second changed nothing")
}
