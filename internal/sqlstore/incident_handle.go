package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

// The handling of an incident after triage: its duties, the risk
// assessment, the notification to IMY, measures, links, closing and the
// timeline. Every change is made by one who handles the incident
// (Actor.HandlesIncident) and moves its version.

// Limits of the handling's texts, in characters.
const (
	maxIncidentNote      = distans.MaxIncidentText
	maxIncidentReference = 200
)

// checkWhen refuses a time before the discovery or in the future.
func checkWhen(v *distans.Validation, field string, at time.Time, inc *distans.Incident, now time.Time) {
	switch {
	case at.IsZero():
		v.Add(field, "Ange när.", "Give the time.")
	case at.Before(inc.DiscoveredAt):
		v.Add(field, "Tiden kan inte ligga före upptäckten.", "The time cannot be before the discovery.")
	case at.Truncate(time.Microsecond).After(now):
		v.Add(field, "Tiden kan inte ligga i framtiden.", "The time cannot be in the future.")
	}
}

// clockOf returns the incident's clock of the duty, or EINVALID.
func clockOf(inc *distans.Incident, duty string) (*distans.IncidentClock, error) {
	for i := range inc.Clocks {
		if inc.Clocks[i].Duty == duty {
			return &inc.Clocks[i], nil
		}
	}
	return nil, invalid("duty", "Incidenten har ingen sådan frist.", "The incident has no such deadline.")
}

// markClockDone records a duty as done at at by the actor.
func markClockDone(ctx context.Context, tx *sql.Tx, inc *distans.Incident, duty string, at time.Time, byID, reference string,
	notRequired bool, note string) error {
	_, err := tx.ExecContext(ctx, `UPDATE incident_clocks SET done_at = $1, done_by_id = $2, reference = $3, not_required = $4,
		note = $5 WHERE organisation_id = $6 AND incident_id = $7 AND duty = $8`,
		ts(at), nullStr(byID), reference, notRequired, note, inc.OrganisationID, inc.ID, duty)
	return err
}

// RecordIncidentDuty fulfils or waives one clock of the incident: done at
// d.At (not before the discovery, not in the future) with its reference,
// or not required with the documented reasons. A police report's number
// becomes the incident's.
func (s *Store) RecordIncidentDuty(ctx context.Context, id string, d distans.IncidentDutyRecord) (*distans.Incident, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	at := now(ctx)
	err = s.write(ctx, func(tx *sql.Tx) error {
		g, err := handledIncident(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		c, err := clockOf(g.Incident, d.Duty)
		if err != nil {
			return err
		}
		var v distans.Validation
		checkWhen(&v, "at", d.At, g.Incident, at)
		v.MaxLen("reference", d.Reference, maxIncidentReference)
		v.MaxLen("note", d.Note, maxIncidentNote)
		if d.NotRequired && strings.TrimSpace(d.Note) == "" {
			v.Add("note", "Skriv skälen till att det inte behövs.", "Give the reasons why it is not required.")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if !c.Open() {
			return distans.Errorf(distans.ECONFLICT, "Fristen är redan avklarad.", "The deadline has already been dealt with.")
		}
		if err := markClockDone(ctx, tx, g.Incident, d.Duty, d.At, act.PersonID, strings.TrimSpace(d.Reference),
			d.NotRequired, strings.TrimSpace(d.Note)); err != nil {
			return err
		}
		if d.Duty == distans.DutyPoliceReport && strings.TrimSpace(d.Reference) != "" {
			g.PoliceReport = strings.TrimSpace(d.Reference)
		}
		if err := refreshNextDue(ctx, tx, g.Incident); err != nil {
			return err
		}
		if err := saveIncident(ctx, tx, g); err != nil {
			return err
		}
		what := "done"
		if d.NotRequired {
			what = "not required"
		}
		return s.audit(ctx, tx, act, g.OrganisationID, "incident.duty", "incident", g.ID, g.Number+": "+d.Duty+" "+what)
	})
	if err != nil {
		return nil, err
	}
	return s.FindIncident(ctx, id)
}

// validateRisk checks a risk assessment's values.
func validateRisk(a *distans.IncidentRiskAssessment) error {
	var v distans.Validation
	if len(a.DataCategories) == 0 {
		v.Add("data_categories", "Ange vilka slags uppgifter som berörs.", "Give the kinds of data concerned.")
	}
	for _, c := range a.DataCategories {
		if !slices.Contains(distans.IncidentDataCategories, c) {
			v.Add("data_categories", "Okänd sorts uppgifter: "+c+".", "Unknown kind of data: "+c+".")
		}
	}
	for _, c := range a.Consequences {
		if !slices.Contains(distans.IncidentConsequences, c) {
			v.Add("consequences", "Okänd följd: "+c+".", "Unknown consequence: "+c+".")
		}
	}
	if !slices.Contains(distans.IncidentRiskLevels, a.RiskLevel) {
		v.Add("risk_level", "Välj hur stor risken är.", "Choose how great the risk is.")
	}
	if a.SubjectCount < 0 {
		v.Add("subject_count", "Antalet kan inte vara negativt.", "The number cannot be negative.")
	}
	if a.RecordCount < 0 {
		v.Add("record_count", "Antalet kan inte vara negativt.", "The number cannot be negative.")
	}
	v.Required("data_subjects", a.DataSubjects)
	v.MaxLen("data_subjects", a.DataSubjects, maxIncidentNote)
	v.Required("reasoning", a.Reasoning)
	v.MaxLen("reasoning", a.Reasoning, maxIncidentNote)
	return v.Err()
}

// riskBody is what a risk assessment keeps as JSON.
type riskBody struct {
	DataCategories []string `json:"data_categories"`
	DataSubjects   string   `json:"data_subjects"`
	SubjectCount   int      `json:"subject_count"`
	RecordCount    int      `json:"record_count"`
	Consequences   []string `json:"consequences"`
	RiskLevel      string   `json:"risk_level"`
	Reasoning      string   `json:"reasoning"`
}

// AddIncidentRiskAssessment stores a new version of the risk assessment
// of a personal-data incident; the earlier versions are kept.
func (s *Store) AddIncidentRiskAssessment(ctx context.Context, id string, a *distans.IncidentRiskAssessment) (*distans.Incident, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := validateRisk(a); err != nil {
		return nil, err
	}
	at := now(ctx)
	err = s.write(ctx, func(tx *sql.Tx) error {
		g, err := handledIncident(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if g.Kind != distans.IncidentPersonalData {
			return invalid("kind", "Riskbedömningen gäller personuppgiftsincidenter.", "The risk assessment is for personal-data incidents.")
		}
		var last int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM incident_risk_assessments
			WHERE organisation_id = $1 AND incident_id = $2`, g.OrganisationID, g.ID).Scan(&last); err != nil {
			return err
		}
		body, err := json.Marshal(riskBody{nonNil(a.DataCategories), strings.TrimSpace(a.DataSubjects), a.SubjectCount,
			a.RecordCount, nonNil(a.Consequences), a.RiskLevel, strings.TrimSpace(a.Reasoning)})
		if err != nil {
			return err
		}
		a.Version, a.AssessedByID, a.AssessedAt = last+1, act.PersonID, at
		if _, err := tx.ExecContext(ctx, `INSERT INTO incident_risk_assessments (organisation_id, incident_id, version, body,
			assessed_by_id, assessed_at) VALUES ($1, $2, $3, $4, $5, $6)`, g.OrganisationID, g.ID, a.Version, string(body),
			act.PersonID, ts(at)); err != nil {
			return err
		}
		if err := saveIncident(ctx, tx, g); err != nil {
			return err
		}
		return s.audit(ctx, tx, act, g.OrganisationID, "incident.risk_assess", "incident", g.ID,
			g.Number+": risk assessment version "+strconv.Itoa(a.Version)+" ("+a.RiskLevel+")")
	})
	if err != nil {
		return nil, err
	}
	return s.FindIncident(ctx, id)
}

// errHandlingOnly refuses the handling's records to one who sees the
// incident but not its handling.
func errHandlingOnly() error {
	return distans.Errorf(distans.EFORBIDDEN, "Du ser inte incidentens handläggning.", "You do not see the incident's handling.")
}

// IncidentRiskAssessments returns the versions of the risk assessment,
// newest first, to those who see the incident's handling.
func (s *Store) IncidentRiskAssessments(ctx context.Context, id string) ([]*distans.IncidentRiskAssessment, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	out := []*distans.IncidentRiskAssessment{}
	err = s.read(ctx, func(tx *sql.Tx) error {
		_, acc, err := visibleIncident(ctx, tx, act, id, "")
		if err != nil {
			return err
		}
		if acc < distans.IncidentAccessUnit {
			return errHandlingOnly()
		}
		rows, err := tx.QueryContext(ctx, `SELECT version, body, assessed_by_id, assessed_at FROM incident_risk_assessments
			WHERE organisation_id = $1 AND incident_id = $2 ORDER BY version DESC`, act.OrganisationID, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a distans.IncidentRiskAssessment
			var body string
			if err := rows.Scan(&a.Version, &body, &a.AssessedByID, tm(&a.AssessedAt)); err != nil {
				return err
			}
			var b riskBody
			if err := json.Unmarshal([]byte(body), &b); err != nil {
				return fmt.Errorf("sqlstore: risk assessment: %w", err)
			}
			a.DataCategories, a.DataSubjects, a.SubjectCount, a.RecordCount = b.DataCategories, b.DataSubjects, b.SubjectCount, b.RecordCount
			a.Consequences, a.RiskLevel, a.Reasoning = b.Consequences, b.RiskLevel, b.Reasoning
			out = append(out, &a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// IMYCategories are the kinds of breach IMY's form asks for.
var IMYCategories = []string{"confidentiality", "integrity", "availability"}

// IMYSecretParts are the parts of the notification that may be marked
// secret before it becomes a public record (by their JSON names).
var IMYSecretParts = []string{"contact", "data_subjects", "data_kinds", "consequences", "measures", "subjects_informed"}

// validateIMY checks a notification against the incident and now.
func validateIMY(n *distans.IMYNotification, inc *distans.Incident, at time.Time) error {
	var v distans.Validation
	v.Required("controller", n.Controller)
	v.MaxLen("controller", n.Controller, 300)
	v.MaxLen("org_number", n.OrgNumber, 20)
	v.MaxLen("contact", n.Contact, 1000)
	if n.Category != "" && !slices.Contains(IMYCategories, n.Category) {
		v.Add("category", "Okänd sorts incident.", "Unknown kind of breach.")
	}
	for _, f := range []struct{ name, val string }{{"data_subjects", n.DataSubjects}, {"data_kinds", n.DataKinds},
		{"consequences", n.Consequences}, {"measures", n.Measures}, {"subjects_informed", n.SubjectsInformed},
		{"late_reasons", n.LateReasons}} {
		v.MaxLen(f.name, f.val, maxIncidentNote)
	}
	v.MaxLen("imy_reference", n.IMYReference, maxIncidentReference)
	if n.SubjectCount < 0 {
		v.Add("subject_count", "Antalet kan inte vara negativt.", "The number cannot be negative.")
	}
	for _, p := range n.SecretParts {
		if !slices.Contains(IMYSecretParts, p) {
			v.Add("secret_parts", "Okänd del att sekretessmarkera: "+p+".", "Unknown part to mark secret: "+p+".")
		}
	}
	if n.StartedAt != nil && n.EndedAt != nil && n.EndedAt.Before(*n.StartedAt) {
		v.Add("ended_at", "Incidenten kan inte ha upphört innan den började.", "The incident cannot have ended before it started.")
	}
	if n.StartedAt != nil && n.StartedAt.Truncate(time.Microsecond).After(at) {
		v.Add("started_at", "Tiden kan inte ligga i framtiden.", "The time cannot be in the future.")
	}
	if n.FiledAt != nil {
		switch {
		case n.FiledAt.Before(inc.DiscoveredAt):
			v.Add("filed_at", "Anmälan kan inte ha gjorts före upptäckten.", "The notification cannot have been filed before the discovery.")
		case n.FiledAt.Truncate(time.Microsecond).After(at):
			v.Add("filed_at", "Tiden kan inte ligga i framtiden.", "The time cannot be in the future.")
		}
	}
	return v.Err()
}

// readIMY returns the stored notification of the incident, or nil.
func readIMY(ctx context.Context, q querier, orgID, id string) (*distans.IMYNotification, error) {
	var body *string
	err := q.QueryRowContext(ctx, `SELECT imy FROM incidents WHERE organisation_id = $1 AND id = $2`, orgID, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errIncidentNotFound()
	} else if err != nil || body == nil {
		return nil, err
	}
	n := &distans.IMYNotification{}
	if err := json.Unmarshal([]byte(*body), n); err != nil {
		return nil, fmt.Errorf("sqlstore: imy notification: %w", err)
	}
	return n, nil
}

func writeIMY(ctx context.Context, tx *sql.Tx, orgID, id string, n *distans.IMYNotification) error {
	n.Supplements = nonNil(n.Supplements)
	body, err := json.Marshal(n)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE incidents SET imy = $1 WHERE organisation_id = $2 AND id = $3`, string(body), orgID, id)
	return err
}

// SaveIMYNotification stores the notification to IMY of a personal-data
// incident, keeping its supplements. Once FiledAt is given the filing is
// a fact of the clocks: the notification duty is done then (with IMY's
// reference) and the supplement clock counts from it (reclock). A filing
// once recorded is not taken back.
func (s *Store) SaveIMYNotification(ctx context.Context, id string, n *distans.IMYNotification, reclock Reclock) error {
	act, err := actorIn(ctx)
	if err != nil {
		return err
	}
	at := now(ctx)
	return s.write(ctx, func(tx *sql.Tx) error {
		g, err := handledIncident(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if g.Kind != distans.IncidentPersonalData {
			return invalid("kind", "Anmälan till IMY gäller personuppgiftsincidenter.", "The notification to IMY is for personal-data incidents.")
		}
		if n.DiscoveredAt.IsZero() {
			n.DiscoveredAt = g.DiscoveredAt
		}
		if err := validateIMY(n, g.Incident, at); err != nil {
			return err
		}
		old, err := readIMY(ctx, tx, g.OrganisationID, g.ID)
		if err != nil {
			return err
		}
		if old != nil {
			n.Supplements = old.Supplements
			if old.FiledAt != nil && n.FiledAt == nil {
				return invalid("filed_at", "Anmälan är redan inskickad; datumet kan inte tas bort.",
					"The notification has been filed; its date cannot be removed.")
			}
		}
		n.UpdatedAt = at
		if err := writeIMY(ctx, tx, g.OrganisationID, g.ID, n); err != nil {
			return err
		}
		action := "incident.imy_save"
		if n.FiledAt != nil && (g.imyFiledAt == nil || !g.imyFiledAt.Equal(n.FiledAt.UTC().Truncate(time.Microsecond))) {
			action = "incident.imy_filed"
			filed := n.FiledAt.UTC()
			g.imyFiledAt = &filed
			if c, err := clockOf(g.Incident, distans.DutyIMYNotification); err == nil && c.Open() {
				if err := markClockDone(ctx, tx, g.Incident, c.Duty, filed, act.PersonID, strings.TrimSpace(n.IMYReference), false, ""); err != nil {
					return err
				}
			}
			if err := s.reclockIncident(ctx, tx, g, reclock); err != nil {
				return err
			}
		}
		if err := saveIncident(ctx, tx, g); err != nil {
			return err
		}
		return s.audit(ctx, tx, act, g.OrganisationID, action, "incident", g.ID, g.Number+": notification to IMY saved")
	})
}

// IMYNotification returns the incident's notification to IMY to those who
// see the incident in full; ENOTFOUND when none is saved.
func (s *Store) IMYNotification(ctx context.Context, id string) (*distans.IMYNotification, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var n *distans.IMYNotification
	err = s.read(ctx, func(tx *sql.Tx) error {
		_, acc, err := visibleIncident(ctx, tx, act, id, "")
		if err != nil {
			return err
		}
		if acc < distans.IncidentAccessFull {
			return errHandlingOnly()
		}
		n, err = readIMY(ctx, tx, act.OrganisationID, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, distans.NotFound("Ingen anmälan till IMY är sparad.", "No notification to IMY is saved.")
	}
	return n, nil
}

// AddIMYSupplement adds a supplement sent to IMY after the filing; it
// fulfils the supplement duty if that is open.
func (s *Store) AddIMYSupplement(ctx context.Context, id string, sup distans.IMYSupplement) error {
	act, err := actorIn(ctx)
	if err != nil {
		return err
	}
	at := now(ctx)
	return s.write(ctx, func(tx *sql.Tx) error {
		g, err := handledIncident(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		n, err := readIMY(ctx, tx, g.OrganisationID, g.ID)
		if err != nil {
			return err
		}
		if n == nil || n.FiledAt == nil {
			return invalid("filed_at", "Anmälan till IMY är inte inskickad än.", "The notification to IMY has not been filed yet.")
		}
		var v distans.Validation
		v.Required("text", sup.Text)
		v.MaxLen("text", sup.Text, maxIncidentNote)
		switch {
		case sup.At.IsZero():
			v.Add("at", "Ange när.", "Give the time.")
		case sup.At.Before(*n.FiledAt):
			v.Add("at", "Kompletteringen kan inte ha skickats före anmälan.", "The supplement cannot have been sent before the notification.")
		case sup.At.Truncate(time.Microsecond).After(at):
			v.Add("at", "Tiden kan inte ligga i framtiden.", "The time cannot be in the future.")
		}
		if err := v.Err(); err != nil {
			return err
		}
		sup.At, sup.ByID, sup.Text = sup.At.UTC(), act.PersonID, strings.TrimSpace(sup.Text)
		n.Supplements = append(n.Supplements, sup)
		n.UpdatedAt = at
		if err := writeIMY(ctx, tx, g.OrganisationID, g.ID, n); err != nil {
			return err
		}
		if c, err := clockOf(g.Incident, distans.DutyIMYSupplement); err == nil && c.Open() {
			if err := markClockDone(ctx, tx, g.Incident, c.Duty, sup.At, act.PersonID, n.IMYReference, false, ""); err != nil {
				return err
			}
			if err := refreshNextDue(ctx, tx, g.Incident); err != nil {
				return err
			}
		}
		if err := saveIncident(ctx, tx, g); err != nil {
			return err
		}
		return s.audit(ctx, tx, act, g.OrganisationID, "incident.imy_supplement", "incident", g.ID,
			g.Number+": supplement "+strconv.Itoa(len(n.Supplements))+" sent to IMY")
	})
}

// AddIncidentMeasure adds a measure with an owner of the organisation and
// a due date.
func (s *Store) AddIncidentMeasure(ctx context.Context, id string, m distans.IncidentMeasure) (*distans.Incident, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var v distans.Validation
	v.Required("text", m.Text)
	v.MaxLen("text", m.Text, maxIncidentNote)
	v.Required("owner_id", m.OwnerID)
	if m.DueOn.IsZero() {
		v.Add("due_on", "Ange när åtgärden ska vara klar.", "Give the date the measure is due.")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	at := now(ctx)
	err = s.write(ctx, func(tx *sql.Tx) error {
		g, err := handledIncident(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if _, err := personInOrg(ctx, tx, g.OrganisationID, m.OwnerID, "owner_id"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO incident_measures (organisation_id, id, incident_id, text, owner_id, due_on,
			created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, g.OrganisationID, newID(), g.ID, strings.TrimSpace(m.Text),
			m.OwnerID, day(m.DueOn), ts(at)); err != nil {
			return err
		}
		if err := saveIncident(ctx, tx, g); err != nil {
			return err
		}
		return s.audit(ctx, tx, act, g.OrganisationID, "incident.measure_add", "incident", g.ID,
			g.Number+": measure due "+day(m.DueOn))
	})
	if err != nil {
		return nil, err
	}
	return s.FindIncident(ctx, id)
}

// CompleteIncidentMeasure marks a measure done now.
func (s *Store) CompleteIncidentMeasure(ctx context.Context, id, measureID string) (*distans.Incident, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		g, err := handledIncident(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(g.Measures, func(m distans.IncidentMeasure) bool { return m.ID == measureID })
		if i < 0 {
			return distans.NotFound("Åtgärden finns inte.", "The measure does not exist.")
		}
		if g.Measures[i].DoneAt != nil {
			return distans.Errorf(distans.ECONFLICT, "Åtgärden är redan klar.", "The measure is already done.")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incident_measures SET done_at = $1 WHERE organisation_id = $2 AND id = $3`,
			ts(now(ctx)), g.OrganisationID, measureID); err != nil {
			return err
		}
		if err := saveIncident(ctx, tx, g); err != nil {
			return err
		}
		return s.audit(ctx, tx, act, g.OrganisationID, "incident.measure_done", "incident", g.ID, g.Number+": measure done")
	})
	if err != nil {
		return nil, err
	}
	return s.FindIncident(ctx, id)
}

// AddIncidentLink links the incident to a person or an agreement of the
// organisation, or to an item of equipment by its inventory number (the
// equipment register is not in Distans yet, so the number is kept as
// given).
func (s *Store) AddIncidentLink(ctx context.Context, id string, l distans.IncidentLink) (*distans.Incident, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var v distans.Validation
	if !slices.Contains(distans.IncidentLinkKinds, l.Kind) {
		v.Add("kind", "Okänd sorts koppling.", "Unknown kind of link.")
	}
	v.Required("target_id", l.TargetID)
	v.MaxLen("target_id", l.TargetID, maxIncidentReference)
	v.MaxLen("label", l.Label, 300)
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		g, err := handledIncident(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		label := strings.TrimSpace(l.Label)
		switch l.Kind {
		case "person":
			p, err := personInOrg(ctx, tx, g.OrganisationID, l.TargetID, "target_id")
			if err != nil {
				return err
			}
			label = p.Name
		case "agreement":
			a, err := findAgreementRow(ctx, tx, g.OrganisationID, l.TargetID, "")
			if distans.ErrorCode(err) == distans.ENOTFOUND {
				return invalid("target_id", "Överenskommelsen finns inte i organisationen.", "The agreement is not in the organisation.")
			} else if err != nil {
				return err
			}
			label = a.Number
		}
		if slices.ContainsFunc(g.Links, func(x distans.IncidentLink) bool { return x.Kind == l.Kind && x.TargetID == l.TargetID }) {
			return distans.Errorf(distans.ECONFLICT, "Kopplingen finns redan.", "The link already exists.")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO incident_links (organisation_id, incident_id, kind, target_id, label, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, g.OrganisationID, g.ID, l.Kind, l.TargetID, label, ts(now(ctx))); err != nil {
			return err
		}
		if err := saveIncident(ctx, tx, g); err != nil {
			return err
		}
		return s.audit(ctx, tx, act, g.OrganisationID, "incident.link", "incident", g.ID, g.Number+": linked "+l.Kind+" "+l.TargetID)
	})
	if err != nil {
		return nil, err
	}
	return s.FindIncident(ctx, id)
}

// CloseIncident closes the incident at the version read: refused while its
// severity is missing, a measure is open or a clock is open (done, or
// waived with reasons, closes a clock). The reporter is told.
func (s *Store) CloseIncident(ctx context.Context, id string, version int) (*distans.Incident, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		g, err := handledIncident(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if version != g.Version {
			return errIncidentStale()
		}
		var v distans.Validation
		if g.Severity == "" {
			v.Add("severity", "Incidenten kan inte avslutas innan den är klassad.", "The incident cannot be closed before it is classified.")
		}
		if n := countFunc(g.Measures, func(m distans.IncidentMeasure) bool { return m.DoneAt == nil }); n > 0 {
			v.Add("measures", fmt.Sprintf("Incidenten kan inte avslutas: %d åtgärder är inte klara.", n),
				fmt.Sprintf("The incident cannot be closed: %d measures are not done.", n))
		}
		if n := countFunc(g.Clocks, func(c distans.IncidentClock) bool { return c.Open() }); n > 0 {
			v.Add("clocks", fmt.Sprintf("Incidenten kan inte avslutas: %d frister är öppna.", n),
				fmt.Sprintf("The incident cannot be closed: %d deadlines are open.", n))
		}
		if err := v.Err(); err != nil {
			return err
		}
		at := now(ctx)
		g.State, g.ClosedAt = distans.IncidentClosed, &at
		if err := saveIncident(ctx, tx, g); err != nil {
			return err
		}
		if err := refreshNextDue(ctx, tx, g.Incident); err != nil {
			return err
		}
		if g.ReporterID != act.PersonID {
			if err := notifyIncident(ctx, tx, g.Incident, distans.NotifyIncidentClosed, "closed", g.ReporterID); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, act, g.OrganisationID, "incident.close", "incident", g.ID, g.Number+": closed")
	})
	if err != nil {
		return nil, err
	}
	return s.FindIncident(ctx, id)
}

func countFunc[T any](xs []T, f func(T) bool) int {
	n := 0
	for _, x := range xs {
		if f(x) {
			n++
		}
	}
	return n
}

// IncidentTimeline returns the incident's audit events, oldest first, to
// those who see its handling.
func (s *Store) IncidentTimeline(ctx context.Context, id string) ([]*distans.AuditEvent, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.sealPending(ctx, act.OrganisationID); err != nil {
		return nil, err
	}
	out := []*distans.AuditEvent{}
	err = s.read(ctx, func(tx *sql.Tx) error {
		_, acc, err := visibleIncident(ctx, tx, act, id, "")
		if err != nil {
			return err
		}
		if acc < distans.IncidentAccessUnit {
			return errHandlingOnly()
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_events
			WHERE organisation_id = $1 AND record_type = 'incident' AND record_id = $2 ORDER BY seq`, act.OrganisationID, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
