package db_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/testenv"
)

// The WHMCS GetClients search matches what was typed, character for character: % and _ are
// not wildcards, and \ is not an escape.
func TestClientSearchMatchesWildcardsLiterally(t *testing.T) {
	admin(t) // skips without PostgreSQL
	pool, _ := testenv.Database(t)
	ctx := context.Background()
	q := db.New(pool)
	for _, c := range [][2]string{
		{"100% Hosting", "percent@example.com"},
		{"1000 Hosting", "thousand@example.com"},
		{"Web_Works", "under@example.com"},
		{"WebXWorks", "x@example.com"},
		{`Back\slash`, "back@example.com"},
		{"Backslash", "noback@example.com"},
	} {
		_, err := q.CreateClient(ctx, db.CreateClientParams{FirstName: "Ada", LastName: "Lovelace", CompanyName: c[0],
			Email: c[1], Currency: "USD"})
		require.NoError(t, err)
	}
	for search, want := range map[string][]string{
		"%":          {"percent@example.com"},
		"0% h":       {"percent@example.com"},
		"_":          {"under@example.com"},
		"b_w":        {"under@example.com"},
		`\`:          {"back@example.com"},
		`k\s`:        {"back@example.com"},
		`\%`:         nil,
		"%%":         nil,
		"hosting":    {"percent@example.com", "thousand@example.com"},
		"":           {"percent@example.com", "thousand@example.com", "under@example.com", "x@example.com", "back@example.com", "noback@example.com"},
		"LOVELACE":   {"percent@example.com", "thousand@example.com", "under@example.com", "x@example.com", "back@example.com", "noback@example.com"},
		"under@exam": {"under@example.com"},
	} {
		rows, err := q.PageClients(ctx, db.PageClientsParams{Search: search, Lim: 100})
		require.NoError(t, err)
		var got []string
		for _, r := range rows {
			got = append(got, r.Email)
		}
		require.ElementsMatch(t, want, got, "search %q", search)
		n, err := q.CountClients(ctx, db.CountClientsParams{Search: search})
		require.NoError(t, err)
		require.EqualValues(t, len(want), n, "count for %q", search)
	}
}
