package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
)

// The changes of an incident. Each reads the incident locked, checks who
// may make the change (Actor.HandlesIncident) and its version where the
// caller gives one, changes it, recomputes the clocks when a fact they
// read changed (Reclock), and writes the audit event, all in one
// transaction.

// nextIncidentNumber assigns the organisation's next registration number
// of the year: the counter row is updated in the reporting transaction,
// so two reports never share a number and a rolled-back one takes none.
func nextIncidentNumber(ctx context.Context, tx *sql.Tx, orgID string, year int) (int, string, error) {
	var last int
	if err := tx.QueryRowContext(ctx, `INSERT INTO incident_numbers (organisation_id, year, last) VALUES ($1, $2, 1)
		ON CONFLICT (organisation_id, year) DO UPDATE SET last = incident_numbers.last + 1 RETURNING last`,
		orgID, year).Scan(&last); err != nil {
		return 0, "", err
	}
	return last, fmt.Sprintf("INC %d/%04d", year, last), nil
}

// personInOrg returns the person of the organisation, or EINVALID on field
// when there is none: a person outside the organisation is bad input.
func personInOrg(ctx context.Context, q querier, orgID, id, field string) (*distans.Person, error) {
	p, err := findPersonRow(ctx, q, orgID, id)
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return nil, invalid(field, "Personen finns inte i organisationen.", "The person is not in the organisation.")
	}
	return p, err
}

// CreateIncident registers a report. The reporter is the actor, or the
// person r.OnBehalfOf names when the actor registers for someone who
// phoned (Actor.RegistersIncidentsForOthers). The incident belongs to the
// reporter's unit; its managers and the handlers of its kind there are
// told, once each. reclock gives the first clocks.
func (s *Store) CreateIncident(ctx context.Context, r *distans.IncidentReport, reclock Reclock) (*distans.Incident, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if act.System || act.PersonID == "" {
		return nil, distans.Forbidden()
	}
	if err := r.Validate(distans.NowFrom(ctx)); err != nil {
		return nil, err
	}
	reporterID := act.PersonID
	if r.OnBehalfOf != "" && r.OnBehalfOf != act.PersonID {
		if !act.RegistersIncidentsForOthers() {
			return nil, distans.Errorf(distans.EFORBIDDEN, "Du kan inte registrera incidenter åt andra.",
				"You cannot register incidents for others.")
		}
		reporterID = r.OnBehalfOf
	}
	var id string
	err = s.write(ctx, func(tx *sql.Tx) error {
		inc, err := s.insertIncident(ctx, tx, act, r, reporterID, reclock)
		if err != nil {
			return err
		}
		id = inc.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.FindIncident(ctx, id)
}

// insertIncident registers a report inside tx for the reporter reporterID,
// registered by the actor when they are someone else: the number, the
// first clocks (reclock), the notifications to the handlers of the kind
// and the reporter's managers, and the audit event. Whoever calls it has
// decided that the actor may report for the reporter (CreateIncident:
// Actor.RegistersIncidentsForOthers; an equipment loss report: the
// person or their manager), and has validated r.
func (s *Store) insertIncident(ctx context.Context, tx *sql.Tx, act *distans.Actor, r *distans.IncidentReport, reporterID string,
	reclock Reclock) (*distans.Incident, error) {
	at := now(ctx)
	reporter, err := personInOrg(ctx, tx, act.OrganisationID, reporterID, "on_behalf_of")
	if err != nil {
		return nil, err
	}
	today, err := s.today(ctx, tx, act.OrganisationID)
	if err != nil {
		return nil, err
	}
	seq, number, err := nextIncidentNumber(ctx, tx, act.OrganisationID, today.Year())
	if err != nil {
		return nil, err
	}
	inc := &distans.Incident{ID: newID(), OrganisationID: act.OrganisationID, Number: number, Kind: r.Kind,
		Title: strings.TrimSpace(r.Title), Description: r.Description, OccurredAt: utcPtr(r.OccurredAt),
		DiscoveredAt: r.DiscoveredAt.UTC(), Systems: r.Systems, Ongoing: r.Ongoing, ReporterID: reporter.ID,
		ReporterName: reporter.Name, UnitID: reporter.UnitID, UnitPath: reporter.UnitPath, State: distans.IncidentReported,
		OutsidePremises: r.OutsidePremises, InjurySerious: r.InjurySerious, Version: 1, CreatedAt: at, UpdatedAt: at}
	if reporter.ID != act.PersonID {
		inc.RegisteredByID = act.PersonID
	}
	clocks, err := reclock(inc, nil)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO incidents (organisation_id, id, year, seq, number, kind, title, description,
		occurred_at, discovered_at, systems, ongoing, reporter_id, registered_by_id, unit_id, state, injury_serious,
		outside_premises, pack_version, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`,
		inc.OrganisationID, inc.ID, today.Year(), seq, inc.Number, string(inc.Kind), inc.Title, inc.Description,
		nullTS(inc.OccurredAt), ts(inc.DiscoveredAt), inc.Systems, inc.Ongoing, inc.ReporterID, nullStr(inc.RegisteredByID),
		nullStr(inc.UnitID), string(inc.State), inc.InjurySerious, inc.OutsidePremises, inc.PackVersion, inc.Version,
		ts(at), ts(at)); err != nil {
		return nil, err
	}
	if err := saveIncidentClocks(ctx, tx, inc, clocks); err != nil {
		return nil, err
	}
	if err := notifyIncidentHandlers(ctx, tx, inc, today, act.PersonID); err != nil {
		return nil, err
	}
	managers, err := managersOf(ctx, tx, inc.OrganisationID, inc.UnitPath, today, inc.ReporterID, act.PersonID)
	if err != nil {
		return nil, err
	}
	if inc.UnitPath == "" {
		managers = nil // managersOf counts organisation-wide grants for a unit of none
	}
	if err := notifyIncident(ctx, tx, inc, distans.NotifyIncidentReported, "reported", managers...); err != nil {
		return nil, err
	}
	summary := inc.Number + ": reported (" + string(inc.Kind) + ")"
	if inc.RegisteredByID != "" {
		summary += " for " + reporter.Name
	}
	return inc, s.audit(ctx, tx, act, inc.OrganisationID, "incident.report", "incident", inc.ID, summary)
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// notifyIncidentHandlers tells the handlers of the incident's kind in its
// unit of it, once each: on reporting, and when triage changes the kind
// (a personal-data incident brings in the data protection officer, Vara
// 001 §2.7).
func notifyIncidentHandlers(ctx context.Context, tx *sql.Tx, inc *distans.Incident, today time.Time, except ...string) error {
	handlers, err := incidentHandlersOf(ctx, tx, inc.OrganisationID, inc.Kind, inc.UnitPath, today, except...)
	if err != nil {
		return err
	}
	return notifyIncident(ctx, tx, inc, distans.NotifyIncidentReported, "reported", handlers...)
}

// notifyIncident makes one notification of kind for each recipient, keyed
// "incident/<id>/<occasion>/<recipient>". The parameters name the
// incident by number and kind only: an e-mail leaves the organisation's
// systems, and the title may say too much.
func notifyIncident(ctx context.Context, tx *sql.Tx, inc *distans.Incident, kind distans.NotificationKind, occasion string,
	recipients ...string) error {
	return notifyIncidentWith(ctx, tx, inc, kind, occasion, nil, recipients...)
}

func notifyIncidentWith(ctx context.Context, tx *sql.Tx, inc *distans.Incident, kind distans.NotificationKind, occasion string,
	extra map[string]string, recipients ...string) error {
	seen := map[string]bool{}
	for _, r := range recipients {
		if r == "" || seen[r] {
			continue
		}
		seen[r] = true
		params := map[string]string{"number": inc.Number, "kind": string(inc.Kind)}
		for k, v := range extra {
			params[k] = v
		}
		if _, err := notify(ctx, tx, &distans.Notification{OrganisationID: inc.OrganisationID, PersonID: r,
			Key: "incident/" + inc.ID + "/" + occasion + "/" + r, Kind: kind, Params: params,
			Link: "/incidents/" + inc.ID}); err != nil {
			return err
		}
	}
	return nil
}

// reminderLead is how long before a deadline its reminder goes: a quarter
// of the time the duty has from the discovery, at most a day. A 72-hour
// notification is reminded of 18 hours before, a month's final report a
// day before, a same-day report a few hours before.
func reminderLead(discovered, due time.Time) time.Duration {
	return min(24*time.Hour, max(due.Sub(discovered), 0)/4)
}

// saveIncidentClocks makes the stored clocks of inc those computed: a
// clock whose duty is still required keeps what was recorded of it (done,
// waived, reminded) and takes the new deadline, its reminder and
// escalation going again if the deadline moved; an open clock whose duty
// is no longer required goes, a done one stays as the record of what was
// done. inc.Clocks becomes the result and next_due_at the nearest open
// deadline.
func saveIncidentClocks(ctx context.Context, tx *sql.Tx, inc *distans.Incident, computed []distans.IncidentClock) error {
	old, err := listClockRows(ctx, tx, inc.OrganisationID, inc.ID)
	if err != nil {
		return err
	}
	byDuty := map[string]incidentClock{}
	for _, c := range old {
		byDuty[c.Duty] = c
	}
	want := map[string]bool{}
	for _, c := range computed {
		if c.Duty == "" || want[c.Duty] {
			continue
		}
		want[c.Duty] = true
		label, err := json.Marshal(c.Label)
		if err != nil {
			return err
		}
		remind := c.DueAt.Add(-reminderLead(inc.DiscoveredAt, c.DueAt))
		e, ok := byDuty[c.Duty]
		switch {
		case !ok:
			_, err = tx.ExecContext(ctx, `INSERT INTO incident_clocks (organisation_id, incident_id, duty, rule_id, label, citation,
				due_at, remind_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, inc.OrganisationID, inc.ID, c.Duty, c.RuleID,
				string(label), c.Citation, ts(c.DueAt), ts(remind))
		case e.DueAt.Equal(c.DueAt.UTC().Truncate(time.Microsecond)) || !e.Open():
			_, err = tx.ExecContext(ctx, `UPDATE incident_clocks SET rule_id = $1, label = $2, citation = $3
				WHERE organisation_id = $4 AND incident_id = $5 AND duty = $6`, c.RuleID, string(label), c.Citation,
				inc.OrganisationID, inc.ID, c.Duty)
		default:
			_, err = tx.ExecContext(ctx, `UPDATE incident_clocks SET rule_id = $1, label = $2, citation = $3, due_at = $4,
				remind_at = $5, reminded_at = NULL, escalated_at = NULL
				WHERE organisation_id = $6 AND incident_id = $7 AND duty = $8`, c.RuleID, string(label), c.Citation,
				ts(c.DueAt), ts(remind), inc.OrganisationID, inc.ID, c.Duty)
		}
		if err != nil {
			return err
		}
	}
	for _, c := range old {
		if !want[c.Duty] && c.Open() {
			if _, err := tx.ExecContext(ctx, `DELETE FROM incident_clocks WHERE organisation_id = $1 AND incident_id = $2 AND duty = $3`,
				inc.OrganisationID, inc.ID, c.Duty); err != nil {
				return err
			}
		}
	}
	return refreshNextDue(ctx, tx, inc)
}

// refreshNextDue reads the clocks back into inc and keeps next_due_at, the
// queue's sort key, the nearest open deadline (none once closed).
func refreshNextDue(ctx context.Context, tx *sql.Tx, inc *distans.Incident) error {
	var err error
	if inc.Clocks, err = listIncidentClocks(ctx, tx, inc.OrganisationID, inc.ID); err != nil {
		return err
	}
	var next any
	if d := inc.NextDeadline(); d != nil && inc.State != distans.IncidentClosed {
		next = ts(d.DueAt)
	}
	_, err = tx.ExecContext(ctx, `UPDATE incidents SET next_due_at = $1 WHERE organisation_id = $2 AND id = $3`,
		next, inc.OrganisationID, inc.ID)
	return err
}

// saveIncident writes the changed facts of inc with its next version.
func saveIncident(ctx context.Context, tx *sql.Tx, g *incident) error {
	secret, err := json.Marshal(nonNil(g.SecretFields))
	if err != nil {
		return err
	}
	g.Version++
	g.UpdatedAt = touched(ctx, g.UpdatedAt)
	_, err = tx.ExecContext(ctx, `UPDATE incidents SET kind = $1, state = $2, severity = $3, owner_id = $4,
		cyber_significant = $5, injury_serious = $6, outside_premises = $7, police_report = $8, secret_fields = $9,
		pack_version = $10, version = $11, updated_at = $12, closed_at = $13, imy_filed_at = $14
		WHERE organisation_id = $15 AND id = $16`,
		string(g.Kind), string(g.State), string(g.Severity), nullStr(g.OwnerID), g.CyberSignificant, g.InjurySerious,
		g.OutsidePremises, g.PoliceReport, string(secret), g.PackVersion, g.Version, ts(g.UpdatedAt), nullTS(g.ClosedAt),
		nullTS(g.imyFiledAt), g.OrganisationID, g.ID)
	return err
}

// validateTriage checks the triage's values, not who may make it.
func validateTriage(t *distans.IncidentTriage) error {
	var v distans.Validation
	if !t.Kind.Valid() {
		v.Add("kind", "Välj vad som har hänt.", "Choose what kind of incident it is.")
	}
	if !slices.Contains(distans.IncidentSeverities, t.Severity) {
		v.Add("severity", "Välj hur allvarlig incidenten är.", "Choose how serious the incident is.")
	}
	v.Required("owner_id", t.OwnerID)
	for _, f := range t.SecretFields {
		if !slices.Contains(distans.IncidentSecretFields, f) {
			v.Add("secret_fields", "Okänt fält att sekretessmarkera: "+f+".", "Unknown field to mark secret: "+f+".")
		}
	}
	return v.Err()
}

// TriageIncident records the triage of one who handles the incident: its
// kind, severity, owner, the facts the clocks depend on and the fields
// marked secret. The clocks are computed again (reclock); the owner is
// told, and when the kind changed, the handlers of the new kind.
func (s *Store) TriageIncident(ctx context.Context, id string, t distans.IncidentTriage, reclock Reclock) (*distans.Incident, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := validateTriage(&t); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		g, err := handledIncident(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if t.Version != g.Version {
			return errIncidentStale()
		}
		owner, err := personInOrg(ctx, tx, g.OrganisationID, t.OwnerID, "owner_id")
		if err != nil {
			return err
		}
		kindChanged := t.Kind != g.Kind
		var changes []string
		if kindChanged {
			changes = append(changes, "kind "+string(g.Kind)+" → "+string(t.Kind))
		}
		if t.Severity != g.Severity {
			changes = append(changes, "severity "+string(t.Severity))
		}
		if t.OwnerID != g.OwnerID {
			changes = append(changes, "owner "+owner.Name)
		}
		secret := slices.Clone(t.SecretFields)
		slices.Sort(secret)
		secret = slices.Compact(secret)
		if !slices.Equal(secret, g.SecretFields) {
			changes = append(changes, "secret fields ["+strings.Join(secret, ", ")+"]")
		}
		g.Kind, g.Severity, g.OwnerID, g.OwnerName = t.Kind, t.Severity, owner.ID, owner.Name
		g.CyberSignificant, g.InjurySerious, g.OutsidePremises = t.CyberSignificant, t.InjurySerious, t.OutsidePremises
		g.SecretFields = secret
		if g.State == distans.IncidentReported {
			g.State = distans.IncidentHandling
		}
		if err := s.reclockIncident(ctx, tx, g, reclock); err != nil {
			return err
		}
		if err := saveIncident(ctx, tx, g); err != nil {
			return err
		}
		today, err := s.today(ctx, tx, g.OrganisationID)
		if err != nil {
			return err
		}
		if owner.ID != act.PersonID {
			if err := notifyIncident(ctx, tx, g.Incident, distans.NotifyIncidentAssigned, "assigned", owner.ID); err != nil {
				return err
			}
		}
		if kindChanged {
			if err := notifyIncidentHandlers(ctx, tx, g.Incident, today, act.PersonID); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, act, g.OrganisationID, "incident.triage", "incident", g.ID,
			g.Number+": triaged ("+strings.Join(append(changes, "flags "+incidentFlags(g.Incident)), "; ")+")")
	})
	if err != nil {
		return nil, err
	}
	return s.FindIncident(ctx, id)
}

// reclockIncident computes the clocks of g's facts as they now stand and
// stores them.
func (s *Store) reclockIncident(ctx context.Context, tx *sql.Tx, g *incident, reclock Reclock) error {
	clocks, err := reclock(g.Incident, g.imyFiledAt)
	if err != nil {
		return err
	}
	return saveIncidentClocks(ctx, tx, g.Incident, clocks)
}

// incidentFlags names the facts set, for audit summaries.
func incidentFlags(inc *distans.Incident) string {
	var f []string
	for _, x := range []struct {
		on   bool
		name string
	}{{inc.CyberSignificant, "cyber_significant"}, {inc.InjurySerious, "injury_serious"},
		{inc.OutsidePremises, "outside_premises"}, {inc.Ongoing, "ongoing"}} {
		if x.on {
			f = append(f, x.name)
		}
	}
	if len(f) == 0 {
		return "none"
	}
	return strings.Join(f, ",")
}
