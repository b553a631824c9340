// Package secrets seals the secrets hostflow keeps (service passwords, server credentials, EPP
// codes) with AES-256-GCM, so that a database dump or a workflow history never holds them in
// clear.
package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
)

// KeyEnv names the environment variable holding the base64 encoded 32-byte key.
const KeyEnv = "HOSTFLOW_SECRET_KEY"

// Box seals and opens secrets with one key.
type Box struct{ aead cipher.AEAD }

// New returns a Box for a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("secret key must be 32 bytes, got %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	return &Box{aead: aead}, nil
}

// FromBase64 returns a Box for a key given as base64 (standard or URL alphabet).
func FromBase64(s string) (*Box, error) {
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		if key, err = base64.URLEncoding.DecodeString(s); err != nil {
			return nil, fmt.Errorf("%s is not base64: %w", KeyEnv, err)
		}
	}
	return New(key)
}

// NewKey returns a fresh random key, base64 encoded.
func NewKey() string {
	key := make([]byte, 32)
	_, _ = rand.Read(key) // crypto/rand.Read never fails on supported platforms
	return base64.StdEncoding.EncodeToString(key)
}

// Seal encrypts plaintext; an empty plaintext seals to nil, so that "no secret" stays NULL.
func (b *Box) Seal(plaintext string) []byte {
	if plaintext == "" {
		return nil
	}
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plaintext)+b.aead.Overhead())
	_, _ = rand.Read(nonce)
	return b.aead.Seal(nonce, nonce, []byte(plaintext), nil)
}

// ErrCorrupt is returned for a sealed value that does not open with this key.
var ErrCorrupt = errors.New("secret does not open with this key")

// Open decrypts a value made by Seal; nil opens to "".
func (b *Box) Open(sealed []byte) (string, error) {
	if len(sealed) == 0 {
		return "", nil
	}
	n := b.aead.NonceSize()
	if len(sealed) < n+b.aead.Overhead() {
		return "", ErrCorrupt
	}
	plain, err := b.aead.Open(nil, sealed[:n], sealed[n:], nil)
	if err != nil {
		return "", ErrCorrupt
	}
	return string(plain), nil
}
