package secrets

import (
	"bytes"
	"errors"
	"testing"
)

func newBox(t *testing.T) (*Box, string) {
	t.Helper()
	key := NewKey()
	box, err := FromBase64(key)
	if err != nil {
		t.Fatal(err)
	}
	return box, key
}

func TestSealOpen(t *testing.T) {
	box, _ := newBox(t)
	here := ServicePassword(7)
	sealed := box.SealFor("hunter2", here)
	if bytes.Contains(sealed, []byte("hunter2")) {
		t.Fatal("sealed value contains the plaintext")
	}
	if !bytes.HasPrefix(sealed, box.Prefix()) {
		t.Fatal("sealed value does not begin with the current key's prefix")
	}
	if again := box.SealFor("hunter2", here); bytes.Equal(again, sealed) {
		t.Fatal("two seals of one plaintext are equal: nonce reused")
	}
	got, err := box.OpenFor(sealed, here)
	if err != nil || got != "hunter2" {
		t.Fatalf("OpenFor = %q, %v", got, err)
	}
	if box.SealFor("", here) != nil {
		t.Fatal("empty secret should seal to nil")
	}
	if got, err := box.OpenFor(nil, here); got != "" || err != nil {
		t.Fatalf("nil opens to %q, %v", got, err)
	}
	other, _ := newBox(t)
	if _, err := other.OpenFor(sealed, here); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("open with another key: %v", err)
	}
	for _, i := range []int{0, 3, headSize + 2, len(sealed) - 1} {
		changed := bytes.Clone(sealed)
		changed[i] ^= 1
		if _, err := box.OpenFor(changed, here); err == nil {
			t.Fatalf("open with byte %d changed: no error", i)
		}
	}
	if _, err := box.OpenFor(sealed[:10], here); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("open truncated: %v", err)
	}
}

// A value copied to another row, another column or another table does not open there.
func TestMovedDoesNotOpen(t *testing.T) {
	box, _ := newBox(t)
	sealed := box.SealFor("hunter2", ServicePassword(7))
	for _, elsewhere := range []Binding{ServicePassword(8), ServicePassword(70), DomainEPPCode(7), ServerCredentials(7),
		Row("order_services", "username", 7), GatewaySecret("7"), AcceptPassword(7), TransferEPPCode()} {
		if _, err := box.OpenFor(sealed, elsewhere); !errors.Is(err, ErrCorrupt) {
			t.Errorf("opened for %s: %v", elsewhere, err)
		}
	}
	// Nor can a binding be forged by moving text between its parts.
	a := box.SealFor("x", NamedRow("gateways", "secret", "a"))
	if _, err := box.OpenFor(a, NamedRow("gateways", "secreta", "")); err == nil {
		t.Fatal("opened for a binding spelled alike")
	}
}

// Values sealed before bindings open for any binding, are stale, and Rebind binds them.
func TestLegacyOpensAndRebinds(t *testing.T) {
	box, _ := newBox(t)
	// Many, so that some begin with the version byte by chance.
	for i := range 600 {
		legacy := box.Seal("hunter2")
		got, err := box.OpenFor(legacy, ServicePassword(int64(i)))
		if err != nil || got != "hunter2" {
			t.Fatalf("legacy %x: %q, %v", legacy, got, err)
		}
		here := ServicePassword(int64(i))
		bound, changed, err := box.Rebind(legacy, here, here)
		if err != nil || !changed {
			t.Fatalf("Rebind legacy: changed %v, %v", changed, err)
		}
		if _, err := box.OpenFor(bound, ServicePassword(int64(i+1))); err == nil {
			t.Fatal("rebound legacy value opens for another row")
		}
		if got, _ := box.OpenFor(bound, here); got != "hunter2" {
			t.Fatalf("rebound opens to %q", got)
		}
		if again, changed, err := box.Rebind(bound, here, here); err != nil || changed || !bytes.Equal(again, bound) {
			t.Fatalf("Rebind of a current value: changed %v, %v", changed, err)
		}
	}
}

// A value in transit is rebound to its row; the transit blob stays valid, so a retried
// activity rebinds it again.
func TestRebindTransit(t *testing.T) {
	box, _ := newBox(t)
	transit := box.SealFor("EPP-1", NewDomainEPPCode("example.com"))
	if _, err := box.OpenFor(transit, NewDomainEPPCode("example.net")); err == nil {
		t.Fatal("transit value opens for another domain")
	}
	for range 2 {
		row, changed, err := box.Rebind(transit, NewDomainEPPCode("example.com"), DomainEPPCode(5))
		if err != nil || !changed {
			t.Fatalf("Rebind: %v, %v", changed, err)
		}
		if got, err := box.OpenFor(row, DomainEPPCode(5)); err != nil || got != "EPP-1" {
			t.Fatalf("OpenFor row: %q, %v", got, err)
		}
		if _, err := box.OpenFor(row, NewDomainEPPCode("example.com")); err == nil {
			t.Fatal("rebound value still opens in transit")
		}
	}
}

// Rotation: what the old key sealed opens while it is the previous key, Rebind moves it to the
// new key, and then the old key alone cannot open it.
func TestRotation(t *testing.T) {
	old, oldKey := newBox(t)
	here := ServerCredentials(3)
	sealed, legacy := old.SealFor("token", here), old.Seal("legacy")
	newKey := NewKey()
	both, err := FromBase64Keys(newKey, oldKey)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(both.Prefix(), old.Prefix()) {
		t.Fatal("two keys share a prefix")
	}
	if got, err := both.OpenFor(sealed, here); err != nil || got != "token" {
		t.Fatalf("open with previous key: %q, %v", got, err)
	}
	if _, err := both.OpenFor(sealed, ServerCredentials(4)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("previous key opens for another row: %v", err)
	}
	for _, v := range []struct {
		sealed []byte
		plain  string
	}{{sealed, "token"}, {legacy, "legacy"}} {
		moved, changed, err := both.Rebind(v.sealed, here, here)
		if err != nil || !changed || !bytes.HasPrefix(moved, both.Prefix()) {
			t.Fatalf("Rebind: %v, %v", changed, err)
		}
		if _, err := old.OpenFor(moved, here); !errors.Is(err, ErrUnknownKey) {
			t.Fatalf("old key opens the moved value: %v", err)
		}
		current, _ := FromBase64(newKey)
		if got, err := current.OpenFor(moved, here); err != nil || got != v.plain {
			t.Fatalf("new key alone: %q, %v", got, err)
		}
	}
	if _, err := FromBase64Keys(oldKey, oldKey); err == nil {
		t.Fatal("the same key as current and previous accepted")
	}
	if _, err := FromBase64Keys(newKey, "not base64!"); err == nil {
		t.Fatal("bad previous key accepted")
	}
	if b, err := FromBase64Keys(newKey, ""); err != nil || b.previous != nil {
		t.Fatalf("no previous key: %v", err)
	}
}

func TestKeyLength(t *testing.T) {
	if _, err := New(make([]byte, 16)); err == nil {
		t.Fatal("16-byte key accepted")
	}
	if _, err := FromBase64("not base64!"); err == nil {
		t.Fatal("bad base64 accepted")
	}
}
