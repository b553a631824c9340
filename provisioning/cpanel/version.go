package cpanel

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/provisioning"
)

// TestConnection calls WHM API 1's version function, which every API token may call and which
// changes nothing: it proves the hostname, port, certificate and token in one call, as WHMCS's
// Test Connection does. WHM's refusal (a bad token is HTTP 403 "Access denied") is returned as
// WHM words it.
func (m *Module) TestConnection(ctx context.Context, s provisioning.Server) (string, error) {
	var data struct {
		Version string `json:"version"`
	}
	err := m.client(s).call(ctx, "version", nil, &data)
	var whmErr *Error
	if errors.As(err, &whmErr) {
		return "", permanent.Wrap(fmt.Errorf("version: %s", whmErr.Reason))
	}
	if err != nil {
		return "", err
	}
	v := strings.TrimSpace(data.Version)
	if v == "" {
		return "", permanent.Wrap(errors.New("version: WHM answered without a version; is this a WHM server?"))
	}
	return v, nil
}

var _ provisioning.Tester = (*Module)(nil)
