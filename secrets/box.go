// Package secrets seals the secrets hostflow keeps (service passwords, server credentials, EPP
// codes, gateway secrets) with AES-256-GCM, so that a database dump or a workflow history never
// holds them in clear.
//
// Every sealed value is bound to where it lives (a Binding: its table, column and row, or its
// purpose while it travels through a workflow's history) as GCM's associated data, so a value
// copied to another row or column does not open there. A sealed value names the key that
// sealed it, so that a second key (HOSTFLOW_SECRET_KEY_PREVIOUS) can still open what the
// previous key sealed while everything is resealed with the current one.
//
// A sealed value is
//
//	0x01 | key id (4 bytes) | nonce (12 bytes) | ciphertext and tag
//
// with the first five bytes and the binding as associated data. Values sealed before bindings
// (nonce | ciphertext and tag, no associated data) still open anywhere, and are stale:
// ResealSecrets binds them to the row they are found in.
package secrets

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// KeyEnv names the environment variable holding the base64 encoded 32-byte key.
const KeyEnv = "HOSTFLOW_SECRET_KEY"

// PreviousKeyEnv names the optional environment variable holding the key KeyEnv held before a
// rotation: what it sealed still opens, and ResealSecrets moves it to the current key.
const PreviousKeyEnv = "HOSTFLOW_SECRET_KEY_PREVIOUS"

const (
	version   = 0x01
	keyIDSize = 4
	headSize  = 1 + keyIDSize
)

type key struct {
	id   [keyIDSize]byte
	aead cipher.AEAD
	mac  []byte // the key's MAC key (see MAC)
}

func newKey(raw []byte, name string) (key, error) {
	if len(raw) != 32 {
		return key{}, fmt.Errorf("%s must be 32 bytes, got %d", name, len(raw))
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return key{}, fmt.Errorf("%s: %w", name, err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return key{}, fmt.Errorf("%s: %w", name, err)
	}
	k := key{aead: aead, mac: macKey(raw)}
	sum := sha256.Sum256(append([]byte("hostflow secret key id\x00"), raw...))
	copy(k.id[:], sum[:])
	return k, nil
}

// Box seals with its current key and opens with the current or the previous one. It is safe
// for concurrent use.
type Box struct {
	current  key
	previous *key
}

// New returns a Box for a 32-byte key.
func New(raw []byte) (*Box, error) {
	k, err := newKey(raw, "secret key")
	if err != nil {
		return nil, err
	}
	return &Box{current: k}, nil
}

// FromBase64 returns a Box for a key given as base64 (standard or URL alphabet).
func FromBase64(s string) (*Box, error) {
	raw, err := decode(KeyEnv, s)
	if err != nil {
		return nil, err
	}
	return New(raw)
}

// FromBase64Keys returns a Box for the current key and, if previous is not empty, the key
// before it, both given as base64.
func FromBase64Keys(current, previous string) (*Box, error) {
	b, err := FromBase64(current)
	if err != nil || previous == "" {
		return b, err
	}
	raw, err := decode(PreviousKeyEnv, previous)
	if err != nil {
		return nil, err
	}
	k, err := newKey(raw, PreviousKeyEnv)
	if err != nil {
		return nil, err
	}
	if k.id == b.current.id {
		return nil, fmt.Errorf("%s is the same key as %s", PreviousKeyEnv, KeyEnv)
	}
	b.previous = &k
	return b, nil
}

func decode(name, s string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		if raw, err = base64.URLEncoding.DecodeString(s); err != nil {
			return nil, fmt.Errorf("%s is not base64: %w", name, err)
		}
	}
	return raw, nil
}

// NewKey returns a fresh random key, base64 encoded.
func NewKey() string {
	raw := make([]byte, 32)
	_, _ = rand.Read(raw) // crypto/rand.Read never fails on supported platforms
	return base64.StdEncoding.EncodeToString(raw)
}

// Prefix is how every value sealed with the current key begins: a stored value that does not
// begin so is stale (unbound, or sealed with the previous key).
func (b *Box) Prefix() []byte {
	return append([]byte{version}, b.current.id[:]...)
}

// SealFor encrypts plaintext with the current key, bound to where it will be kept. An empty
// plaintext seals to nil, so that "no secret" stays NULL.
func (b *Box) SealFor(plaintext string, to Binding) []byte {
	if plaintext == "" {
		return nil
	}
	aead := b.current.aead
	out := make([]byte, headSize+aead.NonceSize(), headSize+aead.NonceSize()+len(plaintext)+aead.Overhead())
	out[0] = version
	copy(out[1:headSize], b.current.id[:])
	nonce := out[headSize:]
	_, _ = rand.Read(nonce)
	return aead.Seal(out, nonce, []byte(plaintext), associated(out[:headSize], to))
}

// Seal encrypts plaintext bound to nowhere, as hostflow sealed before bindings: such a value
// opens with every binding until ResealSecrets binds it to the row it lies in. Code that stores
// a secret uses SealFor.
func (b *Box) Seal(plaintext string) []byte {
	if plaintext == "" {
		return nil
	}
	aead := b.current.aead
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	_, _ = rand.Read(nonce)
	return aead.Seal(nonce, nonce, []byte(plaintext), nil)
}

func associated(head []byte, to Binding) []byte {
	return append(append(make([]byte, 0, len(head)+len(to.ad)), head...), to.ad...)
}

// ErrCorrupt is returned for a sealed value that does not open: it was changed, sealed with
// another key, or moved here from another row or column.
var ErrCorrupt = errors.New("secret does not open: changed, sealed with another key, or moved from another row or column")

// ErrUnknownKey is returned for a value sealed with a key this Box does not have (neither
// HOSTFLOW_SECRET_KEY nor HOSTFLOW_SECRET_KEY_PREVIOUS).
var ErrUnknownKey = errors.New("secret was sealed with a key that is neither " + KeyEnv + " nor " + PreviousKeyEnv)

// OpenFor decrypts a value sealed for from; nil opens to "".
func (b *Box) OpenFor(sealed []byte, from Binding) (string, error) {
	plain, _, err := b.open(sealed, from)
	return plain, err
}

// Rebind opens a value sealed for from and, if it is stale (unbound or sealed with the previous
// key) or to is another place, seals it again for to with the current key. changed is false
// when sealed is returned as it was: already the current key's, bound to to.
func (b *Box) Rebind(sealed []byte, from, to Binding) (resealed []byte, changed bool, err error) {
	plain, stale, err := b.open(sealed, from)
	if err != nil {
		return nil, false, err
	}
	if !stale && from == to {
		return sealed, false, nil
	}
	return b.SealFor(plain, to), true, nil
}

// open decrypts sealed and reports whether it is stale.
func (b *Box) open(sealed []byte, from Binding) (plain string, stale bool, err error) {
	if len(sealed) == 0 {
		return "", false, nil
	}
	err = ErrCorrupt
	if sealed[0] == version && len(sealed) >= headSize+b.current.aead.NonceSize()+b.current.aead.Overhead() {
		head, rest := sealed[:headSize], sealed[headSize:]
		found := false
		for _, k := range b.keys() {
			if !bytes.Equal(k.id[:], head[1:]) {
				continue
			}
			found = true
			n := k.aead.NonceSize()
			p, openErr := k.aead.Open(nil, rest[:n], rest[n:], associated(head, from))
			if openErr == nil {
				return string(p), k != &b.current, nil
			}
		}
		if !found {
			err = ErrUnknownKey
		}
	}
	// Sealed before bindings (one in 256 of those begins with the version byte by chance).
	for _, k := range b.keys() {
		n := k.aead.NonceSize()
		if len(sealed) < n+k.aead.Overhead() {
			break
		}
		if p, openErr := k.aead.Open(nil, sealed[:n], sealed[n:], nil); openErr == nil {
			return string(p), true, nil
		}
	}
	return "", false, err
}

func (b *Box) keys() []*key {
	if b.previous == nil {
		return []*key{&b.current}
	}
	return []*key{&b.current, b.previous}
}
