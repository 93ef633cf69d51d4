package distans

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// AuditEvent is one entry in an organisation's audit trail (spårbarhet,
// Kristianstad 003). It is written in the same transaction as the change it
// records: into the chain at once, or, for a booking on PostgreSQL, as
// pending, sealed into the chain within seconds and before anyone reads
// the trail or appends another event after it. Events are numbered per
// organisation from 1 and hash-chained:
// Hash covers every field and PrevHash, the previous event's Hash, so a
// changed, removed or reordered event breaks the chain. Summary never holds
// secrets such as personal identity numbers or passwords.
type AuditEvent struct {
	OrganisationID string    `json:"organisation_id"`
	Seq            int64     `json:"seq"`
	ActorID        string    `json:"actor_id,omitempty"` // empty for the system
	ActorName      string    `json:"actor_name"`
	Action         string    `json:"action"` // for example "person.create", "person.secret_read"
	RecordType     string    `json:"record_type"`
	RecordID       string    `json:"record_id"`
	Summary        string    `json:"summary"`
	At             time.Time `json:"at"`
	PrevHash       string    `json:"prev_hash"`
	Hash           string    `json:"hash"`
}

// ComputeHash returns the hash the event must carry given its fields and
// PrevHash. Times are hashed in UTC at microsecond precision, what both
// databases keep.
func (e *AuditEvent) ComputeHash() string {
	before, between := AuditHashParts(e)
	sum := sha256.Sum256([]byte(before + lengthPrefixed(strconv.FormatInt(e.Seq, 10)) + between + lengthPrefixed(e.PrevHash)))
	return hex.EncodeToString(sum[:])
}

// AuditHashParts returns what ComputeHash hashes around the event's seq
// and previous hash: the store appends an event in one statement, with the
// database filling in those two from the chain's head.
func AuditHashParts(e *AuditEvent) (beforeSeq, betweenSeqAndPrev string) {
	var b strings.Builder
	for _, f := range []string{e.ActorID, e.ActorName, e.Action, e.RecordType, e.RecordID, e.Summary,
		e.At.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)} {
		b.WriteString(lengthPrefixed(f))
	}
	return lengthPrefixed(e.OrganisationID), b.String()
}

// lengthPrefixed is how a field enters the hash: its length in bytes, a
// colon and the field, so that moving text between fields changes the hash.
func lengthPrefixed(f string) string { return strconv.Itoa(len(f)) + ":" + f }

// ChainBreak describes the first event where a chain does not verify.
type ChainBreak struct {
	OrganisationID string `json:"organisation_id"`
	Slug           string `json:"slug"`
	Seq            int64  `json:"seq"`
	Reason         string `json:"reason"`
}

func (b *ChainBreak) String() string {
	return "organisation " + b.Slug + ": event " + strconv.FormatInt(b.Seq, 10) + ": " + b.Reason
}

// VerifyChain checks events of one organisation, given in the order of their
// Seq as stored, against head: the sequence number and hash of the last event
// as recorded separately. It returns nil when the chain is intact.
func VerifyChain(events []*AuditEvent, headSeq int64, headHash string) *ChainBreak {
	prev := ""
	var want int64 = 1
	for _, e := range events {
		switch {
		case e.Seq != want:
			return &ChainBreak{OrganisationID: e.OrganisationID, Seq: want, Reason: "missing or reordered (found " + strconv.FormatInt(e.Seq, 10) + ")"}
		case e.PrevHash != prev:
			return &ChainBreak{OrganisationID: e.OrganisationID, Seq: e.Seq, Reason: "does not follow the previous event"}
		case e.ComputeHash() != e.Hash:
			return &ChainBreak{OrganisationID: e.OrganisationID, Seq: e.Seq, Reason: "content changed"}
		}
		prev = e.Hash
		want++
	}
	if want-1 != headSeq || prev != headHash {
		return &ChainBreak{Seq: want, Reason: "events after " + strconv.FormatInt(want-1, 10) + " removed (head is " + strconv.FormatInt(headSeq, 10) + ")"}
	}
	return nil
}

// AuditFilter narrows ListAuditEvents.
type AuditFilter struct {
	ActorID    string
	Action     string // prefix, for example "person."
	RecordType string
	RecordID   string
	From, To   time.Time
	Query      string // words in the summary
	BeforeSeq  int64  // for paging backwards; 0 starts at the newest
	Limit      int    // 0 means 100; at most 1000
}

// Matches reports whether action starts with the filter's action prefix.
func (f AuditFilter) Matches(action string) bool { return strings.HasPrefix(action, f.Action) }

// AuditHead is where an organisation's chain stood at At: its last event's
// Seq and Hash. Signed and kept outside the database, it is a checkpoint
// (internal/checkpoint): whoever can write to the database can recompute
// every hash, but not make the chain hold a checkpoint's hash at its seq
// again once they have changed anything up to it.
type AuditHead struct {
	OrganisationID string    `json:"organisation_id"`
	Slug           string    `json:"slug"`
	Seq            int64     `json:"seq"`
	Hash           string    `json:"hash"`
	At             time.Time `json:"at"`
}

// AuditService reads the trail (PermViewAudit) and verifies the chains.
// The other methods run as the system, over every organisation:
// VerifyAuditChains returns the first break, or nil; AuditHeads returns
// each organisation's head, as of now, for a checkpoint;
// VerifyAuditChainsAgainst is VerifyAuditChains that also requires every
// checkpoint to be in its chain (its event at its seq, with its hash) and
// names the first checkpoint that is not: the chain was rewritten or cut
// back after it was taken, or its organisation is gone.
type AuditService interface {
	ListAuditEvents(ctx context.Context, f AuditFilter) ([]*AuditEvent, error)
	VerifyAuditChains(ctx context.Context) (*ChainBreak, error)
	AuditHeads(ctx context.Context) ([]*AuditHead, error)
	VerifyAuditChainsAgainst(ctx context.Context, checkpoints []*AuditHead) (*ChainBreak, error)
}
