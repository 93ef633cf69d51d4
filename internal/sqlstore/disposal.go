package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/distans/distans"
)

// Disposal (distans.DisposalService's store, internal/disposal.Store).
// Each type is one or more parts, a table and the condition that makes
// its rows due; a batch picks up to a batch's keys of one part that no
// open hold covers and removes or anonymises them, in one transaction
// with its disposal_log row and its audit event. The condition of an
// anonymised record is that it still holds what anonymising clears, so a
// second run finds nothing. Audit events are never touched: those about
// a removed record stay, as the record of what was decided.

// disposalPart is one table of a type.
type disposalPart struct {
	table string
	key   string // the column a batch picks rows by
	// due is the condition beyond the organisation, on alias t, with the
	// cutoff as $2: a day when cutoffDay, else a time.
	due       string
	cutoffDay bool
	oldest    string // the column whose least value is the oldest record's date
	oldestDay bool
	person    string // the column naming the person a hold is on; "" for none
	// act disposes of the keys given as $2…; anonymise does it in Go
	// instead (the request's JSON).
	act       string
	anonymise func(ctx context.Context, tx *sql.Tx, orgID string, keys []string) error
}

// agreementDisposed is what anonymising an agreement clears: the remote
// place (a home address), the reasons for the request (which may be
// about health) and the note on why it ended.
const agreementNotAnonymised = ` AND (t.request_place <> '' OR t.terms_place <> '' OR t.end_note <> ''
	OR t.request NOT LIKE '%"reasons":""%')`

func disposalParts(t distans.DisposalType) []disposalPart {
	switch t {
	case distans.DisposeAccessLog:
		return []disposalPart{{
			table: "signin_events", key: "id", due: "t.at < $2",
			oldest: "t.at", person: "person_id", act: "DELETE FROM signin_events",
		}, {
			table: "api_tokens", key: "id", due: "t.revoked_at IS NOT NULL AND t.revoked_at < $2",
			oldest: "t.revoked_at", person: "person_id", anonymise: deleteAPITokens,
		}, {
			// A lock that ran out long ago, and the failures behind it.
			table: "accounts", key: "person_id", due: "t.locked_until IS NOT NULL AND t.locked_until < $2",
			oldest: "t.locked_until", person: "person_id",
			act: "UPDATE accounts SET locked_until = NULL, failed_count = 0",
		}}
	case distans.DisposeSessions:
		return []disposalPart{{table: "sessions", key: "token_hash", due: "t.expires_at < $2", oldest: "t.expires_at"}}
	case distans.DisposeStatusHistory:
		return []disposalPart{
			{table: "day_statuses", key: "", due: "t.on_date < $2", cutoffDay: true, oldest: "t.on_date", oldestDay: true},
			{table: "redirects", key: "", due: "t.until_at < $2", oldest: "t.until_at"},
		}
	case distans.DisposeAgreements:
		return []disposalPart{{
			table: "agreements", key: "id", due: "t.state = 'ended' AND t.ended_on < $2" + agreementNotAnonymised,
			cutoffDay: true, oldest: "t.ended_on", oldestDay: true, person: "person_id", anonymise: anonymiseAgreements,
		}, {
			// A request declined or withdrawn has no end day: it was
			// last changed when it was decided.
			table: "agreements", key: "id",
			due:    "t.state IN ('declined', 'withdrawn') AND t.updated_at < $2" + agreementNotAnonymised,
			oldest: "t.updated_at", person: "person_id", anonymise: anonymiseAgreements,
		}}
	case distans.DisposeIncidents:
		return []disposalPart{{
			table: "incidents", key: "id",
			due:    "t.state = 'closed' AND t.closed_at < $2 AND (t.description <> '' OR t.police_report <> '')",
			oldest: "t.closed_at", person: "reporter_id",
			act: "UPDATE incidents SET description = '', police_report = ''",
		}}
	case distans.DisposeNotifications:
		return []disposalPart{{
			table: "notifications", key: "id", due: "t.read_at IS NOT NULL AND t.read_at < $2",
			oldest: "t.read_at", person: "person_id", act: "DELETE FROM notifications",
		}}
	}
	return nil
}

// held is the condition that an open hold covers the row t of type typ.
func (p disposalPart) held(typ distans.DisposalType) string {
	return `EXISTS (SELECT 1 FROM disposal_holds h WHERE h.organisation_id = t.organisation_id AND h.released_at IS NULL
		AND (h.person_id IS NULL OR h.person_id = t.` + p.person + `) AND h.type IN ('', '` + string(typ) + `'))`
}

func (p disposalPart) cutoff(c time.Time) string {
	if p.cutoffDay {
		return day(c)
	}
	return ts(c)
}

// CountDisposal fills in each item's Count (due and not held), Held and
// Oldest (of the due records, held or not) as of its Cutoff.
func (s *Store) CountDisposal(ctx context.Context, items []distans.DisposalItem) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if !a.SeesDisposal() {
		return distans.Forbidden()
	}
	return s.read(ctx, func(tx *sql.Tx) error {
		for i := range items {
			it := &items[i]
			it.Count, it.Held, it.Oldest = 0, 0, nil
			for _, p := range disposalParts(it.Period.Type) {
				heldExpr := "0"
				if p.person != "" && it.Period.Type.Holdable() {
					heldExpr = "CASE WHEN " + p.held(it.Period.Type) + " THEN 1 ELSE 0 END"
				}
				var total, held int64
				var oldest *time.Time
				col := nulltm(&oldest)
				if p.oldestDay {
					col = nulldt(&oldest)
				}
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(`+heldExpr+`), 0), MIN(`+p.oldest+`)
					FROM `+p.table+` t WHERE t.organisation_id = $1 AND `+p.due,
					a.OrganisationID, p.cutoff(it.Cutoff)).Scan(&total, &held, col); err != nil {
					return fmt.Errorf("count %s: %w", p.table, err)
				}
				it.Count += int(total - held)
				it.Held += int(held)
				if oldest != nil && (it.Oldest == nil || oldest.Before(*it.Oldest)) {
					it.Oldest = oldest
				}
			}
		}
		return nil
	})
}

// DisposeBatch disposes of up to batch due records of the item's type
// that no hold covers, in one transaction with the disposal log row and
// an audit event, and returns the entry; nil when nothing was due. Types
// that another job sweeps are refused (EINVALID): they are not disposed
// of twice.
func (s *Store) DisposeBatch(ctx context.Context, it distans.DisposalItem, batch int) (*distans.DisposalLogEntry, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Disposes() {
		return nil, distans.Forbidden()
	}
	if it.Period.SweptBy != "" || !it.Period.Type.Holdable() {
		return nil, distans.Errorf(distans.EINVALID, "Den här typen gallras av ett eget jobb.", "This type is disposed of by a job of its own.")
	}
	var out *distans.DisposalLogEntry
	err = s.write(ctx, func(tx *sql.Tx) error {
		out = nil
		n := 0
		for _, p := range disposalParts(it.Period.Type) {
			if n >= batch {
				break
			}
			rows, err := tx.QueryContext(ctx, `SELECT t.`+p.key+` FROM `+p.table+` t WHERE t.organisation_id = $1 AND `+p.due+
				` AND NOT `+p.held(it.Period.Type)+` ORDER BY t.`+p.key+limitRows(batch-n),
				a.OrganisationID, p.cutoff(it.Cutoff))
			if err != nil {
				return fmt.Errorf("due %s: %w", p.table, err)
			}
			var keys []string
			for rows.Next() {
				var k string
				if err := rows.Scan(&k); err != nil {
					rows.Close()
					return err
				}
				keys = append(keys, k)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(keys) == 0 {
				continue
			}
			if p.anonymise != nil {
				err = p.anonymise(ctx, tx, a.OrganisationID, keys)
			} else {
				q := args{a.OrganisationID}
				ph := make([]string, len(keys))
				for i, k := range keys {
					ph[i] = q.add(k)
				}
				_, err = tx.ExecContext(ctx, p.act+` WHERE organisation_id = $1 AND `+p.key+` IN (`+strings.Join(ph, ", ")+`)`, q...)
			}
			if err != nil {
				return fmt.Errorf("dispose %s: %w", p.table, err)
			}
			n += len(keys)
		}
		if n == 0 {
			return nil
		}
		e := &distans.DisposalLogEntry{OrganisationID: a.OrganisationID, ID: newID(), At: now(ctx), ActorID: a.PersonID,
			ActorName: a.Name, Type: it.Period.Type, How: it.Period.How, Count: n, Amount: it.Period.Amount,
			Unit: it.Period.Unit, Cutoff: it.Cutoff.UTC().Truncate(time.Microsecond)}
		if _, err := tx.ExecContext(ctx, `INSERT INTO disposal_log (organisation_id, id, at, actor_id, actor_name, type, how,
			count, amount, unit, cutoff) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			e.OrganisationID, e.ID, ts(e.At), e.ActorID, e.ActorName, string(e.Type), string(e.How), e.Count, e.Amount,
			e.Unit, ts(e.Cutoff)); err != nil {
			return err
		}
		out = e
		verb := "removed"
		if e.How == distans.DisposalAnonymise {
			verb = "anonymised"
		}
		return s.audit(ctx, tx, a, a.OrganisationID, "records.dispose", "disposal", e.ID,
			fmt.Sprintf("%s %d %s past %s (before %s)", verb, n, e.Type, it.Period.Text("en"), ts(e.Cutoff)))
	})
	return out, err
}

// anonymiseAgreements clears the agreements' remote places, end notes and
// the reasons in their requests. The agreement itself stays: it is a
// registered public document, and its number, parties, dates, terms and
// decision are what the archive keeps.
// deleteAPITokens deletes the organisation's tokens with ids, and their
// routes.
func deleteAPITokens(ctx context.Context, tx *sql.Tx, orgID string, ids []string) error {
	q := args{orgID}
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = q.add(id)
	}
	_, err := deleteSecrets(ctx, tx, "api_tokens", `organisation_id = $1 AND id IN (`+strings.Join(ph, ", ")+`)`, q...)
	return err
}

func anonymiseAgreements(ctx context.Context, tx *sql.Tx, orgID string, ids []string) error {
	for _, id := range ids {
		var raw string
		if err := tx.QueryRowContext(ctx, `SELECT request FROM agreements WHERE organisation_id = $1 AND id = $2`,
			orgID, id).Scan(&raw); err != nil {
			return err
		}
		var req map[string]any
		if err := json.Unmarshal([]byte(raw), &req); err != nil {
			return fmt.Errorf("agreement %s: request: %w", id, err)
		}
		req["reasons"] = ""
		b, err := json.Marshal(req)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE agreements SET request = $3, request_place = '', terms_place = '',
			end_note = '' WHERE organisation_id = $1 AND id = $2`, orgID, id, string(b)); err != nil {
			return err
		}
	}
	return nil
}

// MarkDisposalRun records that the organisation's disposal ran at at.
func (s *Store) MarkDisposalRun(ctx context.Context, at time.Time) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if !a.Disposes() {
		return distans.Forbidden()
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO disposal_runs (organisation_id, ran_at) VALUES ($1, $2)
			ON CONFLICT (organisation_id) DO UPDATE SET ran_at = excluded.ran_at`, a.OrganisationID, ts(at))
		return err
	})
}

// LastDisposalRun is when the organisation's disposal last ran; the zero
// time when never.
func (s *Store) LastDisposalRun(ctx context.Context) (time.Time, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return time.Time{}, err
	}
	var at time.Time
	err = s.read(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT ran_at FROM disposal_runs WHERE organisation_id = $1`, a.OrganisationID).Scan(tm(&at))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	return at, err
}

// ListDisposalLog returns the organisation's latest log entries.
func (s *Store) ListDisposalLog(ctx context.Context, limit int) ([]*distans.DisposalLogEntry, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if !a.SeesDisposal() {
		return nil, distans.Forbidden()
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var out []*distans.DisposalLogEntry
	err = s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT organisation_id, id, at, actor_id, actor_name, type, how, count, amount,
			unit, cutoff FROM disposal_log WHERE organisation_id = $1 ORDER BY at DESC, id DESC`+limitRows(limit),
			a.OrganisationID)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = nil
		for rows.Next() {
			e := &distans.DisposalLogEntry{}
			if err := rows.Scan(&e.OrganisationID, &e.ID, tm(&e.At), &e.ActorID, &e.ActorName, &e.Type, &e.How, &e.Count,
				&e.Amount, &e.Unit, tm(&e.Cutoff)); err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

const holdCols = `h.organisation_id, h.id, COALESCE(h.person_id, ''), COALESCE(p.name, ''), h.type, h.reason, h.placed_by,
	h.placed_by_name, h.placed_at, h.released_at, h.released_by_name FROM disposal_holds h
	LEFT JOIN people p ON p.organisation_id = h.organisation_id AND p.id = h.person_id`

func scanHold(sc interface{ Scan(...any) error }) (*distans.DisposalHold, error) {
	h := &distans.DisposalHold{}
	err := sc.Scan(&h.OrganisationID, &h.ID, &h.PersonID, &h.PersonName, &h.Type, &h.Reason, &h.PlacedByID,
		&h.PlacedByName, tm(&h.PlacedAt), nulltm(&h.ReleasedAt), &h.ReleasedByName)
	return h, err
}

// ListDisposalHolds returns the organisation's holds, open ones first,
// newest first.
func (s *Store) ListDisposalHolds(ctx context.Context) ([]*distans.DisposalHold, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if !a.SeesDisposal() {
		return nil, distans.Forbidden()
	}
	var out []*distans.DisposalHold
	err = s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+holdCols+` WHERE h.organisation_id = $1
			ORDER BY CASE WHEN h.released_at IS NULL THEN 0 ELSE 1 END, h.placed_at DESC, h.id LIMIT 200`, a.OrganisationID)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = nil
		for rows.Next() {
			h, err := scanHold(rows)
			if err != nil {
				return err
			}
			out = append(out, h)
		}
		return rows.Err()
	})
	return out, err
}

// PlaceDisposalHold places a hold and audits it.
func (s *Store) PlaceDisposalHold(ctx context.Context, r distans.HoldRequest) (*distans.DisposalHold, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if !a.HoldsRecords() || a.PersonID == "" {
		return nil, distans.Forbidden()
	}
	r.Reason = strings.TrimSpace(r.Reason)
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out *distans.DisposalHold
	err = s.write(ctx, func(tx *sql.Tx) error {
		h := &distans.DisposalHold{OrganisationID: a.OrganisationID, ID: newID(), Type: r.Type, Reason: r.Reason,
			PlacedByID: a.PersonID, PlacedByName: a.Name, PlacedAt: now(ctx)}
		whom := "everyone"
		if r.PersonID != "" {
			p, err := findPersonRow(ctx, tx, a.OrganisationID, r.PersonID)
			if err != nil {
				return err
			}
			h.PersonID, h.PersonName, whom = p.ID, p.Name, p.Name
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO disposal_holds (organisation_id, id, person_id, type, reason,
			placed_by, placed_by_name, placed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			h.OrganisationID, h.ID, nullStr(h.PersonID), string(h.Type), h.Reason, h.PlacedByID, h.PlacedByName,
			ts(h.PlacedAt)); err != nil {
			return err
		}
		out = h
		what := "every type"
		if h.Type != "" {
			what = string(h.Type)
		}
		return s.audit(ctx, tx, a, a.OrganisationID, "records.hold", "disposal_hold", h.ID,
			"held "+what+" of "+whom+" from disposal")
	})
	return out, err
}

// ReleaseDisposalHold releases an open hold and audits it.
func (s *Store) ReleaseDisposalHold(ctx context.Context, id string) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if !a.HoldsRecords() {
		return distans.Forbidden()
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE disposal_holds SET released_at = $3, released_by_name = $4
			WHERE organisation_id = $1 AND id = $2 AND released_at IS NULL`, a.OrganisationID, id, ts(now(ctx)), a.Name)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return distans.NotFound("Det finns inget sådant kvarhållande.", "There is no such hold.")
		}
		return s.audit(ctx, tx, a, a.OrganisationID, "records.hold_release", "disposal_hold", id, "released a hold on disposal")
	})
}
