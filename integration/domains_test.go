package integration

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// One domain, one owner: while one order holds a domain (its registration pending or done),
// nobody else can order it; once that order is cancelled, they can. Two placements at once
// cannot both get it.
func TestOneDomainOneOwner(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientA, productID := s.catalogue("accept")
	clientB := s.mustCall("POST", "/api/v1/clients", map[string]any{"first_name": "Bob", "last_name": "B",
		"email": "bob@example.com", "country": "GB"}, 201)["id"].(float64)

	first := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientA, productID, "taken.com"), 201)
	out := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientB, productID, "taken.com"), 422)
	require.Equal(t, "domains[0].domain", out["field"])
	require.Contains(t, out["error"], "already ordered in another order")

	twice := hostingOrder(clientB, productID, "twice.com")
	twice["domains"] = []map[string]any{{"domain": "twice.com"}, {"domain": "TWICE.com"}}
	out = s.mustCall("POST", "/api/v1/orders", twice, 422)
	require.Equal(t, "domains[1].domain", out["field"])

	s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/cancel", int64(first["order_id"].(float64))), nil, 200)
	s.mustCall("POST", "/api/v1/orders", hostingOrder(clientB, productID, "taken.com"), 201)

	// A race: the placements pass the API's look-up together; the order's first write decides.
	var wg sync.WaitGroup
	codes := make(chan int, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, _ := s.call("POST", "/api/v1/orders", hostingOrder(clientA, productID, "race.com"))
			codes <- code
		}()
	}
	wg.Wait()
	close(codes)
	created := 0
	for code := range codes {
		require.Contains(t, []int{http.StatusCreated, http.StatusUnprocessableEntity, http.StatusBadRequest}, code)
		if code == http.StatusCreated {
			created++
		}
	}
	require.Equal(t, 1, created, "exactly one order gets race.com")
	var held int
	require.NoError(t, s.pool.QueryRow(t.Context(), "SELECT count(*) FROM order_domains WHERE domain = 'race.com'").Scan(&held))
	require.Equal(t, 1, held)
}
