package catalog

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/provisioning"
)

// ConnectionTest is what Test Connection found: the panel's version when the server answered
// with the stored credentials, or the module's words for why not.
type ConnectionTest struct {
	Version string `json:"version,omitempty"`
	Error   string `json:"error,omitempty"`
}

// OK reports whether the server answered.
func (t ConnectionTest) OK() bool { return t.Error == "" && t.Version != "" }

// ServerTester runs Test Connection where every external call runs: as a workflow on the worker
// (workflows.ServerChecker), never in the request that asks. It answers once the workflow has.
type ServerTester interface {
	TestServer(ctx context.Context, serverID int64) (ConnectionTest, error)
}

// ConnectionTestWait bounds how long Test Connection waits for its workflow: the module's own
// call is bounded shorter, so only a worker that is down or swamped makes it wait this long.
const ConnectionTestWait = 45 * time.Second

// WithServerTester returns the catalogue with Test Connection run by t.
func (s *Catalog) WithServerTester(t ServerTester) *Catalog {
	s.tester = t
	return s
}

// TestServerConnection runs Test Connection on a stored server with its stored credentials,
// as WHMCS's button on the server's page. A server whose module cannot test (none) is refused
// on its module; a worker that does not answer in time is Unavailable.
func (s *Catalog) TestServerConnection(ctx context.Context, id int64) (ConnectionTest, error) {
	srv, err := s.Server(ctx, id)
	if err != nil {
		return ConnectionTest{}, err
	}
	if p := s.panels[srv.Module]; s.panels != nil {
		if _, ok := p.(provisioning.Tester); !ok {
			return ConnectionTest{}, fault.Invalidf("module", "the %s module has no connection to test", srv.Module)
		}
	}
	if s.tester == nil {
		return ConnectionTest{}, &fault.Error{Kind: fault.Unavailable, Message: "Test Connection needs Temporal, which this process is not connected to"}
	}
	wait, cancel := context.WithTimeout(ctx, ConnectionTestWait)
	defer cancel()
	res, err := s.tester.TestServer(wait, id)
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return ConnectionTest{}, &fault.Error{Kind: fault.Unavailable,
			Message: fmt.Sprintf("no worker ran Test Connection within %s; is the worker running?", ConnectionTestWait)}
	}
	return res, fault.Wrap(err, "test the connection of server %d", id)
}
