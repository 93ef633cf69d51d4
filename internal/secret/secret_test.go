package secret_test

import (
	"encoding/base64"
	"testing"

	"github.com/distans/distans/internal/secret"
)

// TestNew: a secret carries the bytes asked for, never the same twice, and
// is stored as the hex SHA-256 of its text.
func TestNew(t *testing.T) {
	a, err := secret.New(32)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := secret.New(32)
	raw, err := base64.RawURLEncoding.DecodeString(a)
	if err != nil || len(raw) != 32 {
		t.Fatalf("secret %q: %d bytes, %v", a, len(raw), err)
	}
	if a == b {
		t.Fatal("two secrets are the same")
	}
	// The SHA-256 of "abc", as FIPS 180-2 gives it.
	if got := secret.Hash("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("Hash(abc) = %s", got)
	}
}
