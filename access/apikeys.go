package access

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/token"
)

// MinConfiguredKeyLength is the shortest key accepted from the environment: a configured key is
// chosen by a person, and a short one can be guessed.
const MinConfiguredKeyLength = 32

// Kinds of admin API key.
const (
	KeyConfigured = "configured" // HOSTFLOW_ADMIN_API_KEY; a new value replaces it
	KeyGenerated  = "generated"  // made at the first start without one; kept until revoked
	KeyCreated    = "created"    // made with POST /api/v1/api-keys; kept until revoked
)

// keyTouchInterval is how stale a key's last-used time may be before a request writes it.
const keyTouchInterval = time.Minute

// CheckConfiguredKey refuses a key from the environment shorter than MinConfiguredKeyLength.
func CheckConfiguredKey(variable, key string) error {
	if key != "" && len(key) < MinConfiguredKeyLength {
		return fmt.Errorf("%s is %d characters long; use at least %d (for example: openssl rand -hex 32)",
			variable, len(key), MinConfiguredKeyLength)
	}
	return nil
}

// APIKey is an admin API key as listed: never its hash. Key is set only in the answer that
// creates it.
type APIKey struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Kind       string     `json:"kind"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	Key        string     `json:"key,omitempty"`
}

// EnsureAdminKey stores the hash of the configured admin key, removing the key configured
// before it. With none configured and none stored, it makes one and returns it so that the
// caller can show it once; it is never stored in clear.
func (s *Access) EnsureAdminKey(ctx context.Context, configured string) (generated string, err error) {
	if configured != "" {
		err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
			h := hashKey(configured)
			if err := q.DeleteOtherConfiguredAPIKeys(ctx, h); err != nil {
				return err
			}
			_, err := q.InsertAPIKey(ctx, db.InsertAPIKeyParams{Name: "HOSTFLOW_ADMIN_API_KEY", KeyHash: h, Kind: KeyConfigured})
			if dbtx.IsNoRows(err) {
				return nil // stored already
			}
			return err
		})
		return "", fault.Wrap(err, "store admin key")
	}
	n, err := s.q().CountAPIKeys(ctx)
	if err != nil || n > 0 {
		return "", fault.Wrap(err, "count admin keys")
	}
	key := newAdminKey()
	_, err = s.q().InsertAPIKey(ctx, db.InsertAPIKeyParams{Name: "generated", KeyHash: hashKey(key), Kind: KeyGenerated})
	return key, fault.Wrap(err, "store admin key")
}

// HasAdminKey reports whether any admin key is stored.
func (s *Access) HasAdminKey(ctx context.Context) (bool, error) {
	n, err := s.q().CountAPIKeys(ctx)
	return n > 0, fault.Wrap(err, "count admin keys")
}

// CreateAPIKey makes an admin key; the key is in the answer this once.
func (s *Access) CreateAPIKey(ctx context.Context, name string) (APIKey, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return APIKey{}, fault.Invalidf("name", "is required")
	}
	if len(name) > 100 {
		return APIKey{}, fault.Invalidf("name", "must be at most 100 characters")
	}
	key := newAdminKey()
	row, err := s.q().InsertAPIKey(ctx, db.InsertAPIKeyParams{Name: name, KeyHash: hashKey(key), Kind: KeyCreated})
	if err != nil {
		return APIKey{}, fault.Wrap(err, "store admin key")
	}
	k := apiKeyFrom(db.ListAPIKeysRow(row))
	k.Key = key
	return k, nil
}

// APIKeys lists the admin keys, oldest first.
func (s *Access) APIKeys(ctx context.Context) ([]APIKey, error) {
	rows, err := s.q().ListAPIKeys(ctx)
	if err != nil {
		return nil, fault.Wrap(err, "list admin keys")
	}
	out := make([]APIKey, len(rows))
	for i, r := range rows {
		out[i] = apiKeyFrom(r)
	}
	return out, nil
}

// RevokeAPIKey deletes admin key id. The key making the request (current) cannot revoke
// itself, so that the API always keeps a key that works; a configured key revoked here is
// stored again at the next start while HOSTFLOW_ADMIN_API_KEY still names it.
func (s *Access) RevokeAPIKey(ctx context.Context, id, current int64) error {
	if id == current {
		return &fault.Error{Kind: fault.Conflict, Field: "id", Message: "this is the key making the request; revoke it with another key"}
	}
	n, err := s.q().DeleteAPIKey(ctx, id)
	if err != nil {
		return fault.Wrap(err, "revoke admin key")
	}
	if n == 0 {
		return fault.Absent("no such API key")
	}
	return nil
}

// AdminKeyID returns the id of the stored admin key key, or ok false. It records the key's
// last use, at most once a minute.
func (s *Access) AdminKeyID(ctx context.Context, key string) (id int64, ok bool, err error) {
	row, err := s.q().FindAPIKey(ctx, hashKey(key))
	if dbtx.IsNoRows(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fault.Wrap(err, "check admin key")
	}
	if stale(row.LastUsedAt) {
		if err := s.q().TouchAPIKey(ctx, row.ID); err != nil {
			s.log.Warn("admin key: last use not recorded", zap.Error(err))
		}
	}
	return row.ID, true, nil
}

func apiKeyFrom(r db.ListAPIKeysRow) APIKey {
	return APIKey{ID: r.ID, Name: r.Name, Kind: r.Kind, CreatedAt: r.CreatedAt.Time, LastUsedAt: dbtx.TimeOf(r.LastUsedAt)}
}

// stale reports whether a last-used time is old enough to write again.
func stale(t pgtype.Timestamptz) bool { return !t.Valid || time.Since(t.Time) >= keyTouchInterval }

func newAdminKey() string { return "hf_" + token.New(24) }

// hashKey is SHA-256: API keys are long random strings, so a slow password hash buys nothing.
func hashKey(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}
