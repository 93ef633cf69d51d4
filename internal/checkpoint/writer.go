package checkpoint

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/distans/distans"
)

// Heads is the part of the store a Writer reads; *sqlstore.Store is one.
type Heads interface {
	AuditHeads(ctx context.Context) ([]*distans.AuditHead, error)
}

// Writer writes a checkpoint of each organisation's chain whose head
// moved since its last one: a line appended to its file (when it has one)
// and a log line. Each instance of Distans writes its own; `audit verify`
// takes any number of files, so several instances need not share one.
type Writer struct {
	key    ed25519.PrivateKey
	heads  Heads
	path   string
	logger *slog.Logger

	mu   sync.Mutex
	last map[string]distans.AuditHead // by organisation: what this writer signed last
}

// NewWriter returns a Writer that signs with key, reading heads, appending
// to the file at path (created when missing; "" for the log alone) and
// logging to logger. It reads the file, so that a restart does not sign
// again the heads it signed before, and fails when the file cannot be
// read or appended to: better now than at the first checkpoint.
func NewWriter(key ed25519.PrivateKey, heads Heads, path string, logger *slog.Logger) (*Writer, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	w := &Writer{key: key, heads: heads, path: path, logger: logger, last: map[string]distans.AuditHead{}}
	if path == "" {
		return w, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit checkpoints: %w", err)
	}
	f.Close()
	old, err := ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("audit checkpoints: %w", err)
	}
	for _, c := range old {
		w.last[c.OrganisationID] = c.AuditHead
	}
	return w, nil
}

// Write signs and writes a checkpoint of every chain whose head moved
// since its last checkpoint, and returns how many it wrote; it is the job
// audit_checkpoint. A head that moved back, or changed at the same seq, is
// not signed but returned as an error, every round until someone looks:
// events were removed or rewritten since the last checkpoint (or a backup
// was restored, and the checkpoint file must then start anew).
func (w *Writer) Write(ctx context.Context, now time.Time) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	heads, err := w.heads.AuditHeads(distans.NewContext(ctx, distans.SystemActor("")))
	if err != nil {
		return 0, err
	}
	var lines []byte
	var signed []*Checkpoint
	var errs []error
	for _, h := range heads {
		prev, ok := w.last[h.OrganisationID]
		switch {
		case h.Seq == 0, ok && prev.Seq == h.Seq && prev.Hash == h.Hash:
			continue
		case ok && h.Seq <= prev.Seq:
			errs = append(errs, fmt.Errorf("organisation %s: the audit chain's head is at event %d, yet the checkpoint of %s holds event %d: events were removed or rewritten since",
				h.Slug, h.Seq, prev.At.UTC().Format(time.RFC3339), prev.Seq))
			continue
		}
		h.At = now
		c := Sign(w.key, *h)
		b, err := json.Marshal(c)
		if err != nil {
			return 0, err
		}
		lines = append(append(lines, b...), '\n')
		signed = append(signed, c)
	}
	if len(signed) > 0 && w.path != "" {
		if err := appendSync(w.path, lines); err != nil {
			// Not remembered as written: the next round writes them again.
			// The log below still has them.
			errs = append(errs, fmt.Errorf("audit checkpoints: %w", err))
			for _, c := range signed {
				w.logger.InfoContext(ctx, "audit checkpoint", "checkpoint", c)
			}
			return 0, errors.Join(errs...)
		}
	}
	for _, c := range signed {
		w.logger.InfoContext(ctx, "audit checkpoint", "checkpoint", c)
		w.last[c.OrganisationID] = c.AuditHead
	}
	return len(signed), errors.Join(errs...)
}

// appendSync appends b to the file at path in one write and syncs it.
func appendSync(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
