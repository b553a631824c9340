package service

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"strings"

	"github.com/hostflow/hostflow/db"
)

// APICredential is a WHMCS API credential pair. The secret is shown once, when it is made.
type APICredential struct {
	Identifier  string `json:"identifier"`
	Secret      string `json:"secret,omitempty"`
	Description string `json:"description,omitempty"`
}

// CreateAPICredential makes a new identifier and secret for the WHMCS-compatible API.
func (s *Service) CreateAPICredential(ctx context.Context, description string) (APICredential, error) {
	c := APICredential{Identifier: randomToken(16), Secret: randomToken(24), Description: strings.TrimSpace(description)}
	return c, s.putAPICredential(ctx, c)
}

// EnsureAPICredential stores a pair from the environment (HOSTFLOW_WHMCS_IDENTIFIER/SECRET).
func (s *Service) EnsureAPICredential(ctx context.Context, identifier, secret string) error {
	if identifier == "" || secret == "" {
		return nil
	}
	return s.putAPICredential(ctx, APICredential{Identifier: identifier, Secret: secret, Description: "environment"})
}

func (s *Service) putAPICredential(ctx context.Context, c APICredential) error {
	err := s.q().PutAPICredential(ctx, db.PutAPICredentialParams{Identifier: c.Identifier, SecretHash: hashKey(c.Secret),
		Md5Hash: hashKey(md5Hex(c.Secret)), Description: c.Description})
	return wrap(err, "store API credential")
}

// ValidAPICredential checks an identifier and secret. Legacy clients send the MD5 of the
// secret as the password; both forms are accepted, and both are compared only as hashes.
func (s *Service) ValidAPICredential(ctx context.Context, identifier, secret string) (bool, error) {
	if identifier == "" || secret == "" {
		return false, nil
	}
	c, err := s.q().GetAPICredential(ctx, identifier)
	if isNoRows(err) {
		return false, nil
	}
	if err != nil {
		return false, wrap(err, "check API credential")
	}
	h := hashKey(secret)
	return subtle.ConstantTimeCompare(h, c.SecretHash) == 1 || subtle.ConstantTimeCompare(h, c.Md5Hash) == 1, nil
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func randomToken(n int) string {
	buf := make([]byte, n)
	_, _ = rand.Read(buf)
	return hex.EncodeToString(buf)
}
