// Package token makes random tokens: claim and placement tokens, keys, credentials, request ids.
package token

import (
	"crypto/rand"
	"encoding/hex"
)

// New is n random bytes in hex (2n characters).
func New(n int) string {
	buf := make([]byte, n)
	_, _ = rand.Read(buf)
	return hex.EncodeToString(buf)
}
