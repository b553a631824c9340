package secrets

import (
	"bytes"
	"testing"
)

// A MAC is the same for the same key, purpose and data, and matches under the previous key
// after a rotation; another key, purpose or data does not match.
func TestMAC(t *testing.T) {
	old, err := FromBase64Keys(NewKey(), "")
	if err != nil {
		t.Fatal(err)
	}
	data := []byte(`{"root_password":"R00t!"}`)
	mac := old.MAC("order request", data)
	if !bytes.Equal(mac, old.MAC("order request", data)) || !old.MatchesMAC(mac, "order request", data) {
		t.Fatal("a MAC is not the same twice")
	}
	if old.MatchesMAC(mac, "order reques", append([]byte("t\x00"), data...)) || old.MatchesMAC(mac, "other", data) {
		t.Error("a MAC matches another purpose")
	}
	if old.MatchesMAC(mac, "order request", []byte(`{"root_password":"R00t?"}`)) {
		t.Error("a MAC matches other data")
	}
	oldKey := NewKey()
	old, _ = FromBase64(oldKey)
	mac = old.MAC("order request", data)
	rotated, err := FromBase64Keys(NewKey(), oldKey)
	if err != nil {
		t.Fatal(err)
	}
	if !rotated.MatchesMAC(mac, "order request", data) {
		t.Error("a MAC under the previous key does not match after a rotation")
	}
	if other, _ := FromBase64(NewKey()); other.MatchesMAC(mac, "order request", data) {
		t.Error("a MAC matches under another key")
	}
}
