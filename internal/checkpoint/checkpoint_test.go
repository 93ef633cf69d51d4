package checkpoint_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/checkpoint"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

func newKey(t *testing.T) (ed25519.PrivateKey, ed25519.PublicKey) {
	t.Helper()
	priv, pub, err := checkpoint.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	k, err := checkpoint.ParsePrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	p, err := checkpoint.ParsePublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	if !k.Public().(ed25519.PublicKey).Equal(p) {
		t.Fatal("the public key is not the private key's")
	}
	return k, p
}

// TestVerify: a checkpoint verifies with its key and with no other, and
// any change to any field breaks its signature.
func TestVerify(t *testing.T) {
	t.Parallel()
	key, pub := newKey(t)
	_, other := newKey(t)
	at := time.Date(2026, 12, 6, 9, 0, 0, 123456000, time.UTC)
	head := distans.AuditHead{OrganisationID: "org-1", Slug: "bjurholm", Seq: 42, Hash: strings.Repeat("ab", 32), At: at}
	tests := []struct {
		name   string
		change func(c *checkpoint.Checkpoint)
		keys   []ed25519.PublicKey
		want   string // in the error; "" for valid
	}{
		{"genuine", func(*checkpoint.Checkpoint) {}, []ed25519.PublicKey{pub}, ""},
		{"genuine among other keys", func(*checkpoint.Checkpoint) {}, []ed25519.PublicKey{other, pub}, ""},
		{"another key only", func(*checkpoint.Checkpoint) {}, []ed25519.PublicKey{other}, "not among the public keys"},
		{"organisation", func(c *checkpoint.Checkpoint) { c.OrganisationID = "org-2" }, []ed25519.PublicKey{pub}, "not valid"},
		{"slug", func(c *checkpoint.Checkpoint) { c.Slug = "sorsele" }, []ed25519.PublicKey{pub}, "not valid"},
		{"seq", func(c *checkpoint.Checkpoint) { c.Seq = 41 }, []ed25519.PublicKey{pub}, "not valid"},
		{"hash", func(c *checkpoint.Checkpoint) { c.Hash = strings.Repeat("cd", 32) }, []ed25519.PublicKey{pub}, "not valid"},
		{"time", func(c *checkpoint.Checkpoint) { c.At = c.At.Add(time.Microsecond) }, []ed25519.PublicKey{pub}, "not valid"},
		{"key id", func(c *checkpoint.Checkpoint) { c.KeyID = checkpoint.KeyID(other) }, []ed25519.PublicKey{pub, other}, "not valid"},
		{"signature not base64", func(c *checkpoint.Checkpoint) { c.Signature = "!!" }, []ed25519.PublicKey{pub}, "not valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := checkpoint.Sign(key, head)
			// Through JSON, as it is written and read.
			b, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			cs, err := checkpoint.Read(bytes.NewReader(b), "test")
			if err != nil || len(cs) != 1 {
				t.Fatalf("read back: %v %v", cs, err)
			}
			c = cs[0]
			tt.change(c)
			err = c.Verify(tt.keys)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("Verify = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestRead(t *testing.T) {
	t.Parallel()
	key, _ := newKey(t)
	line, err := json.Marshal(checkpoint.Sign(key, distans.AuditHead{OrganisationID: "o", Slug: "s", Seq: 1, Hash: "h", At: time.Now()}))
	if err != nil {
		t.Fatal(err)
	}
	good := string(line)
	tests := []struct {
		name, text string
		n          int
		err        string
	}{
		{"empty", "", 0, ""},
		{"lines and blank lines", good + "\n\n" + good + "\n", 2, ""},
		{"a line that is not JSON", good + "\n{\"organisation_id\":\n", 0, "f:2: not a checkpoint"},
		{"an unknown field", strings.Replace(good, `"seq"`, `"extra":1,"seq"`, 1), 0, "f:1:"},
		{"no signature", strings.Replace(good, `"signature"`, `"x_signature"`, 1), 0, "f:1:"},
		{"no seq", strings.Replace(good, `"seq":1`, `"seq":0`, 1), 0, "f:1:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cs, err := checkpoint.Read(strings.NewReader(tt.text), "f")
			if tt.err == "" && (err != nil || len(cs) != tt.n) || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Fatalf("Read = %d, %v; want %d, %q", len(cs), err, tt.n, tt.err)
			}
		})
	}
}

func TestKeys(t *testing.T) {
	t.Parallel()
	priv, pub, err := checkpoint.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(priv)
	oneLine := base64.StdEncoding.EncodeToString(block.Bytes)
	tests := []struct {
		name    string
		text    string
		private bool
		ok      bool
	}{
		{"private PEM", string(priv), true, true},
		{"private base64 on one line", oneLine + "\n", true, true},
		{"public PEM", string(pub), false, true},
		{"public key for a private one", string(pub), true, false},
		{"private key for a public one", string(priv), false, false},
		{"garbage", "nyckel", true, false},
		{"empty", "", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var err error
			if tt.private {
				_, err = checkpoint.ParsePrivateKey([]byte(tt.text))
			} else {
				_, err = checkpoint.ParsePublicKey([]byte(tt.text))
			}
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
			if err != nil && strings.Contains(err.Error(), oneLine[:20]) {
				t.Fatalf("the error quotes the key: %v", err)
			}
		})
	}
	if k, err := checkpoint.LoadPrivateKey("", ""); k != nil || err != nil {
		t.Errorf("no key: %v %v", k, err)
	}
	if _, err := checkpoint.LoadPrivateKey(filepath.Join(t.TempDir(), "nope.pem"), ""); err == nil {
		t.Error("a missing key file loads")
	}
}

// TestOpenSSLKeys: keys made with openssl, as an operator may, work.
func TestOpenSSLKeys(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("no openssl")
	}
	dir := t.TempDir()
	priv, pub := filepath.Join(dir, "k.pem"), filepath.Join(dir, "k.pub")
	for _, args := range [][]string{{"genpkey", "-algorithm", "ed25519", "-out", priv}, {"pkey", "-in", priv, "-pubout", "-out", pub}} {
		if out, err := exec.Command("openssl", args...).CombinedOutput(); err != nil {
			t.Skipf("openssl %v: %v %s", args, err, out)
		}
	}
	k, err := checkpoint.LoadPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := checkpoint.LoadPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	c := checkpoint.Sign(k, distans.AuditHead{OrganisationID: "o", Slug: "s", Seq: 1, Hash: "h", At: time.Now()})
	if err := c.Verify([]ed25519.PublicKey{p}); err != nil {
		t.Fatal(err)
	}
}

// TestWriter runs the checkpoint job against a real store: a checkpoint
// for each chain whose head moved, in the file and in the log, none again
// for a head that stayed (also after a restart), and none, but an error,
// for a head that moved back.
func TestWriter(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		key, pub := newKey(t)
		a := storetest.NewOrg(t, s, "alfa")
		b := storetest.NewOrg(t, s, "beta")
		storetest.NewUnit(t, s, b.ID, "", "Beta förvaltning", distans.UnitAdministration)
		path := filepath.Join(t.TempDir(), "checkpoints.jsonl")
		var logs bytes.Buffer
		w, err := checkpoint.NewWriter(key, s, path, slog.New(slog.NewJSONHandler(&logs, nil)))
		storetest.Must(t, err)
		ctx := context.Background()
		now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
		write := func(want int) {
			t.Helper()
			n, err := w.Write(ctx, now)
			storetest.Must(t, err)
			if n != want {
				t.Fatalf("wrote %d checkpoints, want %d", n, want)
			}
		}
		write(2)
		write(0)
		storetest.NewUnit(t, s, a.ID, "", "Alfa förvaltning", distans.UnitAdministration)
		write(1)

		cps, err := checkpoint.ReadFile(path)
		storetest.Must(t, err)
		if len(cps) != 3 || cps[0].Slug != "alfa" || cps[1].Slug != "beta" || cps[2].Slug != "alfa" || cps[2].Seq <= cps[0].Seq {
			t.Fatalf("file = %+v", cps)
		}
		var heads []*distans.AuditHead
		for _, c := range cps {
			storetest.Must(t, c.Verify([]ed25519.PublicKey{pub}))
			heads = append(heads, &c.AuditHead)
		}
		if brk, err := s.VerifyAuditChainsAgainst(ctx, heads); err != nil || brk != nil {
			t.Fatalf("verify: %v %v", brk, err)
		}
		// Each log line carries the checkpoint as the file has it.
		var logged int
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			var rec struct {
				Msg        string          `json:"msg"`
				Checkpoint json.RawMessage `json:"checkpoint"`
			}
			storetest.Must(t, json.Unmarshal([]byte(line), &rec))
			if rec.Msg == "audit checkpoint" {
				cs, err := checkpoint.Read(bytes.NewReader(rec.Checkpoint), "log")
				storetest.Must(t, err)
				storetest.Must(t, cs[0].Verify([]ed25519.PublicKey{pub}))
				logged++
			}
		}
		if logged != 3 {
			t.Fatalf("%d checkpoints logged, want 3:\n%s", logged, logs.String())
		}

		// A restart reads the file and signs nothing that stayed.
		w, err = checkpoint.NewWriter(key, s, path, nil)
		storetest.Must(t, err)
		write(0)

		// The last event removed and the head moved back: no checkpoint,
		// an error naming the organisation, every round.
		raw := storetest.Raw(t, s)
		_, err = raw.Exec(`DELETE FROM audit_events WHERE organisation_id = $1 AND seq = (SELECT seq FROM audit_heads WHERE organisation_id = $1)`, b.ID)
		storetest.Must(t, err)
		_, err = raw.Exec(`UPDATE audit_heads SET seq = seq - 1, hash = (SELECT hash FROM audit_events e WHERE e.organisation_id = $1
			AND e.seq = audit_heads.seq - 1) WHERE organisation_id = $1`, b.ID)
		storetest.Must(t, err)
		for range 2 {
			n, err := w.Write(ctx, now)
			if n != 0 || err == nil || !strings.Contains(err.Error(), "organisation beta") {
				t.Fatalf("after the head moved back: %d, %v", n, err)
			}
		}
		if after, _ := os.ReadFile(path); strings.Count(string(after), "\n") != 3 {
			t.Fatalf("file after the head moved back:\n%s", after)
		}
	})
}
