package access

import (
	"context"
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/token"
)

// APICredential is a WHMCS API credential pair. The secret is shown once, when it is made.
type APICredential struct {
	Identifier  string `json:"identifier"`
	Secret      string `json:"secret,omitempty"`
	Description string `json:"description,omitempty"`
}

// APICredentialInfo is a WHMCS API credential as listed: never its secret or hashes.
// Configured is the pair from HOSTFLOW_WHMCS_IDENTIFIER/SECRET.
type APICredentialInfo struct {
	Identifier  string     `json:"identifier"`
	Description string     `json:"description"`
	Configured  bool       `json:"configured"`
	CreatedAt   time.Time  `json:"created_at"`
	LastUsedAt  *time.Time `json:"last_used_at"`
}

// CreateAPICredential makes a new identifier and secret for the WHMCS-compatible API.
func (s *Access) CreateAPICredential(ctx context.Context, description string) (APICredential, error) {
	c := APICredential{Identifier: token.New(16), Secret: token.New(24), Description: strings.TrimSpace(description)}
	return c, s.putAPICredential(ctx, s.q(), c, false)
}

// EnsureAPICredential stores a pair from the environment (HOSTFLOW_WHMCS_IDENTIFIER/SECRET),
// replacing the pair configured before it.
func (s *Access) EnsureAPICredential(ctx context.Context, identifier, secret string) error {
	if identifier == "" || secret == "" {
		return nil
	}
	return dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		if err := q.DeleteOtherConfiguredAPICredentials(ctx, identifier); err != nil {
			return fault.Wrap(err, "replace API credential")
		}
		return s.putAPICredential(ctx, q, APICredential{Identifier: identifier, Secret: secret, Description: "environment"}, true)
	})
}

func (s *Access) putAPICredential(ctx context.Context, q *db.Queries, c APICredential, configured bool) error {
	err := q.PutAPICredential(ctx, db.PutAPICredentialParams{Identifier: c.Identifier, SecretHash: hashKey(c.Secret),
		Md5Hash: hashKey(md5Hex(c.Secret)), Description: c.Description, Configured: configured})
	return fault.Wrap(err, "store API credential")
}

// APICredentials lists the WHMCS API credentials, oldest first.
func (s *Access) APICredentials(ctx context.Context) ([]APICredentialInfo, error) {
	rows, err := s.q().ListAPICredentials(ctx)
	if err != nil {
		return nil, fault.Wrap(err, "list API credentials")
	}
	out := make([]APICredentialInfo, len(rows))
	for i, r := range rows {
		out[i] = APICredentialInfo{Identifier: r.Identifier, Description: r.Description, Configured: r.Configured,
			CreatedAt: r.CreatedAt.Time, LastUsedAt: dbtx.TimeOf(r.LastUsedAt)}
	}
	return out, nil
}

// RevokeAPICredential deletes a WHMCS API credential. The pair from the environment is stored
// again at the next start while it is still configured.
func (s *Access) RevokeAPICredential(ctx context.Context, identifier string) error {
	n, err := s.q().DeleteAPICredential(ctx, identifier)
	if err != nil {
		return fault.Wrap(err, "revoke API credential")
	}
	if n == 0 {
		return fault.Absent("no such API credential")
	}
	return nil
}

// ValidAPICredential checks an identifier and secret. Legacy clients send the MD5 of the
// secret as the password; both forms are accepted, and both are compared only as hashes. A
// valid pair's last use is recorded, at most once a minute.
func (s *Access) ValidAPICredential(ctx context.Context, identifier, secret string) (bool, error) {
	if identifier == "" || secret == "" {
		return false, nil
	}
	c, err := s.q().GetAPICredential(ctx, identifier)
	if dbtx.IsNoRows(err) {
		return false, nil
	}
	if err != nil {
		return false, fault.Wrap(err, "check API credential")
	}
	h := hashKey(secret)
	ok := subtle.ConstantTimeCompare(h, c.SecretHash) == 1 || subtle.ConstantTimeCompare(h, c.Md5Hash) == 1
	if ok && stale(c.LastUsedAt) {
		if err := s.q().TouchAPICredential(ctx, identifier); err != nil {
			s.log.Warn("API credential: last use not recorded", zap.Error(err))
		}
	}
	return ok, nil
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}
