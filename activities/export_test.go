package activities

import "time"

// SetSetupItemTimeout shortens SetUpItems' bound on one item for a test; the returned function
// restores it.
func SetSetupItemTimeout(d time.Duration) (restore func()) {
	old := setupItemTimeout
	setupItemTimeout = d
	return func() { setupItemTimeout = old }
}
