package config

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// HOSTFLOW_STRIPE_SECRET_KEY turns Stripe on, at Stripe's own API unless
// HOSTFLOW_STRIPE_API_URL names another; a key of the wrong kind stops start-up without being
// repeated in the error.
func TestLoadStripe(t *testing.T) {
	for _, tc := range []struct {
		name, key, url string
		want           bool // configured
		wantErr        string
	}{
		{name: "off"},
		{name: "production", key: "sk_live_abc", want: true},
		{name: "sandbox", key: "sk_test_sandbox", url: "http://127.0.0.1:8093", want: true},
		{name: "restricted key", key: "rk_test_abc", want: true},
		{name: "publishable key", key: "pk_live_secretish", wantErr: "must be a secret key"},
		{name: "webhook secret as key", key: "whsec_secretish", wantErr: "must be a secret key"},
		{name: "url without key", url: "http://127.0.0.1:8093", wantErr: "without HOSTFLOW_STRIPE_SECRET_KEY"},
		{name: "bad url", key: "sk_test_x", url: "127.0.0.1:8093", wantErr: "not an http(s) URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("HOSTFLOW_STRIPE_SECRET_KEY", tc.key)
			t.Setenv("HOSTFLOW_STRIPE_API_URL", tc.url)
			c, err := loadStripe()
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				require.NotContains(t, err.Error(), "secretish")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, c != nil)
			if c != nil {
				require.Equal(t, tc.key, c.SecretKey)
				require.Equal(t, tc.url, c.APIURL)
				require.NotContains(t, c.String(), tc.key)
			}
			m := Modules{Stripe: c}
			require.Equal(t, tc.want, m.StripeClient() != nil)
		})
	}
}
