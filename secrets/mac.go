package secrets

import (
	"crypto/hmac"
	"crypto/sha256"
)

// macKey derives a key's MAC key, so the secret key itself never keys anything but AES-GCM.
func macKey(raw []byte) []byte {
	m := hmac.New(sha256.New, raw)
	m.Write([]byte("hostflow mac key\x00"))
	return m.Sum(nil)
}

// MAC is an HMAC-SHA256 of data for purpose, under a key derived from the current secret key:
// a fingerprint of data holding secrets that can be stored and compared, where a plain hash
// would let whoever reads it test guesses of the secrets offline.
func (b *Box) MAC(purpose string, data []byte) []byte { return b.current.sum(purpose, data) }

// MatchesMAC reports whether mac is data's MAC for purpose under the current key or the
// previous one (a MAC stored before a rotation still matches until that key is dropped).
func (b *Box) MatchesMAC(mac []byte, purpose string, data []byte) bool {
	for _, k := range b.keys() {
		if hmac.Equal(mac, k.sum(purpose, data)) {
			return true
		}
	}
	return false
}

func (k *key) sum(purpose string, data []byte) []byte {
	m := hmac.New(sha256.New, k.mac)
	m.Write([]byte(purpose))
	m.Write([]byte{0}) // the purpose ends here: no purpose and data run into another's
	m.Write(data)
	return m.Sum(nil)
}
