package integration

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ModuleChangePackage and ModuleChangePw, and their REST routes, change the account on the
// panel (the WHM sandbox) through the order's workflow, and answer as WHMCS does: its example
// answer on success, HTTP 200 with the module's words on failure.
func TestWHMCSModuleChangePackageAndPassword(t *testing.T) {
	s, sb, clientID, productID := sandboxStack(t)
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "change-me.com"), 201)
	id := int64(placed["order_id"].(float64))
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", int64(placed["invoice_id"].(float64))),
		map[string]any{"transaction_id": "bank-change-1"}, 201)
	o := s.eventually(id, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	svc := o["services"].([]any)[0].(map[string]any)
	serviceID := int64(svc["id"].(float64))
	user := svc["username"].(string)
	plan := func() string {
		for _, a := range sb.whm.Accounts() {
			if a.User == user {
				return a.Plan
			}
		}
		return ""
	}
	require.Equal(t, "starter", plan())

	whmcs := s.whmcsAPI(t)
	sid := fmt.Sprint(serviceID)
	storedPassword := func() string {
		o := s.mustCall("GET", fmt.Sprintf("/api/v1/orders/%d", id), nil, 200)
		return o["services"].([]any)[0].(map[string]any)["password"].(string)
	}

	// Package: REST names one; WHMCS's command takes the product's, as after a product change.
	s.mustCall("POST", fmt.Sprintf("/api/v1/services/%d/change-package", serviceID), map[string]any{"package": "business"}, 200)
	require.Equal(t, "business", plan())
	status, out := s.call("POST", fmt.Sprintf("/api/v1/services/%d/change-package", serviceID), map[string]any{"package": "gold"})
	require.NotEqual(t, 200, status, "%v", out)
	require.Contains(t, fmt.Sprint(out), "gold", "WHM's refusal reaches the caller")
	require.Equal(t, "business", plan())
	answer := whmcs("ModuleChangePackage", "serviceid", sid)
	require.Equal(t, "success", answer["result"], "%v", answer)
	require.Equal(t, "starter", plan(), "the product's package")
	sameAsExample(t, "modulechangepackage", answer)
	_, err := s.pool.Exec(t.Context(), "UPDATE products SET package_name = 'business' WHERE id = $1", int64(productID))
	require.NoError(t, err)
	require.Equal(t, "success", whmcs("ModuleChangePackage", "serviceid", sid)["result"])
	require.Equal(t, "business", plan())

	// Password: set on the panel, then stored; a refused one changes neither.
	answer = whmcs("ModuleChangePw", "serviceid", sid, "servicepassword", "N3w-Passw0rd!")
	require.Equal(t, "success", answer["result"], "%v", answer)
	sameAsExample(t, "modulechangepw", answer)
	require.Equal(t, "N3w-Passw0rd!", sb.whm.Password(user))
	require.Equal(t, "N3w-Passw0rd!", storedPassword())
	answer = whmcs("ModuleChangePw", "serviceid", sid, "servicepassword", "short")
	require.Equal(t, map[string]any{"result": "error", "message": "passwd: The password must be at least 8 characters."}, answer)
	require.Equal(t, "N3w-Passw0rd!", sb.whm.Password(user))
	require.Equal(t, "N3w-Passw0rd!", storedPassword())
	s.mustCall("POST", fmt.Sprintf("/api/v1/services/%d/change-password", serviceID), map[string]any{"password": "Rest-Passw0rd!"}, 200)
	require.Equal(t, "Rest-Passw0rd!", sb.whm.Password(user))
	require.Equal(t, "Rest-Passw0rd!", storedPassword())
	calls := sb.whm.Calls("passwd")
	require.Equal(t, "success", whmcs("ModuleChangePw", "serviceid", sid)["result"], "the stored password, set again")
	require.Equal(t, calls+1, sb.whm.Calls("passwd"))
	require.Equal(t, "Rest-Passw0rd!", sb.whm.Password(user))

	// WHMCS's refusals.
	require.Equal(t, map[string]any{"result": "error", "message": "Service ID not found"},
		whmcs("ModuleChangePw", "serviceid", "999999", "servicepassword", "N3w-Passw0rd!"))
	require.Equal(t, map[string]any{"result": "error", "message": "Service ID is required"}, whmcs("ModuleChangePackage"))
	require.Equal(t, "success", whmcs("ModuleTerminate", "serviceid", sid)["result"])
	require.Equal(t, map[string]any{"result": "error", "message": "Only an Active or Suspended service can be changed"},
		whmcs("ModuleChangePackage", "serviceid", sid))
}

// sameAsExample compares an answer with the example answer on the action's WHMCS page.
func sameAsExample(t *testing.T, action string, ours map[string]any) {
	t.Helper()
	page, want := example(t, action)
	var diffs []string
	compareExample(want, ours, "", &diffs)
	assert.Empty(t, diffs, "%s differs from %s", action, page)
}

// whmcsAPI returns a caller of the WHMCS API with a new API credential: it posts the action
// and its fields, checks for HTTP 200 (WHMCS's status for a refused action too) and returns the
// answer.
func (s *stack) whmcsAPI(t *testing.T) func(action string, kv ...string) map[string]any {
	form := s.whmcsForm()
	return func(action string, kv ...string) map[string]any {
		t.Helper()
		status, out := whmcsPost(t, s.api.URL, form(action, kv...))
		require.Equal(t, 200, status, "%s: %v", action, out)
		return out
	}
}

// whmcsForm returns a builder of WHMCS API requests with a new API credential: the action and
// its fields, as a form.
func (s *stack) whmcsForm() func(action string, kv ...string) url.Values {
	cred := s.mustCall("POST", "/api/v1/api-credentials", nil, 201)
	return func(action string, kv ...string) url.Values {
		f := url.Values{"identifier": {cred["identifier"].(string)}, "secret": {cred["secret"].(string)}, "action": {action},
			"responsetype": {"json"}}
		for i := 0; i < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
}
