package clients_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/testenv"
)

// The WHMCS GetClients search matches what was typed, character for character: % and _ are
// not wildcards, and \ is not an escape.
func TestClientSearchMatchesWildcardsLiterally(t *testing.T) {
	pool, _ := testenv.Database(t)
	ctx := context.Background()
	q := db.New(pool)
	svc := clients.New(pool)
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
	all := []string{"percent@example.com", "thousand@example.com", "under@example.com", "x@example.com", "back@example.com", "noback@example.com"}
	// GetClients' search: the start of the email, first, last or full name, or company.
	for search, want := range map[string][]string{
		"100%":         {"percent@example.com"},
		"100":          {"percent@example.com", "thousand@example.com"},
		"Web_":         {"under@example.com"},
		"Web":          {"under@example.com", "x@example.com"},
		`Back\`:        {"back@example.com"},
		"Back":         {"back@example.com", "noback@example.com"},
		"%":            nil,
		`\%`:           nil,
		"_":            nil,
		"":             all,
		"LOVELACE":     all,
		"ada lovelace": all,
		"under@exam":   {"under@example.com"},
	} {
		rows, n, err := svc.SearchClients(ctx, search, "", 0, 100)
		require.NoError(t, err)
		var got []string
		for _, r := range rows {
			got = append(got, r.Email)
		}
		require.ElementsMatch(t, want, got, "search %q", search)
		require.EqualValues(t, len(want), n, "count for %q", search)
	}
}
