package config

import (
	"strings"
	"testing"
)

// TestWHMCSAccessKeyLength: the access key lets a caller past the IP allow-list, so it has the
// other keys' 32-character minimum.
func TestWHMCSAccessKeyLength(t *testing.T) {
	for _, tc := range []struct {
		key string
		ok  bool
	}{
		{"", true},
		{strings.Repeat("k", 32), true},
		{strings.Repeat("k", 31), false},
		{"let-me-in", false},
	} {
		t.Setenv("HOSTFLOW_WHMCS_ACCESS_KEY", tc.key)
		_, err := loadWHMCS()
		if (err == nil) != tc.ok {
			t.Errorf("%d characters: %v", len(tc.key), err)
		}
		if err != nil && !strings.Contains(err.Error(), "HOSTFLOW_WHMCS_ACCESS_KEY") {
			t.Errorf("the error does not name the variable: %v", err)
		}
	}
}
