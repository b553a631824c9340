package activities_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/provisioning"
)

// moodPanel answers each account by its domain: made, refused for good, away, or never.
type moodPanel struct{ namePanel }

func (p *moodPanel) Create(ctx context.Context, a provisioning.Account) error {
	switch a.Domain {
	case "refused.com":
		return permanent.Wrap(errors.New("Sorry, the domain refused.com is already set up"))
	case "down.com":
		return errors.New("dial tcp 192.0.2.1:2087: connection refused")
	case "hangs.com":
		<-ctx.Done()
		return ctx.Err()
	}
	return nil
}

// SetUpItems runs the items side by side and answers each one's outcome: a refusal for good
// is final, a failure that may pass and a module that hangs past the item's bound are to be
// tried again, and none of them costs the others their outcome.
func TestSetUpItemsAnswersEachItem(t *testing.T) {
	defer activities.SetSetupItemTimeout(200 * time.Millisecond)()
	e := newNameEnv(t)
	e.a.Panels["names"] = &moodPanel{}
	ids := e.services(t, "ok.com", "refused.com", "down.com", "hangs.com")
	var items []activities.SetupItem
	for _, id := range ids {
		items = append(items, activities.SetupItem{ServiceID: id})
	}
	start := time.Now()
	out, err := e.a.SetUpItems(context.Background(), items)
	require.NoError(t, err)
	require.Less(t, time.Since(start), 5*time.Second, "the hanging module was cut short, not waited for")
	require.Equal(t, activities.SetupOutcome{Status: order.Active}, out[0])
	require.Equal(t, activities.SetupOutcome{Error: "Sorry, the domain refused.com is already set up"}, out[1], "final")
	require.True(t, out[2].Retry, "away: to be tried again")
	require.Contains(t, out[2].Error, "connection refused")
	require.True(t, out[3].Retry, "hung past its bound: to be tried again")
}
