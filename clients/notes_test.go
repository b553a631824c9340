package clients_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// An admin's notes about a client: added, edited and deleted, each a line on the client's Log
// with the details edited and the close; another client's note is not found.
func TestNotesAndLog(t *testing.T) {
	ctx := context.Background()
	s, _, _ := accounts(t)
	c := newClient(t, s, "ada@example.com", "")
	other := newClient(t, s, "grace@example.com", "")
	admin := order.Admin("ops@example.com")

	_, err := s.AddClientNote(ctx, c.ID, admin, " \r\n ")
	requireRefusal(t, err, fault.Invalid, "note", "is required")
	_, err = s.AddClientNote(ctx, c.ID, admin, strings.Repeat("x", clients.MaxNoteLength+1))
	requireRefusal(t, err, fault.Invalid, "note", "at most 10000 characters")
	_, err = s.AddClientNote(ctx, 999999, admin, "hello")
	requireRefusal(t, err, fault.NotFound, "", "Client Not Found")

	n, err := s.AddClientNote(ctx, c.ID, admin, "Prefers email.\r\nCall before 10am.\n")
	require.NoError(t, err)
	require.Equal(t, "Prefers email.\nCall before 10am.", n.Note)
	_, err = s.EditClientNote(ctx, other.ID, n.ID, admin, "not theirs")
	requireRefusal(t, err, fault.NotFound, "", "Note Not Found")
	edited, err := s.EditClientNote(ctx, c.ID, n.ID, order.Admin("boss@example.com"), "Prefers email.")
	require.NoError(t, err)
	require.Equal(t, order.Actor("admin:boss@example.com"), edited.UpdatedBy)
	require.Equal(t, admin, edited.Actor)
	second, err := s.AddClientNote(ctx, c.ID, admin, "Second.")
	require.NoError(t, err)
	require.NoError(t, s.DeleteClientNote(ctx, c.ID, second.ID, admin))
	requireRefusal(t, s.DeleteClientNote(ctx, c.ID, second.ID, admin), fault.NotFound, "", "Note Not Found")
	notes, err := s.ClientNotes(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, notes, 1)

	d := clients.ClientDetails{FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", Phone: "+44 20 7946 0001"}
	_, err = s.EditClientDetails(ctx, c.ID, admin, d)
	require.NoError(t, err)
	_, err = s.EditClientDetails(ctx, c.ID, admin, d) // nothing changed: no line
	require.NoError(t, err)

	log, more, err := s.ClientLog(ctx, c.ID, dbtx.Page{Number: 1, Size: 10})
	require.NoError(t, err)
	require.False(t, more)
	var lines []string
	for _, l := range log {
		lines = append(lines, l.Action+": "+l.Detail)
	}
	require.Equal(t, []string{"client-edit: Phone", "note-delete: Second.", "note-add: Second.", "note-edit: Prefers email.",
		"note-add: Prefers email. Call before 10am."}, lines)
	_, _, err = s.ClientLog(ctx, 999999, dbtx.Page{Number: 1})
	requireRefusal(t, err, fault.NotFound, "", "Client Not Found")
}

// cancels records the orders Close Client asked to cancel.
type cancels struct{ ids []int64 }

func (c *cancels) CancelOrder(_ context.Context, orderID int64, _ order.Actor, _ string) ([]string, error) {
	c.ids = append(c.ids, orderID)
	return nil, nil
}

// Close Client sets the client Closed once, with one Log line, however often it is asked; an
// unknown client is not found.
func TestCloseClient(t *testing.T) {
	ctx := context.Background()
	s, _, _ := accounts(t)
	orders := &cancels{}
	s.WithOrders(orders)
	c := newClient(t, s, "ada@example.com", "")
	_, err := s.CloseClient(ctx, 999999, order.WHMCSAPI, "")
	requireRefusal(t, err, fault.NotFound, "", "Client Not Found")
	for range 2 {
		done, err := s.CloseClient(ctx, c.ID, order.WHMCSAPI, "req")
		require.NoError(t, err)
		require.Equal(t, clients.Closed, done.Client.Status)
		require.Empty(t, done.Cancel)
		require.Empty(t, done.Left)
	}
	require.Empty(t, orders.ids, "no orders, nothing cancelled")
	log, _, err := s.ClientLog(ctx, c.ID, dbtx.Page{Number: 1})
	require.NoError(t, err)
	require.Len(t, log, 1)
	require.Equal(t, clients.LogClosed, log[0].Action)
	require.Equal(t, "Status Active → Closed", log[0].Detail)
	require.Equal(t, order.WHMCSAPI, log[0].Actor)
}
