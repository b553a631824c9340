package config

import (
	"os"

	"github.com/hostflow/hostflow/secrets"
)

// secretBox builds the Box for the current key (HOSTFLOW_SECRET_KEY, or the dev key) and the
// optional previous one, HOSTFLOW_SECRET_KEY_PREVIOUS, which opens what it sealed until
// ResealSecrets has moved everything to the current key.
func secretBox(current string) (*secrets.Box, error) {
	return secrets.FromBase64Keys(current, os.Getenv(secrets.PreviousKeyEnv))
}
