package integration

import (
	"context"
	"os"
	"path/filepath"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"
)

// recordHistory saves an order workflow's history for the replay test in package workflows
// when HOSTFLOW_RECORD_HISTORIES names a folder (`make histories`).
func (s *stack) recordHistory(orderID int64, name string) {
	dir := os.Getenv("HOSTFLOW_RECORD_HISTORIES")
	if dir == "" {
		return
	}
	it := s.tc.GetWorkflowHistory(context.Background(), s.workflowID(orderID), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		e, err := it.Next()
		require.NoError(s.t, err)
		h.Events = append(h.Events, e)
	}
	raw, err := protojson.MarshalOptions{Indent: "  "}.Marshal(h)
	require.NoError(s.t, err)
	require.NoError(s.t, os.WriteFile(filepath.Join(dir, name+".json"), raw, 0o644))
}
