package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

var _ distans.AuditService = (*Store)(nil)

// audit appends an event to the organisation's chain inside tx, in one
// statement (appendAudit). The head's lock is held from this statement to
// the commit, so it comes last in a transaction and costs one round trip
// there. Pending events (auditpending.go) that committed before go first,
// so that the chain keeps the order of changes that followed one another:
// a booking before its cancelling. The actor is the one acting: a person,
// or the system.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, a *distans.Actor, orgID, action, recordType, recordID, summary string) error {
	if err := s.sealAll(ctx, tx, orgID); err != nil {
		return err
	}
	var q args
	res, err := tx.ExecContext(ctx, s.appendAudit(newAuditEvent(now(ctx), a, orgID, action, recordType, recordID, summary), &q), q...)
	return affected(res, err, errOrgNotFound)
}

// sealAll seals the organisation's pending events into its chain inside
// tx, before an event that follows them.
func (s *Store) sealAll(ctx context.Context, tx *sql.Tx, orgID string) error {
	if ok, err := s.hasPending(ctx, tx, orgID); err != nil || !ok {
		return err
	}
	for {
		n, err := s.sealBatch(ctx, tx, orgID)
		if err != nil || n < sealBatch {
			return err
		}
	}
}

// auditChain appends many events to an organisation's chain in one
// transaction, for an import: the head is read once and held, each event's
// hash is computed here from the one before (distans.AuditEvent.ComputeHash,
// what the database computes for one event in appendAudit), the events are
// inserted by the thousand, and the head is moved once at the end (close).
// Appending them one statement at a time would take minutes on PostgreSQL.
type auditChain struct {
	s     *Store
	tx    *sql.Tx
	orgID string
	seq   int64
	hash  string
	buf   []*distans.AuditEvent
}

// auditChainBatch is how many events auditChain inserts at once.
const auditChainBatch = 2000

// openChain seals the pending events, which go first, and holds the head.
func (s *Store) openChain(ctx context.Context, tx *sql.Tx, orgID string) (*auditChain, error) {
	if err := s.sealAll(ctx, tx, orgID); err != nil {
		return nil, err
	}
	return s.holdHead(ctx, tx, orgID)
}

// holdHead holds the organisation's head for a chain of appends; close
// moves it once. Moving the head with each row of a statement of hundreds
// would update the same row hundreds of times, each update reading past
// the versions before it (a seal of 500 pending events took most of a
// second). On SQLite, whose trigger moves the head with each event,
// updating the row in place is cheap.
func (s *Store) holdHead(ctx context.Context, tx *sql.Tx, orgID string) (*auditChain, error) {
	c := &auditChain{s: s, tx: tx, orgID: orgID}
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_heads WHERE organisation_id = $1`+s.dialect.forUpdate, orgID).
		Scan(&c.seq, &c.hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errOrgNotFound()
	} else if err != nil {
		return nil, err
	}
	return c, nil
}

// add appends e, an event of the chain's organisation; the events are
// inserted a batch at a time.
func (c *auditChain) add(ctx context.Context, e *distans.AuditEvent) error {
	c.buf = append(c.buf, e)
	if len(c.buf) < auditChainBatch {
		return nil
	}
	return c.flush(ctx)
}

// flush inserts the events added so far.
func (c *auditChain) flush(ctx context.Context) error {
	return c.s.insertAuditEvents(ctx, c.tx, c.link())
}

// link numbers and hashes the events added so far, each after the one
// before it, and returns them to be inserted.
func (c *auditChain) link() []*distans.AuditEvent {
	events := c.buf
	for _, e := range events {
		c.seq++
		e.OrganisationID, e.Seq, e.PrevHash = c.orgID, c.seq, c.hash
		e.Hash = e.ComputeHash()
		c.hash = e.Hash
	}
	c.buf = nil
	return events
}

// insertAuditEvents inserts linked events, of one organisation or many.
func (s *Store) insertAuditEvents(ctx context.Context, tx *sql.Tx, events []*distans.AuditEvent) error {
	return s.insertMany(ctx, tx, "audit_events", strings.Split(auditCols, ", "), len(events), func(i int, q []any) []any {
		e := events[i]
		return append(q, e.OrganisationID, e.Seq, e.ActorID, e.ActorName, e.Action, e.RecordType, e.RecordID, e.Summary,
			ts(e.At), e.PrevHash, e.Hash)
	}, nil)
}

// close inserts what is left and moves the head to the last event.
func (c *auditChain) close(ctx context.Context) error {
	if err := c.flush(ctx); err != nil {
		return err
	}
	_, err := c.tx.ExecContext(ctx, `UPDATE audit_heads SET seq = $1, hash = $2 WHERE organisation_id = $3`,
		c.seq, c.hash, c.orgID)
	return err
}

// newAuditEvent is the event of a change by a, stamped at (the instant of
// the change's request or job round).
func newAuditEvent(at time.Time, a *distans.Actor, orgID, action, recordType, recordID, summary string) *distans.AuditEvent {
	e := &distans.AuditEvent{
		OrganisationID: orgID,
		Action:         action,
		RecordType:     recordType,
		RecordID:       recordID,
		Summary:        summary,
		At:             at,
		ActorName:      "system",
	}
	if a != nil && !a.System {
		e.ActorID, e.ActorName = a.PersonID, a.Name
	} else if a != nil && a.Name != "" {
		// The system acting on someone's behalf (an import's worker)
		// names them.
		e.ActorID, e.ActorName = a.PersonID, a.Name
	}
	return e
}

// appendAudit returns the statement that appends e to its organisation's
// chain, its arguments added to q: it reads the head, locking it on
// PostgreSQL so that concurrent appends in one organisation queue behind
// one another (SQLite has a single writer), inserts e with the next seq and
// its hash, computed by the database from the head's hash, and moves the
// head to it. On PostgreSQL the insert sits in a WITH and the statement's
// UPDATE moves the head (migration 00030: Citus runs it all on the
// organisation's node, where a trigger could not run); SQLite has no
// INSERT in a WITH, and a trigger moves its head (migration 00010).
func (s *Store) appendAudit(e *distans.AuditEvent, q *args) string {
	// The hash is distans.AuditEvent.ComputeHash's: the length-prefixed
	// fields before seq and those between seq and the previous hash come
	// from here, seq and the previous hash from the head.
	before, between := distans.AuditHashParts(e)
	lp := func(col string) string { return `CAST(length(` + col + `) AS TEXT) || ':' || ` + col }
	seq := `CAST(h.seq + 1 AS TEXT)`
	org := q.add(e.OrganisationID)
	insert := `INSERT INTO audit_events AS n (` + auditCols + `)
		SELECT h.organisation_id, h.seq + 1, ` + strings.Join([]string{q.add(e.ActorID), q.add(e.ActorName), q.add(e.Action),
		q.add(e.RecordType), q.add(e.RecordID), q.add(e.Summary), q.add(ts(e.At))}, ", ") + `, h.hash,
			` + s.dialect.sha256hex(`CAST(`+q.add(before)+` AS TEXT) || `+lp(seq)+` || CAST(`+q.add(between)+` AS TEXT) || `+lp(`h.hash`)) + `
		FROM audit_heads h WHERE h.organisation_id = ` + org + s.dialect.forUpdate
	if !s.dialect.headInAppend {
		return insert
	}
	return `WITH n AS (` + insert + ` RETURNING n.organisation_id, n.seq, n.hash)
		UPDATE audit_heads a SET seq = n.seq, hash = n.hash FROM n
		WHERE a.organisation_id = ` + org + ` AND a.organisation_id = n.organisation_id`
}

const auditCols = `organisation_id, seq, actor_id, actor_name, action, record_type, record_id, summary, at, prev_hash, hash`

func scanAudit(sc interface{ Scan(...any) error }) (*distans.AuditEvent, error) {
	e := &distans.AuditEvent{}
	err := sc.Scan(&e.OrganisationID, &e.Seq, &e.ActorID, &e.ActorName, &e.Action, &e.RecordType, &e.RecordID,
		&e.Summary, tm(&e.At), &e.PrevHash, &e.Hash)
	return e, err
}

// ListAuditEvents returns the organisation's events, newest first. It needs
// PermViewAudit in the whole organisation: events are not tied to units.
func (s *Store) ListAuditEvents(ctx context.Context, f distans.AuditFilter) ([]*distans.AuditEvent, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if !act.SeesAudit() {
		return nil, distans.Forbidden()
	}
	if _, err := s.sealPending(ctx, act.OrganisationID); err != nil {
		return nil, err
	}
	var a args
	where := []string{"organisation_id = " + a.add(act.OrganisationID)}
	if f.ActorID != "" {
		where = append(where, "actor_id = "+a.add(f.ActorID))
	}
	if f.Action != "" {
		where = append(where, "action LIKE "+a.add(escapeLike(f.Action)+"%")+` ESCAPE '\'`)
	}
	if f.RecordType != "" {
		where = append(where, "record_type = "+a.add(f.RecordType))
	}
	if f.RecordID != "" {
		where = append(where, "record_id = "+a.add(f.RecordID))
	}
	if !f.From.IsZero() {
		where = append(where, "at >= "+a.add(ts(f.From)))
	}
	if !f.To.IsZero() {
		where = append(where, "at < "+a.add(ts(f.To)))
	}
	for _, w := range strings.Fields(fold(f.Query)) {
		where = append(where, s.dialect.fold("summary")+" LIKE "+a.add("%"+escapeLike(w)+"%")+` ESCAPE '\'`)
	}
	if f.BeforeSeq > 0 {
		where = append(where, "seq < "+a.add(f.BeforeSeq))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_events WHERE `+strings.Join(where, " AND ")+
		` ORDER BY seq DESC`+limitRows(limit), a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.AuditEvent
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// auditBatch is how many events VerifyAuditChains holds in memory at once.
const auditBatch = 1000

// VerifyAuditChains checks every organisation's chain against its head and
// returns the first break, or nil. It reads the events in batches, each
// organisation within one read transaction so that it sees the head and the
// events as of one moment.
func (s *Store) VerifyAuditChains(ctx context.Context) (*distans.ChainBreak, error) {
	return s.VerifyAuditChainsAgainst(ctx, nil)
}

// VerifyAuditChainsAgainst is VerifyAuditChains that also holds each chain
// against its checkpoints as it reads it, in the same pass.
func (s *Store) VerifyAuditChainsAgainst(ctx context.Context, checkpoints []*distans.AuditHead) (*distans.ChainBreak, error) {
	if _, err := s.ChainPendingAudit(ctx, distans.NowFrom(ctx)); err != nil {
		return nil, err
	}
	// Several instances may have signed one event, and a rewrite between
	// their checkpoints makes them disagree: each is held against it.
	byOrg := map[string]map[int64][]*distans.AuditHead{}
	for _, c := range checkpoints {
		if byOrg[c.OrganisationID] == nil {
			byOrg[c.OrganisationID] = map[int64][]*distans.AuditHead{}
		}
		byOrg[c.OrganisationID][c.Seq] = append(byOrg[c.OrganisationID][c.Seq], c)
	}
	type org struct{ id, slug string }
	var orgs []org
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, slug FROM organisations ORDER BY slug`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var o org
		if err := rows.Scan(&o.id, &o.slug); err != nil {
			rows.Close()
			return nil, err
		}
		orgs = append(orgs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, o := range orgs {
		var b *distans.ChainBreak
		err := s.read(ctx, func(tx *sql.Tx) error {
			var err error
			b, err = verifyChain(ctx, tx, o.id, byOrg[o.id])
			return err
		})
		if err != nil {
			return nil, err
		}
		if b != nil {
			b.OrganisationID, b.Slug = o.id, o.slug
			return b, nil
		}
		delete(byOrg, o.id)
	}
	// What is left are checkpoints of organisations that are gone.
	for _, cps := range byOrg {
		for _, cs := range cps {
			c := cs[0]
			return &distans.ChainBreak{OrganisationID: c.OrganisationID, Slug: c.Slug, Seq: c.Seq,
				Reason: "the organisation and its chain are gone, yet a checkpoint of " + checkpointTime(c) + " holds it"}, nil
		}
	}
	return nil, nil
}

func checkpointTime(c *distans.AuditHead) string { return c.At.UTC().Format(time.RFC3339) }

// AuditHeads returns every organisation's chain head, as of now.
func (s *Store) AuditHeads(ctx context.Context) ([]*distans.AuditHead, error) {
	at := now(ctx)
	rows, err := s.rdb.QueryContext(ctx, `SELECT h.organisation_id, o.slug, h.seq, h.hash
		FROM audit_heads h JOIN organisations o ON o.id = h.organisation_id ORDER BY o.slug`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.AuditHead
	for rows.Next() {
		h := &distans.AuditHead{At: at}
		if err := rows.Scan(&h.OrganisationID, &h.Slug, &h.Seq, &h.Hash); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// verifyChain checks one organisation batch by batch: each batch is
// verified as a chain that starts from the previous batch's last event,
// and each event that a checkpoint names must carry the checkpoint's hash.
func verifyChain(ctx context.Context, tx *sql.Tx, orgID string, checkpoints map[int64][]*distans.AuditHead) (*distans.ChainBreak, error) {
	var headSeq int64
	var headHash string
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_heads WHERE organisation_id = $1`, orgID).Scan(&headSeq, &headHash)
	if errors.Is(err, sql.ErrNoRows) {
		return &distans.ChainBreak{Seq: 0, Reason: "the chain's head is missing"}, nil
	} else if err != nil {
		return nil, err
	}
	var after int64 // seq of the last verified event
	prevHash := ""
	for {
		rows, err := tx.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_events
			WHERE organisation_id = $1 AND seq > $2 ORDER BY seq`+limitRows(auditBatch), orgID, after)
		if err != nil {
			return nil, err
		}
		var batch []*distans.AuditEvent
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			batch = append(batch, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(batch) < auditBatch {
			// The last batch: verify it against the head.
			if b := verifyFrom(batch, after, prevHash, headSeq, headHash); b != nil {
				return b, nil
			}
			if b := againstCheckpoints(batch, checkpoints); b != nil {
				return b, nil
			}
			return beyondHead(headSeq, checkpoints), nil
		}
		last := batch[len(batch)-1]
		if b := verifyFrom(batch, after, prevHash, last.Seq, last.Hash); b != nil {
			return b, nil
		}
		if b := againstCheckpoints(batch, checkpoints); b != nil {
			return b, nil
		}
		after, prevHash = last.Seq, last.Hash
	}
}

// againstCheckpoints returns the first of events, verified as a chain,
// whose hash is not the one its checkpoint signed: the chain was rewritten
// up to it, consistently, after the checkpoint.
func againstCheckpoints(events []*distans.AuditEvent, checkpoints map[int64][]*distans.AuditHead) *distans.ChainBreak {
	for _, e := range events {
		for _, c := range checkpoints[e.Seq] {
			if c.Hash != e.Hash {
				return &distans.ChainBreak{OrganisationID: e.OrganisationID, Seq: e.Seq,
					Reason: "differs from the checkpoint of " + checkpointTime(c) + ": the chain was rewritten up to here after it"}
			}
		}
	}
	return nil
}

// beyondHead returns a break when a checkpoint names an event past the
// chain's head: events were removed, and the head moved back, after it.
func beyondHead(headSeq int64, checkpoints map[int64][]*distans.AuditHead) *distans.ChainBreak {
	var last *distans.AuditHead
	for seq, cs := range checkpoints {
		if seq > headSeq && (last == nil || seq > last.Seq) {
			last = cs[0]
		}
	}
	if last == nil {
		return nil
	}
	return &distans.ChainBreak{Seq: headSeq + 1, Reason: "events from here on were removed: the chain ends at " +
		strconv.FormatInt(headSeq, 10) + ", yet the checkpoint of " + checkpointTime(last) + " holds event " + strconv.FormatInt(last.Seq, 10)}
}

// verifyFrom verifies events that follow the event numbered after, whose
// hash is prevHash: the first batch with distans.VerifyChain itself.
func verifyFrom(events []*distans.AuditEvent, after int64, prevHash string, headSeq int64, headHash string) *distans.ChainBreak {
	if after == 0 {
		return distans.VerifyChain(events, headSeq, headHash)
	}
	// Later batches apply VerifyChain's rules from where the last one ended.
	for _, e := range events {
		if e.Seq != after+1 {
			return &distans.ChainBreak{OrganisationID: e.OrganisationID, Seq: after + 1, Reason: "missing or reordered"}
		}
		if e.PrevHash != prevHash {
			return &distans.ChainBreak{OrganisationID: e.OrganisationID, Seq: e.Seq, Reason: "does not follow the previous event"}
		}
		if e.ComputeHash() != e.Hash {
			return &distans.ChainBreak{OrganisationID: e.OrganisationID, Seq: e.Seq, Reason: "content changed"}
		}
		after, prevHash = e.Seq, e.Hash
	}
	if after != headSeq || prevHash != headHash {
		return &distans.ChainBreak{Seq: after + 1, Reason: "events after " + strconv.FormatInt(after, 10) + " removed"}
	}
	return nil
}

// auditLog holds a change's audit events until the end of
// its transaction (writeAudit). The organisation's audit head is locked
// from the first event written to the commit, so writing them last keeps
// that lock, which every change in the organisation queues for, as short
// as the commit: an identity system's first sync runs its clients in
// parallel instead of one at a time.
type auditLog struct{ events []auditEntry }

type auditEntry struct{ action, recordType, recordID, summary string }

func (l *auditLog) add(action, recordType, recordID, summary string) {
	l.events = append(l.events, auditEntry{action, recordType, recordID, summary})
}

// writeAudit appends the log's events to the organisation's chain, as the
// actor, in the order they were added: one statement each for a few, the
// import's batched chain for many (a group of thousands of members).
func (s *Store) writeAudit(ctx context.Context, tx *sql.Tx, a *distans.Actor, orgID string, l *auditLog) error {
	if len(l.events) <= 3 {
		for _, e := range l.events {
			if err := s.audit(ctx, tx, a, orgID, e.action, e.recordType, e.recordID, e.summary); err != nil {
				return err
			}
		}
		return nil
	}
	c, err := s.openChain(ctx, tx, orgID)
	if err != nil {
		return err
	}
	at := now(ctx)
	for _, e := range l.events {
		if err := c.add(ctx, newAuditEvent(at, a, orgID, e.action, e.recordType, e.recordID, e.summary)); err != nil {
			return err
		}
	}
	return c.close(ctx)
}

// writeAudits appends each organisation's log (by organisation) to its
// chain as the organisation's system, as writeAudit would one after the
// other, in a few statements for them all, for a job's round that writes
// in most organisations: the pending events of those that have some are
// sealed first, the heads are held in the organisations' order, each
// event is linked to the one before it (auditChain), all are inserted
// together and the heads moved in one statement.
func (s *Store) writeAudits(ctx context.Context, tx *sql.Tx, logs map[string]*auditLog) error {
	var orgs []string
	for org, l := range logs {
		if len(l.events) > 0 {
			orgs = append(orgs, org)
		}
	}
	if len(orgs) == 0 {
		return nil
	}
	slices.Sort(orgs)
	pending, err := s.pendingOf(ctx, tx, orgs)
	if err != nil {
		return err
	}
	for _, org := range pending {
		if err := s.sealAll(ctx, tx, org); err != nil {
			return err
		}
	}
	chains, err := s.holdHeads(ctx, tx, orgs)
	if err != nil {
		return err
	}
	at := now(ctx)
	var events []*distans.AuditEvent
	for _, c := range chains {
		sys := distans.SystemActor(c.orgID)
		for _, e := range logs[c.orgID].events {
			c.buf = append(c.buf, newAuditEvent(at, sys, c.orgID, e.action, e.recordType, e.recordID, e.summary))
		}
		events = append(events, c.link()...)
	}
	if err := s.insertAuditEvents(ctx, tx, events); err != nil {
		return err
	}
	// The heads move in one statement, 1,000 a time. The CASE names the
	// column in each WHEN: Citus sends CASE organisation_id WHEN $1 on to
	// a worker as a comparison of text with a boolean.
	for chunk := range slices.Chunk(chains, 1000) {
		var a args
		var seqs, hashes, in []string
		for _, c := range chunk {
			org := a.add(c.orgID)
			seqs = append(seqs, "WHEN organisation_id = "+org+" THEN CAST("+a.add(c.seq)+" AS bigint)")
			hashes = append(hashes, "WHEN organisation_id = "+org+" THEN CAST("+a.add(c.hash)+" AS text)")
			in = append(in, org)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE audit_heads SET seq = CASE `+strings.Join(seqs, " ")+` END,
			hash = CASE `+strings.Join(hashes, " ")+` END WHERE organisation_id IN (`+strings.Join(in, ", ")+`)`, a...); err != nil {
			return err
		}
	}
	return nil
}

// pendingOf returns those of the organisations that have pending events
// (only PostgreSQL writes them), in one statement.
func (s *Store) pendingOf(ctx context.Context, tx *sql.Tx, orgs []string) ([]string, error) {
	if s.dialect.name != "postgres" {
		return nil, nil
	}
	var a args
	in := make([]string, len(orgs))
	for i, o := range orgs {
		in[i] = a.add(o)
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT organisation_id FROM audit_pending WHERE organisation_id IN (`+
		strings.Join(in, ", ")+`) ORDER BY organisation_id`, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// holdHeads holds the heads of the organisations, which are sorted, in
// their order, for chains of appends (holdHead). On PostgreSQL one
// statement locks them all; Citus locks rows only in a statement on one
// organisation, so there each is held by its own.
func (s *Store) holdHeads(ctx context.Context, tx *sql.Tx, orgs []string) ([]*auditChain, error) {
	citus, err := s.onCitus(ctx)
	if err != nil {
		return nil, err
	}
	var out []*auditChain
	if citus {
		for _, org := range orgs {
			c, err := s.holdHead(ctx, tx, org)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		return out, nil
	}
	var a args
	in := make([]string, len(orgs))
	for i, o := range orgs {
		in[i] = a.add(o)
	}
	rows, err := tx.QueryContext(ctx, `SELECT organisation_id, seq, hash FROM audit_heads WHERE organisation_id IN (`+
		strings.Join(in, ", ")+`) ORDER BY organisation_id`+s.dialect.forUpdate, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		c := &auditChain{s: s, tx: tx}
		if err := rows.Scan(&c.orgID, &c.seq, &c.hash); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) != len(orgs) {
		return nil, errOrgNotFound()
	}
	return out, nil
}
