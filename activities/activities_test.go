package activities_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/testenv"
)

// newActivities are the activities on a database of the test's own, with no module.
func newActivities(t *testing.T) (*activities.Activities, *db.Queries) {
	pool, _ := testenv.Database(t)
	box, err := secrets.FromBase64(secrets.NewKey())
	require.NoError(t, err)
	return &activities.Activities{Records: records.Records{Pool: pool, Secrets: box}}, db.New(pool)
}
