package service

import (
	"context"
	"crypto/sha256"

	"github.com/hostflow/hostflow/db"
)

// EnsureAdminKey stores the hash of the configured admin key. With none configured and none
// stored, it makes one and returns it so that the caller can show it once; it is never stored
// in clear.
func (s *Service) EnsureAdminKey(ctx context.Context, configured string) (generated string, err error) {
	q := s.q()
	if configured != "" {
		return "", wrap(q.InsertAPIKey(ctx, db.InsertAPIKeyParams{Name: "HOSTFLOW_ADMIN_API_KEY", KeyHash: hashKey(configured)}), "store admin key")
	}
	n, err := q.CountAPIKeys(ctx)
	if err != nil || n > 0 {
		return "", wrap(err, "count admin keys")
	}
	key := "hf_" + randomToken(24)
	return key, wrap(q.InsertAPIKey(ctx, db.InsertAPIKeyParams{Name: "generated", KeyHash: hashKey(key)}), "store admin key")
}

// ValidAdminKey reports whether key is a stored admin key.
func (s *Service) ValidAdminKey(ctx context.Context, key string) (bool, error) {
	ok, err := s.q().APIKeyExists(ctx, hashKey(key))
	return ok, wrap(err, "check admin key")
}

// hashKey is SHA-256: API keys are long random strings, so a slow password hash buys nothing.
func hashKey(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}
