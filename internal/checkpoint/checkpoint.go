// Package checkpoint makes the audit chains tamper-evident to whoever
// can write to the database. The chains themselves (distans.AuditEvent)
// show a changed or removed event only to someone who does not recompute
// the hashes and move the head; a database administrator can do both. So
// every so often each organisation's chain head is signed with an Ed25519
// key that the database does not hold, and written where the database
// administrator cannot reach: an append-only file on the server's disk
// (one JSON object a line) and the log. `distans audit verify -checkpoints`
// then requires every checkpoint to be in its chain.
//
// What it cannot do: events after the last checkpoint, and pending events
// not yet sealed into the chain, are as open to a rewrite as before; and
// whoever holds the private key and the checkpoint files can sign a
// rewritten chain.
package checkpoint

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

// Checkpoint is an organisation's chain head, signed. Everything but
// Signature is signed, Slug and KeyID included.
type Checkpoint struct {
	distans.AuditHead
	KeyID     string `json:"key_id"`
	Signature string `json:"signature"` // base64, standard encoding
}

// message is what the signature covers: a version tag and each field
// length-prefixed, so that no two checkpoints share one.
func (c *Checkpoint) message() []byte {
	var b strings.Builder
	b.WriteString("distans audit checkpoint 1\n")
	for _, f := range []string{c.OrganisationID, c.Slug, strconv.FormatInt(c.Seq, 10), c.Hash,
		c.At.UTC().Format(time.RFC3339Nano), c.KeyID} {
		b.WriteString(strconv.Itoa(len(f)) + ":" + f)
	}
	return []byte(b.String())
}

// Sign returns the checkpoint of h signed with key.
func Sign(key ed25519.PrivateKey, h distans.AuditHead) *Checkpoint {
	h.At = h.At.UTC()
	c := &Checkpoint{AuditHead: h, KeyID: KeyID(key.Public().(ed25519.PublicKey))}
	c.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, c.message()))
	return c
}

// Verify checks c's signature with whichever of keys its KeyID names.
func (c *Checkpoint) Verify(keys []ed25519.PublicKey) error {
	for _, k := range keys {
		if KeyID(k) != c.KeyID {
			continue
		}
		sig, err := base64.StdEncoding.DecodeString(c.Signature)
		if err != nil || !ed25519.Verify(k, c.message(), sig) {
			return fmt.Errorf("the signature is not valid: the checkpoint was changed or forged")
		}
		return nil
	}
	return fmt.Errorf("signed with key %s, which is not among the public keys given", c.KeyID)
}

// LogValue logs the checkpoint with the fields of its line in the file,
// so that a JSON log's "checkpoint" objects are checkpoints themselves.
func (c *Checkpoint) LogValue() slog.Value {
	return slog.GroupValue(slog.String("organisation_id", c.OrganisationID), slog.String("slug", c.Slug),
		slog.Int64("seq", c.Seq), slog.String("hash", c.Hash), slog.Time("at", c.At),
		slog.String("key_id", c.KeyID), slog.String("signature", c.Signature))
}

// KeyID names a public key: the first 8 bytes of its SHA-256, in hex.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// Read reads checkpoints, one JSON object a line; blank lines are
// skipped, and anything else is an error naming its line: a checkpoint
// file holds nothing else, and a line that does not parse is a sign of
// tampering or damage, never to be passed over.
func Read(r io.Reader, name string) ([]*Checkpoint, error) {
	var out []*Checkpoint
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		c := &Checkpoint{}
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(c); err != nil || c.OrganisationID == "" || c.Seq < 1 || c.Hash == "" || c.Signature == "" {
			return nil, fmt.Errorf("%s:%d: not a checkpoint", name, n)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// ReadFile reads the checkpoint file at path.
func ReadFile(path string) ([]*Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// GenerateKey returns a new key pair, the private key as PKCS #8 and the
// public key as PKIX, both PEM: what `openssl genpkey -algorithm ed25519`
// and `openssl pkey -pubout` write, and read.
func GenerateKey() (private, public []byte, err error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, nil, err
	}
	pder, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pder}), nil
}

// ParsePrivateKey reads an Ed25519 private key: PEM (PKCS #8), or the
// base64 of its DER for an environment variable on one line. Its errors
// never quote the key.
func ParsePrivateKey(text []byte) (ed25519.PrivateKey, error) {
	der, err := derOf(text, "PRIVATE KEY")
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, errors.New("not a PKCS #8 private key")
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, errors.New("not an Ed25519 key")
	}
	return ek, nil
}

// ParsePublicKey reads an Ed25519 public key: PEM (PKIX), or the base64 of
// its DER.
func ParsePublicKey(text []byte) (ed25519.PublicKey, error) {
	der, err := derOf(text, "PUBLIC KEY")
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, errors.New("not a PKIX public key")
	}
	ek, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, errors.New("not an Ed25519 key")
	}
	return ek, nil
}

func derOf(text []byte, typ string) ([]byte, error) {
	if b, _ := pem.Decode(text); b != nil {
		if b.Type != typ {
			return nil, fmt.Errorf("a PEM block of type %q, not %q", b.Type, typ)
		}
		return b.Bytes, nil
	}
	der, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(text)))
	if err != nil {
		return nil, fmt.Errorf("neither PEM (%s) nor base64", typ)
	}
	return der, nil
}

// LoadPrivateKey reads the signing key from the file at path or, when path
// is empty, from text (the environment); with neither it returns nil.
func LoadPrivateKey(path, text string) (ed25519.PrivateKey, error) {
	src := []byte(text)
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("audit key: %w", err)
		}
		src = b
	} else if text == "" {
		return nil, nil
	}
	k, err := ParsePrivateKey(src)
	if err != nil {
		return nil, fmt.Errorf("audit key: %w", err)
	}
	return k, nil
}

// LoadPublicKey reads a public key from the file at path.
func LoadPublicKey(path string) (ed25519.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParsePublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}
