package secrets

import (
	"bytes"
	"testing"
)

func TestSealOpen(t *testing.T) {
	box, err := FromBase64(NewKey())
	if err != nil {
		t.Fatal(err)
	}
	sealed := box.Seal("hunter2")
	if bytes.Contains(sealed, []byte("hunter2")) {
		t.Fatal("sealed value contains the plaintext")
	}
	if again := box.Seal("hunter2"); bytes.Equal(again, sealed) {
		t.Fatal("two seals of one plaintext are equal: nonce reused")
	}
	got, err := box.Open(sealed)
	if err != nil || got != "hunter2" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if box.Seal("") != nil {
		t.Fatal("empty secret should seal to nil")
	}
	other, _ := FromBase64(NewKey())
	if _, err := other.Open(sealed); err != ErrCorrupt {
		t.Fatalf("open with another key: %v", err)
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := box.Open(sealed); err != ErrCorrupt {
		t.Fatalf("open tampered: %v", err)
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
