package metrics

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/provisioning/cpanel"
)

// A module that tests connections is still a Tester once measured, and its tests are timed;
// one that is not (none) does not become one.
func TestPanelsKeepTheTester(t *testing.T) {
	c := NewCalls(New(zap.NewNop()))
	r := provisioning.NewRegistry()
	r[cpanel.Name] = cpanel.New()
	out := c.Panels(r)
	_, ok := out[provisioning.None].(provisioning.Tester)
	require.False(t, ok, "none has no server to test")
	tester, ok := out[cpanel.Name].(provisioning.Tester)
	require.True(t, ok, "the measured cpanel module lost TestConnection")
	_, err := tester.TestConnection(context.Background(), provisioning.Server{Hostname: "127.0.0.1:1", Credentials: "x"})
	require.Error(t, err)
	require.Equal(t, 1.0, testutil.ToFloat64(c.failures.WithLabelValues(KindPanel, cpanel.Name, testConnectionOp)))
}
