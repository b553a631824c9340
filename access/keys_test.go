package access

import (
	"strings"
	"testing"
	"time"
)

func TestCheckConfiguredKey(t *testing.T) {
	if err := CheckConfiguredKey("HOSTFLOW_ADMIN_API_KEY", ""); err != nil {
		t.Errorf("no key configured: %v", err)
	}
	if err := CheckConfiguredKey("HOSTFLOW_ADMIN_API_KEY", strings.Repeat("k", MinConfiguredKeyLength)); err != nil {
		t.Errorf("%d characters: %v", MinConfiguredKeyLength, err)
	}
	err := CheckConfiguredKey("HOSTFLOW_ADMIN_API_KEY", "short-key")
	if err == nil || !strings.Contains(err.Error(), "HOSTFLOW_ADMIN_API_KEY is 9 characters long; use at least 32") {
		t.Errorf("short key: %v", err)
	}
	if strings.Contains(err.Error(), "short-key") {
		t.Errorf("the error shows the key: %v", err)
	}
	if k := newAdminKey(); len(k) < MinConfiguredKeyLength {
		t.Errorf("generated key %d characters", len(k))
	}
}

func TestPurgeDue(t *testing.T) {
	now := time.Now()
	purges.last, purges.misses = now, 0
	for i := 1; i < purgeAfter; i++ {
		if purgeDue(now) {
			t.Fatalf("purge after %d failures", i)
		}
	}
	if !purgeDue(now) {
		t.Errorf("no purge after %d failures", purgeAfter)
	}
	if purgeDue(now) || !purgeDue(now.Add(purgeInterval)) {
		t.Errorf("purges not every %s", purgeInterval)
	}
}
