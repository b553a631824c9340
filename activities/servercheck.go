package activities

import (
	"context"
	"fmt"

	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/provisioning"
)

// TestServerConnection is Test Connection on a server's page: it asks the server's module to
// reach the server with the stored credentials and answers the panel's version. It changes
// nothing anywhere, so a retry is harmless. The credentials are opened here, in the worker:
// only the server's id travels through the workflow's history. A module that cannot test
// (none) and the module's own refusal are permanent, in the module's words.
func (a *Activities) TestServerConnection(ctx context.Context, serverID int64) (string, error) {
	row, srv, err := a.server(ctx, serverID)
	if err != nil {
		return "", err
	}
	p, err := a.Panels.Get(row.Module)
	if err != nil {
		return "", moduleError(err)
	}
	t, ok := p.(provisioning.Tester)
	if !ok {
		return "", moduleError(permanent.Wrap(fmt.Errorf("the %s module cannot test a connection", row.Module)))
	}
	version, err := t.TestConnection(ctx, srv)
	return version, moduleError(err)
}
