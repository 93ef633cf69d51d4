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

// This file holds the incidents' rows, reads, lists and who sees what;
// incident_change.go the changes; incident_jobs.go the deadline job.
//
// Who sees what is distans.Actor.IncidentAccess, enforced here: a single
// incident is read and then judged by it; a list is filtered in SQL by the
// same rule (incidentVisibleSQL), per kind with HandlesIncidentsIn, the
// manager's scope, the owner and the reporter. What each level gets:
//
//   - full (the handlers of the kind and the owner): everything; reading
//     a secret field of one incident is audited (incident.secret_read).
//     Lists withhold the secret fields from everyone, so that a queue
//     is no unaudited read of them: Redacted names what was withheld.
//   - unit (a manager of the reporter's unit): everything but the secret
//     fields.
//   - reporter: the report as written and where it stands (number,
//     state, when closed), without the secret fields once they are
//     marked, and without the handling: no severity, owner, clocks,
//     measures or links. The handling holds others' judgements and notes
//     (a decision not to notify IMY, measures against named people) that
//     the reporter has no need of to know their report is dealt with.

// AuditIncidentSecretRead is the audit action of a read of an incident's
// secret fields.
const AuditIncidentSecretRead = "incident.secret_read"

// Reclock computes an incident's clocks from its facts as they will be
// stored (imyFiledAt is when the notification to IMY was filed, nil
// before), and sets inc.PackVersion to the pack they came from. The
// incident service passes one that evaluates the organisation's pack; the
// store calls it inside the transaction that changes a fact the clocks
// depend on, so that the clocks and the facts never disagree.
type Reclock = func(inc *distans.Incident, imyFiledAt *time.Time) ([]distans.IncidentClock, error)

func errIncidentNotFound() error {
	return distans.NotFound("Incidenten finns inte.", "The incident does not exist.")
}

func errIncidentStale() error {
	return distans.Errorf(distans.ECONFLICT, "Incidenten har ändrats sedan du öppnade den. Ladda om sidan.",
		"The incident has changed since you opened it. Reload the page.")
}

func errIncidentClosed() error {
	return distans.Errorf(distans.ECONFLICT, "Incidenten är avslutad.", "The incident is closed.")
}

func errNotIncidentHandler() error {
	return distans.Errorf(distans.EFORBIDDEN, "Bara den som handlägger incidenten kan göra det.",
		"Only those who handle the incident can do that.")
}

const incidentCols = `i.organisation_id, i.id, i.number, i.kind, i.title, i.description, i.occurred_at, i.discovered_at,
	i.systems, i.ongoing, i.reporter_id, rp.name, i.registered_by_id, i.unit_id, COALESCE(u.path, ''), i.state, i.severity,
	i.owner_id, op.name, i.cyber_significant, i.injury_serious, i.outside_premises, i.police_report, i.secret_fields,
	i.pack_version, i.version, i.created_at, i.updated_at, i.closed_at, i.imy_filed_at, COALESCE(op.unit_path, ''), i.next_due_at`

const incidentFrom = ` FROM incidents i
	JOIN people rp ON rp.organisation_id = i.organisation_id AND rp.id = i.reporter_id
	LEFT JOIN people op ON op.organisation_id = i.organisation_id AND op.id = i.owner_id
	LEFT JOIN units u ON u.organisation_id = i.organisation_id AND u.id = i.unit_id`

// incident is an incident as the store holds it: the domain value and the
// facts kept beside it.
type incident struct {
	*distans.Incident
	imyFiledAt *time.Time
}

func scanIncident(sc interface{ Scan(...any) error }) (*incident, error) {
	g := &incident{Incident: &distans.Incident{}}
	inc := g.Incident
	var kind, state, severity, secret string
	err := sc.Scan(&inc.OrganisationID, &inc.ID, &inc.Number, &kind, &inc.Title, &inc.Description, nulltm(&inc.OccurredAt),
		tm(&inc.DiscoveredAt), &inc.Systems, &inc.Ongoing, &inc.ReporterID, &inc.ReporterName, str(&inc.RegisteredByID),
		str(&inc.UnitID), &inc.UnitPath, &state, &severity, str(&inc.OwnerID), str(&inc.OwnerName), &inc.CyberSignificant,
		&inc.InjurySerious, &inc.OutsidePremises, &inc.PoliceReport, &secret, &inc.PackVersion, &inc.Version,
		tm(&inc.CreatedAt), tm(&inc.UpdatedAt), nulltm(&inc.ClosedAt), nulltm(&g.imyFiledAt), &inc.OwnerUnitPath, nulltm(&inc.QueueDue))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errIncidentNotFound()
	} else if err != nil {
		return nil, err
	}
	inc.Kind, inc.State, inc.Severity = distans.IncidentKind(kind), distans.IncidentState(state), distans.IncidentSeverity(severity)
	if err := json.Unmarshal([]byte(secret), &inc.SecretFields); err != nil {
		return nil, fmt.Errorf("sqlstore: incident %s secret fields: %w", inc.ID, err)
	}
	if len(inc.SecretFields) == 0 {
		inc.SecretFields = nil
	}
	inc.Clocks, inc.Measures, inc.Links = []distans.IncidentClock{}, []distans.IncidentMeasure{}, []distans.IncidentLink{}
	return g, nil
}

// findIncidentRow returns an incident of the organisation whoever asks,
// without its parts; lock locks the row on PostgreSQL for a change.
func findIncidentRow(ctx context.Context, q querier, orgID, id, lock string) (*incident, error) {
	// FOR UPDATE may not lock the nullable side of an outer join on
	// PostgreSQL: the incident's own row is locked first, then read whole.
	if err := lockRow(ctx, q, "incidents", orgID, id, lock, errIncidentNotFound); err != nil {
		return nil, err
	}
	return scanIncident(q.QueryRowContext(ctx, `SELECT `+incidentCols+incidentFrom+`
		WHERE i.organisation_id = $1 AND i.id = $2`, orgID, id))
}

// visibleIncident returns an incident the actor sees, with its parts, and
// how much of it they see; ENOTFOUND for one they do not, whether it
// exists or not.
func visibleIncident(ctx context.Context, q querier, act *distans.Actor, id, lock string) (*incident, distans.IncidentAccess, error) {
	g, err := findIncidentRow(ctx, q, act.OrganisationID, id, lock)
	if err != nil {
		return nil, 0, err
	}
	acc := act.IncidentAccess(g.Incident)
	if acc == distans.IncidentNoAccess {
		return nil, 0, errIncidentNotFound()
	}
	if err := loadIncidentParts(ctx, q, g.Incident); err != nil {
		return nil, 0, err
	}
	return g, acc, nil
}

// handledIncident returns an incident for a change by one who handles it
// (Actor.HandlesIncident): ENOTFOUND when the actor does not see it,
// EFORBIDDEN when they see but do not handle it, ECONFLICT when closed.
func handledIncident(ctx context.Context, q querier, act *distans.Actor, id, lock string) (*incident, error) {
	g, _, err := visibleIncident(ctx, q, act, id, lock)
	if err != nil {
		return nil, err
	}
	if !act.HandlesIncident(g.Incident) {
		return nil, errNotIncidentHandler()
	}
	if g.State == distans.IncidentClosed {
		return nil, errIncidentClosed()
	}
	return g, nil
}

// loadIncidentParts reads the clocks (nearest first), measures and links.
func loadIncidentParts(ctx context.Context, q querier, inc *distans.Incident) error {
	var err error
	if inc.Clocks, err = listIncidentClocks(ctx, q, inc.OrganisationID, inc.ID); err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, `SELECT m.id, m.text, m.owner_id, p.name, m.due_on, m.done_at
		FROM incident_measures m JOIN people p ON p.organisation_id = m.organisation_id AND p.id = m.owner_id
		WHERE m.organisation_id = $1 AND m.incident_id = $2 ORDER BY m.due_on, m.created_at, m.id`, inc.OrganisationID, inc.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var m distans.IncidentMeasure
		if err := rows.Scan(&m.ID, &m.Text, &m.OwnerID, &m.OwnerName, dt(&m.DueOn), nulltm(&m.DoneAt)); err != nil {
			rows.Close()
			return err
		}
		inc.Measures = append(inc.Measures, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT kind, target_id, label FROM incident_links
		WHERE organisation_id = $1 AND incident_id = $2 ORDER BY created_at, kind, target_id`, inc.OrganisationID, inc.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var l distans.IncidentLink
		if err := rows.Scan(&l.Kind, &l.TargetID, &l.Label); err != nil {
			return err
		}
		inc.Links = append(inc.Links, l)
	}
	return rows.Err()
}

// incidentClock is a clock as stored, with what the job needs besides.
type incidentClock struct {
	distans.IncidentClock
	remindAt time.Time
}

func listIncidentClocks(ctx context.Context, q querier, orgID, incidentID string) ([]distans.IncidentClock, error) {
	cs, err := listClockRows(ctx, q, orgID, incidentID)
	if err != nil {
		return nil, err
	}
	out := make([]distans.IncidentClock, len(cs))
	at := now(ctx)
	for i, c := range cs {
		out[i] = c.IncidentClock
		out[i].Passed = c.Open() && at.After(c.DueAt)
	}
	return out, nil
}

func listClockRows(ctx context.Context, q querier, orgID, incidentID string) ([]incidentClock, error) {
	rows, err := q.QueryContext(ctx, `SELECT duty, rule_id, label, citation, due_at, remind_at, done_at, done_by_id,
		reference, not_required, note, reminded_at, escalated_at
		FROM incident_clocks WHERE organisation_id = $1 AND incident_id = $2 ORDER BY due_at, duty`, orgID, incidentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []incidentClock{}
	for rows.Next() {
		var c incidentClock
		var label string
		if err := rows.Scan(&c.Duty, &c.RuleID, &label, &c.Citation, tm(&c.DueAt), tm(&c.remindAt), nulltm(&c.DoneAt),
			str(&c.DoneByID), &c.Reference, &c.NotRequired, &c.Note, nulltm(&c.RemindedAt), nulltm(&c.EscalatedAt)); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(label), &c.Label); err != nil {
			return nil, fmt.Errorf("sqlstore: incident clock label: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// secretValue returns a pointer to the field of inc named by its JSON name
// among distans.IncidentSecretFields.
func secretValue(inc *distans.Incident, field string) *string {
	switch field {
	case "description":
		return &inc.Description
	case "systems":
		return &inc.Systems
	case "police_report":
		return &inc.PoliceReport
	}
	return nil
}

// redactSecrets empties the secret fields and names them in Redacted.
func redactSecrets(inc *distans.Incident) {
	inc.Redacted = nil
	for _, f := range inc.SecretFields {
		if p := secretValue(inc, f); p != nil {
			*p = ""
			inc.Redacted = append(inc.Redacted, f)
		}
	}
}

// revealsSecrets reports whether inc, as the actor gets it, carries a
// secret field with something in it: a read to audit.
func revealsSecrets(inc *distans.Incident) bool {
	for _, f := range inc.SecretFields {
		if p := secretValue(inc, f); p != nil && *p != "" {
			return true
		}
	}
	return false
}

// present cuts inc down to what acc sees (see the top of this file).
func present(inc *distans.Incident, acc distans.IncidentAccess) {
	switch acc {
	case distans.IncidentAccessFull:
		inc.Redacted = nil
	case distans.IncidentAccessUnit:
		redactSecrets(inc)
	default:
		redactSecrets(inc)
		inc.Severity, inc.OwnerID, inc.OwnerName, inc.PackVersion = "", "", "", 0
		inc.Clocks, inc.Measures, inc.Links = []distans.IncidentClock{}, []distans.IncidentMeasure{}, []distans.IncidentLink{}
	}
}

// FindIncident returns an incident the actor sees, cut down to what they
// see (Actor.IncidentAccess). A read that hands out the content of a
// secret field is audited as AuditIncidentSecretRead.
func (s *Store) FindIncident(ctx context.Context, id string) (*distans.Incident, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var g *incident
	var acc distans.IncidentAccess
	err = s.read(ctx, func(tx *sql.Tx) error {
		g, acc, err = visibleIncident(ctx, tx, act, id, "")
		return err
	})
	if err != nil {
		return nil, err
	}
	present(g.Incident, acc)
	if revealsSecrets(g.Incident) {
		err := s.write(ctx, func(tx *sql.Tx) error {
			return s.audit(ctx, tx, act, g.OrganisationID, AuditIncidentSecretRead, "incident", g.ID,
				g.Number+": read the secret fields "+strings.Join(g.SecretFields, ", "))
		})
		if err != nil {
			return nil, err
		}
	}
	return g.Incident, nil
}

// incidentVisibleSQL is Actor.IncidentAccess as an SQL condition on the
// columns of incidentFrom: what the actor sees at any level.
func incidentVisibleSQL(a *args, act *distans.Actor) string {
	if act.System {
		return "1 = 1"
	}
	path := "COALESCE(u.path, '')"
	var or []string
	var everywhere []string
	for _, k := range distans.IncidentKinds {
		sc := act.HandlesIncidentsIn(k)
		switch {
		case sc.None():
		case sc.All:
			everywhere = append(everywhere, a.add(string(k)))
		default:
			or = append(or, "(i.kind = "+a.add(string(k))+" AND "+scopeSQL(a, path, sc)+")")
		}
	}
	if len(everywhere) > 0 {
		or = append(or, "i.kind IN ("+strings.Join(everywhere, ", ")+")")
	}
	if act.PersonID != "" {
		me := a.add(act.PersonID)
		or = append(or, "i.owner_id = "+me, "i.reporter_id = "+me, "i.registered_by_id = "+me)
		if sc := act.RoleScope(distans.RoleManager); !sc.None() {
			or = append(or, scopeSQL(a, path, sc), scopeSQL(a, "COALESCE(op.unit_path, '')", sc))
		}
	}
	if len(or) == 0 {
		return "1 = 0"
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

// Limits of a page of incidents.
const (
	defaultIncidentPage = 50
	maxIncidentPage     = 500
)

// ListIncidents returns the incidents the actor sees, filtered: with Mine
// the actor's own reports (and those registered for others), newest
// first; otherwise the queue, by the nearest open deadline, incidents
// without one (closed, or with every clock done) last and newest first
// among them. After is the cursor that the previous page's last incident
// gives (distans.Incident.Cursor). Lists carry no clocks' history beyond the
// clocks, and withhold the secret fields from everyone (see above).
func (s *Store) ListIncidents(ctx context.Context, f distans.IncidentFilter) ([]*distans.Incident, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var a args
	where := []string{"i.organisation_id = " + a.add(act.OrganisationID), incidentVisibleSQL(&a, act)}
	if f.Mine {
		if act.PersonID == "" {
			return []*distans.Incident{}, nil
		}
		me := a.add(act.PersonID)
		where = append(where, "(i.reporter_id = "+me+" OR i.registered_by_id = "+me+")")
	}
	if f.State != "" {
		where = append(where, "i.state = "+a.add(string(f.State)))
	}
	if f.Kind != "" {
		where = append(where, "i.kind = "+a.add(string(f.Kind)))
	}
	if f.Open {
		where = append(where, "i.state <> 'closed'")
	}
	order := " ORDER BY i.next_due_at NULLS LAST, i.id DESC"
	if f.Mine {
		order = " ORDER BY i.id DESC"
	}
	if f.After != "" {
		due, id, ok := parseIncidentCursor(f.After)
		switch {
		case !ok:
			return nil, invalid("after", "Ogiltig sidmarkör.", "Invalid page cursor.")
		case f.Mine:
			where = append(where, "i.id < "+a.add(id))
		case due == "":
			where = append(where, "(i.next_due_at IS NULL AND i.id < "+a.add(id)+")")
		default:
			d := s.sqlTS(a.add(due))
			where = append(where, "(i.next_due_at IS NULL OR i.next_due_at > "+d+" OR (i.next_due_at = "+d+" AND i.id < "+a.add(id)+"))")
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultIncidentPage
	}
	limit = min(limit, maxIncidentPage)
	var out []*distans.Incident
	err = s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+incidentCols+incidentFrom+`
			WHERE `+strings.Join(where, " AND ")+order+limitRows(limit), a...)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = nil
		for rows.Next() {
			g, err := scanIncident(rows)
			if err != nil {
				return err
			}
			out = append(out, g.Incident)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		// The clocks of the page, in one statement, for the countdowns.
		return attachClocks(ctx, tx, act.OrganisationID, out)
	})
	if err != nil {
		return nil, err
	}
	list := make([]*distans.Incident, 0, len(out))
	for _, inc := range out {
		acc := act.IncidentAccess(inc)
		if acc == distans.IncidentNoAccess {
			continue // the SQL and the rule disagree: the rule wins
		}
		present(inc, acc)
		redactSecrets(inc)
		list = append(list, inc)
	}
	return list, nil
}

// attachClocks reads the clocks of a page of incidents in one statement.
func attachClocks(ctx context.Context, q querier, orgID string, incs []*distans.Incident) error {
	if len(incs) == 0 {
		return nil
	}
	var a args
	org := a.add(orgID)
	ph := make([]string, len(incs))
	byID := make(map[string]*distans.Incident, len(incs))
	for i, inc := range incs {
		ph[i] = a.add(inc.ID)
		byID[inc.ID] = inc
	}
	rows, err := q.QueryContext(ctx, `SELECT incident_id, duty, rule_id, label, citation, due_at, done_at, not_required
		FROM incident_clocks WHERE organisation_id = `+org+` AND incident_id IN (`+strings.Join(ph, ", ")+`)
		ORDER BY incident_id, due_at, duty`, a...)
	if err != nil {
		return err
	}
	defer rows.Close()
	at := now(ctx)
	for rows.Next() {
		var id, label string
		var c distans.IncidentClock
		if err := rows.Scan(&id, &c.Duty, &c.RuleID, &label, &c.Citation, tm(&c.DueAt), nulltm(&c.DoneAt), &c.NotRequired); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(label), &c.Label); err != nil {
			return err
		}
		c.Passed = c.Open() && at.After(c.DueAt)
		byID[id].Clocks = append(byID[id].Clocks, c)
	}
	return rows.Err()
}

func parseIncidentCursor(c string) (due, id string, ok bool) {
	due, id, ok = strings.Cut(c, "|")
	if !ok || id == "" {
		return "", "", false
	}
	if due != "" {
		t, err := time.Parse(time.RFC3339Nano, due)
		if err != nil {
			return "", "", false
		}
		due = ts(t)
	}
	return due, id, true
}

// incidentHandlersOf returns the people who handle incidents of kind k in
// the unit at unitPath (distans.IncidentHandlerRoles), other than except.
func incidentHandlersOf(ctx context.Context, q querier, orgID string, k distans.IncidentKind, unitPath string, today time.Time,
	except ...string) ([]string, error) {
	var roles []string
	for _, r := range distans.IncidentHandlerRoles(k) {
		roles = append(roles, string(r))
	}
	return roleHoldersOver(ctx, q, orgID, roles, unitPath, today, except...)
}
