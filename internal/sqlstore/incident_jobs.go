package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
)

// IncidentDeadlines is one round of the incident deadline job in the
// organisation of the system actor, as of now (loc is the organisation's
// time zone, for the times the texts show). It reminds of each open clock
// once its reminder time (saveIncidentClocks) has come, and escalates each
// open clock whose deadline has passed to the owner's managers (or, with
// no owner yet, to the handlers of the kind, who must triage it).
//
// Each is sent exactly once, also with several instances on one database:
// a clock is claimed by the UPDATE that stamps reminded_at or escalated_at
// where it is still empty, which on PostgreSQL waits for a concurrent
// claim of the same row and then finds it stamped; and each notification
// is keyed by its occasion — "incident/ID/clock/DUTY/reminder/DUE/PERSON"
// — so that not even a claim made twice could notify twice. A deadline
// that moves (saveIncidentClocks) is reminded of again, under a new key.
// It returns the number of reminders and escalations claimed.
func (s *Store) IncidentDeadlines(ctx context.Context, at time.Time, loc *time.Location) (int, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return 0, err
	}
	if !act.System {
		return 0, errSystemOnly()
	}
	if loc == nil {
		loc = time.UTC
	}
	n := 0
	err = s.write(ctx, func(tx *sql.Tx) error {
		n = 0 // write may run this again
		orgID := act.OrganisationID
		reminders, err := claimClocks(ctx, tx, orgID, "reminded_at", "remind_at", at)
		if err != nil {
			return err
		}
		escalations, err := claimClocks(ctx, tx, orgID, "escalated_at", "due_at", at)
		if err != nil {
			return err
		}
		n = len(reminders) + len(escalations)
		if n == 0 {
			return nil
		}
		var ids []string
		for _, c := range slices.Concat(reminders, escalations) {
			if !slices.Contains(ids, c.incidentID) {
				ids = append(ids, c.incidentID)
			}
		}
		incs, err := deadlineIncidents(ctx, tx, orgID, ids)
		if err != nil {
			return err
		}
		today := distans.Today(at, loc)
		roles, err := liveRoles(ctx, tx, orgID, today)
		if err != nil {
			return err
		}
		var notes []*distans.Notification
		var log auditLog
		for _, c := range reminders {
			inc := incs[c.incidentID]
			to := []string{inc.ownerID}
			if inc.ownerID == "" {
				to = roles.handlers(inc.kind, inc.path)
			}
			notes = append(notes, c.notes(inc, distans.NotifyIncidentDeadlineNear, "reminder", loc, to)...)
			log.add("incident.deadline_reminder", "incident", inc.id, inc.number+": reminded of "+c.duty+" due "+ts(c.dueAt))
		}
		for _, c := range escalations {
			inc := incs[c.incidentID]
			// The owner's managers; the kind's handlers before triage, or
			// when the owner has no manager to escalate to.
			var to []string
			if inc.ownerID != "" {
				to = roles.managers(inc.ownerPath, inc.ownerID)
			}
			if len(to) == 0 {
				to = roles.handlers(inc.kind, inc.path)
			}
			notes = append(notes, c.notes(inc, distans.NotifyIncidentDeadlinePassed, "escalation", loc, to)...)
			log.add("incident.deadline_passed", "incident", inc.id, inc.number+": "+c.duty+" passed "+ts(c.dueAt)+", escalated")
		}
		if err := s.notifyMany(ctx, tx, notes); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, act, orgID, &log)
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// claimedClock is a clock claimed for a reminder or an escalation.
type claimedClock struct {
	incidentID, duty string
	dueAt            time.Time
}

// claimClocks stamps stamp with at on the organisation's open clocks whose
// when has come and whose stamp is still empty, and returns them: the
// partial indexes incident_clocks_remind and incident_clocks_due hold
// exactly those.
func claimClocks(ctx context.Context, tx *sql.Tx, orgID, stamp, when string, at time.Time) ([]claimedClock, error) {
	rows, err := tx.QueryContext(ctx, `UPDATE incident_clocks SET `+stamp+` = $1
		WHERE organisation_id = $2 AND done_at IS NULL AND `+stamp+` IS NULL AND `+when+` <= $1
		RETURNING incident_id, duty, due_at`, ts(at), orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []claimedClock
	for rows.Next() {
		var c claimedClock
		if err := rows.Scan(&c.incidentID, &c.duty, tm(&c.dueAt)); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// RETURNING gives no order; the notifications and events follow one.
	slices.SortFunc(out, func(a, b claimedClock) int {
		return strings.Compare(a.incidentID+"/"+a.duty, b.incidentID+"/"+b.duty)
	})
	return out, nil
}

// deadlineIncident is what the job needs of an incident.
type deadlineIncident struct {
	id, number, kind, path        string
	ownerID, ownerName, ownerPath string
}

func deadlineIncidents(ctx context.Context, tx *sql.Tx, orgID string, ids []string) (map[string]*deadlineIncident, error) {
	out := make(map[string]*deadlineIncident, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		var a args
		org := a.add(orgID)
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			ph[i] = a.add(id)
		}
		rows, err := tx.QueryContext(ctx, `SELECT i.id, i.number, i.kind, COALESCE(u.path, ''), i.owner_id, op.name, op.unit_path
			FROM incidents i
			LEFT JOIN units u ON u.organisation_id = i.organisation_id AND u.id = i.unit_id
			LEFT JOIN people op ON op.organisation_id = i.organisation_id AND op.id = i.owner_id
			WHERE i.organisation_id = `+org+` AND i.id IN (`+strings.Join(ph, ", ")+`)`, a...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			d := &deadlineIncident{}
			if err := rows.Scan(&d.id, &d.number, &d.kind, &d.path, str(&d.ownerID), str(&d.ownerName), str(&d.ownerPath)); err != nil {
				rows.Close()
				return nil, err
			}
			out[d.id] = d
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// notes are the notifications of a claimed clock to its recipients.
func (c claimedClock) notes(inc *deadlineIncident, kind distans.NotificationKind, occasion string, loc *time.Location,
	to []string) []*distans.Notification {
	var out []*distans.Notification
	due := c.dueAt.UTC().Format("20060102T150405Z")
	for _, p := range to {
		if p == "" {
			continue
		}
		params := map[string]string{"number": inc.number, "kind": inc.kind, "duty": c.duty,
			"due": c.dueAt.In(loc).Format("2006-01-02 15:04")}
		if occasion == "escalation" && inc.ownerName != "" {
			params["owner"] = inc.ownerName
		}
		out = append(out, &distans.Notification{PersonID: p, Kind: kind, Params: params, Link: "/incidents/" + inc.id,
			Key: "incident/" + inc.id + "/clock/" + c.duty + "/" + occasion + "/" + due + "/" + p})
	}
	return out
}

// grantRow is a live role assignment and the path of its unit ("" for
// the whole organisation).
type grantRow struct {
	person string
	role   distans.Role
	path   string
}

type orgRoles []grantRow

// liveRoles reads the organisation's live role assignments once, for the
// recipients of a round.
func liveRoles(ctx context.Context, tx *sql.Tx, orgID string, today time.Time) (orgRoles, error) {
	rows, err := tx.QueryContext(ctx, `SELECT r.person_id, r.role, COALESCE(u.path, '')`+roleFrom+`
		WHERE r.organisation_id = $1 AND r.ended_at IS NULL AND (u.ended_on IS NULL OR u.ended_on >= $2)
		ORDER BY r.person_id`, orgID, day(today))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out orgRoles
	for rows.Next() {
		var g grantRow
		if err := rows.Scan(&g.person, &g.role, &g.path); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// holders returns the people with a grant that counts over the unit at
// unitPath, other than except.
func (rs orgRoles) holders(counts func(distans.Role) bool, unitPath string, except string) []string {
	var out []string
	for _, g := range rs {
		in := g.path == "" || (distans.Scope{UnitPaths: []string{g.path}}).Contains(unitPath)
		if counts(g.role) && in && g.person != except && !slices.Contains(out, g.person) {
			out = append(out, g.person)
		}
	}
	return out
}

// handlers are the people who handle incidents of kind in the unit.
func (rs orgRoles) handlers(kind, unitPath string) []string {
	roles := distans.IncidentHandlerRoles(distans.IncidentKind(kind))
	return rs.holders(func(r distans.Role) bool { return slices.Contains(roles, r) }, unitPath, "")
}

// managers are the managers of the unit at unitPath (as managersOf: those
// who decide its agreements), other than the person themself. A unit of
// none has none.
func (rs orgRoles) managers(unitPath, except string) []string {
	if unitPath == "" {
		return nil
	}
	return rs.holders(func(r distans.Role) bool { return r.Allows(distans.PermDecideAgreements) }, unitPath, except)
}

// notifyMany records notifications in a few statements, skipping those
// whose key exists (see notify).
func (s *Store) notifyMany(ctx context.Context, tx *sql.Tx, ns []*distans.Notification) error {
	return s.notifyIn(ctx, tx, map[string][]*distans.Notification{distans.ActorFrom(ctx).OrganisationID: ns})
}

// notifyIn is notifyMany for the notifications of several organisations
// (by organisation), in the same few statements.
func (s *Store) notifyIn(ctx context.Context, tx *sql.Tx, byOrg map[string][]*distans.Notification) error {
	orgs := make([]string, 0, len(byOrg))
	for o := range byOrg {
		orgs = append(orgs, o)
	}
	slices.Sort(orgs)
	at := ts(now(ctx))
	var rows [][]any
	for _, orgID := range orgs {
		for _, n := range byOrg[orgID] {
			p, err := jsonText(n.Params)
			if err != nil {
				return err
			}
			rows = append(rows, []any{orgID, newID(), n.PersonID, n.Key, string(n.Kind), p, n.Link, at})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	cols := []string{"organisation_id", "id", "person_id", "key", "kind", "params", "link", "created_at"}
	head := `INSERT INTO notifications (` + strings.Join(cols, ", ") + `) `
	text := func(k int) string {
		body := s.valuesList(k, len(cols))
		if s.dialect.arrays {
			from, _ := s.rowsFrom(k, len(cols))
			sel := make([]string, len(cols))
			for c, name := range cols {
				sel[c] = s.vcol(c, name)
			}
			body = `SELECT ` + strings.Join(sel, ", ") + ` FROM ` + from
		}
		return head + body + ` ON CONFLICT (organisation_id, key) DO NOTHING`
	}
	return s.batches(ctx, tx, len(rows), len(cols), nil, text, func(i int, q []any) []any { return append(q, rows[i]...) }, nil)
}
