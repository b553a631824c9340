package integration

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestWHMCSAddClientFields: AddClient requires what WHMCS requires, with its messages, unless
// skipvalidation; stores address2, notes, language, tax_id, groupid and marketingoptin; and
// GetClientsDetails answers them.
func TestWHMCSAddClientFields(t *testing.T) {
	s := newStack(t)
	whmcs := s.whmcsAPI(t)
	full := []string{"firstname", "Ada", "lastname", "Lovelace", "email", "ada@example.com", "address1", "1 Analytical Way",
		"city", "London", "state", "London", "postcode", "N1 1AA", "country", "GB", "phonenumber", "020 7946 0000"}
	without := func(field string) []string {
		var kv []string
		for i := 0; i < len(full); i += 2 {
			if full[i] != field {
				kv = append(kv, full[i], full[i+1])
			}
		}
		return kv
	}
	for _, tc := range []struct{ field, message string }{
		{"firstname", "You did not enter your first name"},
		{"lastname", "You did not enter your last name"},
		{"address1", "You did not enter your address (line 1)"},
		{"city", "You did not enter your city"},
		{"state", "You did not enter your state"},
		{"postcode", "You did not enter your postcode"},
		{"country", "You did not enter your country"},
		{"phonenumber", "You did not enter your phone number"},
	} {
		require.Equal(t, map[string]any{"result": "error", "message": tc.message}, whmcs("AddClient", without(tc.field)...), tc.field)
	}
	// skipvalidation takes a client with a name and an email only, as WHMCS does.
	brief := whmcs("AddClient", "firstname", "Bo", "lastname", "Brief", "email", "bo@example.com", "skipvalidation", "true")
	require.Equal(t, "success", brief["result"], "%v", brief)

	added := whmcs("AddClient", append(full, "address2", "Flat 2", "notes", "prefers email", "language", "english",
		"tax_id", "GB123456789", "groupid", "3", "marketingoptin", "1")...)
	require.Equal(t, "success", added["result"], "%v", added)
	got := whmcs("GetClientsDetails", "clientid", added["clientid"].(string))
	client := got["client"].(map[string]any)
	for field, want := range map[string]any{"address2": "Flat 2", "notes": "prefers email", "language": "english",
		"tax_id": "GB123456789", "groupid": 3.0, "marketing_emails_opt_in": true} {
		require.Equal(t, want, client[field], field)
	}
	require.Equal(t, map[string]any{"result": "error", "message": "You did not enter your first name"},
		whmcs("AddClient", "lastname", "X", "email", "x@example.com", "skipvalidation", "true"), "a name is always required")
}
