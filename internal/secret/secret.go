// Package secret makes the secrets Distans hands out — session and API
// tokens, account and operator links, SCIM tokens — and the form they are
// stored in, so that every one of them is made and kept the same way.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// New returns n random bytes in unpadded base64url, fit for cookies,
// headers and URLs.
func New(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("secret: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Hash is how a secret is stored. A plain SHA-256 is enough: the secrets
// are 256 random bits, so there is nothing to guess, and a slow hash would
// only slow every request that presents one.
func Hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
