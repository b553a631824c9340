package integration

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/secrets"
)

// TestSecretsBoundToRows follows secrets through orders: the EPP code sealed at pricing and the
// password chosen on Accept travel bound to their purpose and are stored bound to their rows.
// A password copied to another service's row does not open there: the order view still
// answers, without it, and a module call on that service fails for good, saying why.
func TestSecretsBoundToRows(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	ctx := context.Background()
	box, err := secrets.FromBase64(s.box)
	require.NoError(t, err)
	clientID, productID := s.catalogue("accept")
	placed := s.mustCall("POST", "/api/v1/orders", map[string]any{"client_id": clientID, "payment_method": "banktransfer",
		"items":   []map[string]any{{"product_id": productID, "domain": "one.com", "billing_cycle": "monthly"}},
		"domains": []map[string]any{{"domain": "one.com", "type": "transfer", "period": 1, "epp_code": "EPP-one"}}}, 201)
	path := fmt.Sprintf("/api/v1/orders/%d", int64(placed["order_id"].(float64)))
	domainID := int64(placed["domain_ids"].([]any)[0].(float64))
	var epp []byte
	require.NoError(t, s.pool.QueryRow(ctx, "SELECT epp_code FROM order_domains WHERE id = $1", domainID).Scan(&epp))
	got, err := box.OpenFor(epp, secrets.DomainEPPCode(domainID))
	require.NoError(t, err)
	require.Equal(t, "EPP-one", got)
	_, err = box.OpenFor(epp, secrets.NewDomainEPPCode("one.com"))
	require.Error(t, err, "the stored EPP code is bound to its row, not to its way there")

	s.mustCall("POST", path+"/accept", map[string]any{"password": "Chosen-Pass-1!"}, 200)
	o := s.mustCall("GET", path, nil, 200)
	require.Equal(t, "Chosen-Pass-1!", o["services"].([]any)[0].(map[string]any)["password"])
	require.Equal(t, 1, s.count("SELECT count(*) FROM order_services WHERE substring(password FROM 1 FOR 5) = $1", box.Prefix()))

	// Two services with generated passwords; someone with write access copies A's over B's.
	placed = s.mustCall("POST", "/api/v1/orders", map[string]any{"client_id": clientID, "payment_method": "banktransfer",
		"items": []map[string]any{{"product_id": productID, "domain": "two.com", "billing_cycle": "monthly"},
			{"product_id": productID, "domain": "three.com", "billing_cycle": "monthly"}}}, 201)
	path = fmt.Sprintf("/api/v1/orders/%d", int64(placed["order_id"].(float64)))
	a, b := int64(placed["service_ids"].([]any)[0].(float64)), int64(placed["service_ids"].([]any)[1].(float64))
	s.mustCall("POST", path+"/accept", nil, 200)
	var sealedA []byte
	require.NoError(t, s.pool.QueryRow(ctx, "SELECT password FROM order_services WHERE id = $1", a).Scan(&sealedA))
	passwordA, err := box.OpenFor(sealedA, secrets.ServicePassword(a))
	require.NoError(t, err)
	_, err = box.OpenFor(sealedA, secrets.ServicePassword(b))
	require.ErrorIs(t, err, secrets.ErrCorrupt)
	_, err = s.pool.Exec(ctx, "UPDATE order_services SET password = $1 WHERE id = $2", sealedA, b)
	require.NoError(t, err)

	o = s.mustCall("GET", path, nil, 200)
	passwords := map[int64]any{}
	for _, svc := range o["services"].([]any) {
		m := svc.(map[string]any)
		passwords[int64(m["id"].(float64))] = m["password"]
	}
	require.Equal(t, passwordA, passwords[a])
	require.Empty(t, passwords[b], "the moved password shows empty")

	s.mustCall("POST", fmt.Sprintf("/api/v1/services/%d/suspend", a), nil, 200)
	status, out := s.call("POST", fmt.Sprintf("/api/v1/services/%d/suspend", b), nil)
	require.NotEqual(t, 200, status, "suspend with a password that does not open: %v", out)
	require.Contains(t, fmt.Sprint(out), fmt.Sprintf("the password of service %d could not be opened", b))
	o = s.mustCall("GET", path, nil, 200)
	require.Equal(t, "Suspended", o["services"].([]any)[0].(map[string]any)["status"])
	require.Equal(t, "Active", o["services"].([]any)[1].(map[string]any)["status"])
}
