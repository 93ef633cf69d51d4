package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
)

// Loss reports and their procedure (Sorsele 004 §8.1): the report opens
// an incident in the same transaction, linked both ways, and the steps
// from the pack (LossPlan) are recorded one by one, with who, when and
// the evidence; the manager's negligence assessment (Bjurholm 002 §6)
// closes the case with the last step.

func errLossNotFound() error {
	return distans.NotFound("Förlustanmälan finns inte.", "The loss report does not exist.")
}

// nextLossNumber assigns the organisation's next loss number of the year.
func nextLossNumber(ctx context.Context, tx *sql.Tx, orgID string, year int) (int, string, error) {
	var last int
	if err := tx.QueryRowContext(ctx, `INSERT INTO equipment_loss_numbers (organisation_id, year, last) VALUES ($1, $2, 1)
		ON CONFLICT (organisation_id, year) DO UPDATE SET last = equipment_loss_numbers.last + 1 RETURNING last`,
		orgID, year).Scan(&last); err != nil {
		return 0, "", err
	}
	return last, fmt.Sprintf("FÖR %d/%04d", year, last), nil
}

var lossKindSv = map[distans.LossKind]string{distans.LossLost: "förlorad", distans.LossStolen: "stulen", distans.LossDamaged: "skadad"}

// CreateLoss records a written report of lost, stolen or damaged
// equipment by the person who holds it, or by their manager for them
// (r.PersonID). It takes its number, its steps from plan, marks lost or
// stolen items so (a damaged item stays as it is), and opens an incident
// in the same transaction (theft when stolen, else equipment_loss), the
// person its reporter, registered by the manager when they reported;
// linked both ways, and the incident_report step done with the incident's
// number. IT over the person's unit and the person's managers are told.
func (s *Store) CreateLoss(ctx context.Context, r *distans.LossReport, plan distans.LossPlan, reclock Reclock) (*distans.EquipmentLoss, error) {
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
	at := now(ctx)
	var id string
	err = s.write(ctx, func(tx *sql.Tx) error {
		personID := r.PersonID
		if personID == "" {
			personID = act.PersonID
		}
		person, err := findPersonRow(ctx, tx, act.OrganisationID, personID)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return invalid("person_id", "Personen finns inte i organisationen.", "The person is not in the organisation.")
		} else if err != nil {
			return err
		}
		if person.ID != act.PersonID && !act.ManagesEquipmentOf(person.ID, person.UnitPath) {
			return distans.Errorf(distans.EFORBIDDEN, "Bara personen själv eller personens chef kan anmäla förlusten.",
				"Only the person or their manager can report the loss.")
		}
		var v distans.Validation
		items, err := pickItems(ctx, tx, act.OrganisationID, r.ItemIDs, s.dialect.forUpdate, &v, func(it *distans.EquipmentItem) {
			if it.Status != distans.EquipmentIssued || it.HolderID != person.ID {
				notHeldBy(&v, it, person.Name)
			}
		})
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		today, err := s.today(ctx, tx, act.OrganisationID)
		if err != nil {
			return err
		}
		seq, number, err := nextLossNumber(ctx, tx, act.OrganisationID, today.Year())
		if err != nil {
			return err
		}
		l := &distans.EquipmentLoss{ID: newID(), OrganisationID: act.OrganisationID, Number: number, Kind: r.Kind,
			PersonID: person.ID, PersonName: person.Name, PersonUnitPath: person.UnitPath, ReportedByID: act.PersonID,
			OccurredAt: utcPtr(r.OccurredAt), DiscoveredAt: r.DiscoveredAt.UTC(), Place: strings.TrimSpace(r.Place),
			OutsidePremises: r.OutsidePremises, Description: strings.TrimSpace(r.Description), State: distans.LossOpen,
			Version: 1, CreatedAt: at}
		id = l.ID
		for _, it := range items {
			l.Items = append(l.Items, snapshotOf(it))
		}
		steps, err := plan(l)
		if err != nil {
			return err
		}
		// The incident, reported by the person, as the incident register
		// keeps every report.
		kind := distans.IncidentEquipmentLoss
		if r.Kind == distans.LossStolen {
			kind = distans.IncidentTheft
		}
		inc, err := s.insertIncident(ctx, tx, act, &distans.IncidentReport{Kind: kind,
			Title:       truncate(number+": "+lossKindSv[r.Kind]+" utrustning – "+itemLabels(l.Items), distans.MaxIncidentTitle),
			Description: l.Description, OccurredAt: l.OccurredAt, DiscoveredAt: l.DiscoveredAt, OutsidePremises: l.OutsidePremises},
			person.ID, reclock)
		if err != nil {
			return err
		}
		l.IncidentID, l.IncidentNumber = inc.ID, inc.Number
		if _, err := tx.ExecContext(ctx, `INSERT INTO equipment_losses (organisation_id, id, year, seq, number, kind, person_id,
			reported_by_id, occurred_at, discovered_at, place, outside_premises, description, incident_id, state, pack_version,
			version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $17)`,
			l.OrganisationID, l.ID, today.Year(), seq, l.Number, string(l.Kind), l.PersonID, l.ReportedByID, nullTS(l.OccurredAt),
			ts(l.DiscoveredAt), l.Place, l.OutsidePremises, l.Description, l.IncidentID, string(l.State), l.PackVersion, ts(at)); err != nil {
			return err
		}
		if err := insertSnapshots(ctx, tx, "equipment_loss_items", "loss_id", l.OrganisationID, l.ID, l.Items); err != nil {
			return err
		}
		seen := map[string]bool{}
		for i, st := range steps {
			if st.Step == "" || seen[st.Step] {
				continue
			}
			seen[st.Step] = true
			label, err := json.Marshal(st.Label)
			if err != nil {
				return err
			}
			var doneAt any
			var doneBy, evidence any = nil, ""
			if st.Step == distans.StepIncidentReport {
				doneAt, doneBy, evidence = ts(at), act.PersonID, inc.Number
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO equipment_loss_steps (organisation_id, loss_id, step, position, rule_id, label,
				citation, role, due_at, skippable, done_at, done_by_id, evidence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
				l.OrganisationID, l.ID, st.Step, i, st.RuleID, string(label), st.Citation, string(st.Role), ts(st.DueAt), st.Skippable,
				doneAt, doneBy, evidence); err != nil {
				return err
			}
		}
		if l.Kind != distans.LossDamaged {
			for _, it := range items {
				if _, err := tx.ExecContext(ctx, `UPDATE equipment_items SET status = $1, holder_id = NULL, handover_id = NULL,
					version = version + 1, updated_at = $2 WHERE organisation_id = $3 AND id = $4`, string(r.Kind), ts(at),
					l.OrganisationID, it.ID); err != nil {
					return err
				}
			}
		}
		// Linked both ways: the incident names the items and the report.
		for _, h := range l.Items {
			if _, err := tx.ExecContext(ctx, `INSERT INTO incident_links (organisation_id, incident_id, kind, target_id, label, created_at)
				VALUES ($1, $2, 'equipment', $3, $4, $5)`, l.OrganisationID, inc.ID, h.ItemID, snapshotLabel(h), ts(at)); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO incident_links (organisation_id, incident_id, kind, target_id, label, created_at)
			VALUES ($1, $2, 'equipment_loss', $3, $4, $5)`, l.OrganisationID, inc.ID, l.ID, l.Number, ts(at)); err != nil {
			return err
		}
		its, err := roleHoldersOver(ctx, tx, l.OrganisationID, []string{string(distans.RoleIT)}, person.UnitPath, today, act.PersonID)
		if err != nil {
			return err
		}
		managers, err := roleHoldersOver(ctx, tx, l.OrganisationID, []string{string(distans.RoleManager)}, person.UnitPath, today,
			act.PersonID, person.ID)
		if err != nil {
			return err
		}
		if person.UnitPath == "" {
			managers = nil
		}
		for _, to := range append(its, managers...) {
			if _, err := notify(ctx, tx, &distans.Notification{OrganisationID: l.OrganisationID, PersonID: to,
				Key: "equipment/loss/" + l.ID + "/reported/" + to, Kind: notifyEquipmentLoss,
				Params: map[string]string{"number": l.Number, "loss": string(l.Kind), "name": person.Name, "incident": inc.Number},
				Link:   "/equipment/losses/" + l.ID}); err != nil {
				return err
			}
		}
		summary := fmt.Sprintf("%s: %s reported (%s), incident %s", l.Number, l.Kind, itemLabels(l.Items), inc.Number)
		if person.ID != act.PersonID {
			summary += " for " + person.Name
		}
		return s.audit(ctx, tx, act, l.OrganisationID, "equipment.loss", lossAuditRecord, l.ID, summary)
	})
	if err != nil {
		return nil, err
	}
	return s.FindLoss(ctx, id)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

const lossCols = `l.organisation_id, l.id, l.number, l.kind, l.person_id, p.name, p.unit_path, l.reported_by_id, l.occurred_at,
	l.discovered_at, l.place, l.outside_premises, l.description, l.incident_id, COALESCE(i.number, ''), l.gross_negligence,
	l.assessment_reasons, l.assessed_by_id, COALESCE(ab.name, ''), l.assessed_at, l.state, l.pack_version, l.version, l.created_at,
	l.closed_at`

const lossFrom = ` FROM equipment_losses l
	JOIN people p ON p.organisation_id = l.organisation_id AND p.id = l.person_id
	LEFT JOIN incidents i ON i.organisation_id = l.organisation_id AND i.id = l.incident_id
	LEFT JOIN people ab ON ab.organisation_id = l.organisation_id AND ab.id = l.assessed_by_id`

func scanLoss(sc interface{ Scan(...any) error }) (*distans.EquipmentLoss, error) {
	l := &distans.EquipmentLoss{}
	var kind, state, reasons, by, byName string
	var gross *bool
	var assessedAt *time.Time
	err := sc.Scan(&l.OrganisationID, &l.ID, &l.Number, &kind, &l.PersonID, &l.PersonName, &l.PersonUnitPath, &l.ReportedByID,
		nulltm(&l.OccurredAt), tm(&l.DiscoveredAt), &l.Place, &l.OutsidePremises, &l.Description, str(&l.IncidentID),
		&l.IncidentNumber, &gross, &reasons, str(&by), &byName, nulltm(&assessedAt), &state, &l.PackVersion, &l.Version,
		tm(&l.CreatedAt), nulltm(&l.ClosedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errLossNotFound()
	} else if err != nil {
		return nil, err
	}
	l.Kind, l.State = distans.LossKind(kind), distans.LossState(state)
	if gross != nil && assessedAt != nil {
		l.Assessment = &distans.NegligenceAssessment{GrossNegligence: *gross, Reasons: reasons, AssessedByID: by,
			AssessedByName: byName, AssessedAt: *assessedAt}
	}
	l.Items, l.Steps = []distans.HandoverItem{}, []distans.LossStep{}
	return l, nil
}

// loadLossParts reads the items and steps of the losses ls.
func loadLossParts(ctx context.Context, q querier, orgID string, ls []*distans.EquipmentLoss) error {
	if len(ls) == 0 {
		return nil
	}
	byID := map[string]*distans.EquipmentLoss{}
	var ids []string
	for _, l := range ls {
		byID[l.ID] = l
		ids = append(ids, l.ID)
	}
	items, err := loadSnapshots(ctx, q, "equipment_loss_items", "loss_id", orgID, ids)
	if err != nil {
		return err
	}
	for _, l := range ls {
		l.Items = nonNil(items[l.ID])
	}
	for chunk := range slices.Chunk(ids, 500) {
		var a args
		org := a.add(orgID)
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			ph[i] = a.add(id)
		}
		rows, err := q.QueryContext(ctx, `SELECT loss_id, step, rule_id, label, citation, role, due_at, skippable, done_at, done_by_id,
			evidence, attachment_id, reported_on, skipped, skip_reason FROM equipment_loss_steps
			WHERE organisation_id = `+org+` AND loss_id IN (`+strings.Join(ph, ", ")+`) ORDER BY loss_id, position`, a...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, label, role string
			var st distans.LossStep
			if err := rows.Scan(&id, &st.Step, &st.RuleID, &label, &st.Citation, &role, tm(&st.DueAt), &st.Skippable, nulltm(&st.DoneAt),
				str(&st.DoneByID), &st.Evidence, str(&st.AttachmentID), nulldt(&st.ReportedOn), &st.Skipped, &st.SkipReason); err != nil {
				rows.Close()
				return err
			}
			if err := json.Unmarshal([]byte(label), &st.Label); err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: loss step label: %w", err)
			}
			st.Role = distans.Role(role)
			byID[id].Steps = append(byID[id].Steps, st)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// visibleLoss returns a loss the actor sees (SeesEquipmentOf the person),
// with its parts; lock locks its row on PostgreSQL.
func visibleLoss(ctx context.Context, q querier, act *distans.Actor, id, lock string) (*distans.EquipmentLoss, error) {
	if lock != "" {
		var one int
		err := q.QueryRowContext(ctx, `SELECT 1 FROM equipment_losses WHERE organisation_id = $1 AND id = $2`+lock,
			act.OrganisationID, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errLossNotFound()
		} else if err != nil {
			return nil, err
		}
	}
	l, err := scanLoss(q.QueryRowContext(ctx, `SELECT `+lossCols+lossFrom+` WHERE l.organisation_id = $1 AND l.id = $2`,
		act.OrganisationID, id))
	if err != nil {
		return nil, err
	}
	if !act.SeesEquipmentOf(l.PersonID, l.PersonUnitPath) {
		return nil, errLossNotFound()
	}
	return l, loadLossParts(ctx, q, act.OrganisationID, []*distans.EquipmentLoss{l})
}

// FindLoss returns a loss report the actor sees.
func (s *Store) FindLoss(ctx context.Context, id string) (*distans.EquipmentLoss, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var l *distans.EquipmentLoss
	err = s.read(ctx, func(tx *sql.Tx) error {
		l, err = visibleLoss(ctx, tx, act, id, "")
		return err
	})
	return l, err
}

// ListLosses returns the loss reports the actor sees (open only, with
// open), newest first.
func (s *Store) ListLosses(ctx context.Context, open bool) ([]*distans.EquipmentLoss, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	out := []*distans.EquipmentLoss{}
	err = s.read(ctx, func(tx *sql.Tx) error {
		var a args
		where := []string{"l.organisation_id = " + a.add(act.OrganisationID), equipmentOfSQL(&a, act, "l.person_id", "p.unit_path")}
		if open {
			where = append(where, "l.state = 'open'")
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+lossCols+lossFrom+` WHERE `+strings.Join(where, " AND ")+`
			ORDER BY l.created_at DESC, l.id DESC LIMIT 500`, a...)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = out[:0]
		for rows.Next() {
			l, err := scanLoss(rows)
			if err != nil {
				return err
			}
			if act.SeesEquipmentOf(l.PersonID, l.PersonUnitPath) {
				out = append(out, l)
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		return loadLossParts(ctx, tx, act.OrganisationID, out)
	})
	return out, err
}

// lossDay is the calendar day of the loss in the organisation: when it
// happened, else when it was discovered.
func lossDay(l *distans.EquipmentLoss, loc *time.Location) time.Time {
	at := l.DiscoveredAt
	if l.OccurredAt != nil {
		at = *l.OccurredAt
	}
	return distans.Today(at, loc)
}

// RecordLossStep records one step of the procedure done, or skipped with
// the reason where the pack allows it, by whom the pack gives it to
// (Actor.RecordsLossStep). The police report needs its number and its
// date, not before the loss nor in the future, and may carry its copy;
// it becomes the incident's police report (and its clock for it, if
// any, done or waived with the reason). The case closes when every step
// is done or skipped and the manager has assessed it.
func (s *Store) RecordLossStep(ctx context.Context, id string, rec distans.LossStepRecord) (*distans.EquipmentLoss, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		l, err := visibleLoss(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(l.Steps, func(st distans.LossStep) bool { return st.Step == rec.Step })
		if i < 0 {
			return invalid("step", "Förlustanmälan har inget sådant steg.", "The loss report has no such step.")
		}
		st := &l.Steps[i]
		if !act.RecordsLossStep(l, st.Role) {
			return distans.Errorf(distans.EFORBIDDEN, "Det här steget görs av någon annan.", "Someone else does this step.")
		}
		if l.State == distans.LossClosed {
			return distans.Errorf(distans.ECONFLICT, "Förlustanmälan är avslutad.", "The loss report is closed.")
		}
		if !st.Open() {
			return distans.Errorf(distans.ECONFLICT, "Steget är redan gjort.", "The step is already done.")
		}
		today, err := s.today(ctx, tx, l.OrganisationID)
		if err != nil {
			return err
		}
		loc, _ := s.locs.Load(l.OrganisationID)
		var v distans.Validation
		v.MaxLen("evidence", rec.Evidence, maxIncidentReference)
		v.MaxLen("skip_reason", rec.SkipReason, distans.MaxIncidentText)
		switch {
		case rec.Skipped && !st.Skippable:
			v.Add("skipped", "Det här steget får inte hoppas över.", "This step may not be skipped.")
		case rec.Skipped:
			v.Required("skip_reason", rec.SkipReason)
		case st.Step == distans.StepPoliceReport:
			v.Required("evidence", rec.Evidence)
			switch {
			case rec.ReportedOn == nil:
				v.Add("reported_on", "Ange vilken dag polisanmälan gjordes.", "Give the day the police report was made.")
			case rec.ReportedOn.Before(lossDay(l, loc.(*time.Location))):
				v.Add("reported_on", "Polisanmälan kan inte vara gjord före förlusten.", "The police report cannot predate the loss.")
			case rec.ReportedOn.After(today):
				v.Add("reported_on", "Datumet kan inte ligga i framtiden.", "The date cannot be in the future.")
			}
		}
		if a := rec.Attachment; a != nil && !rec.Skipped {
			switch {
			case len(a.Content) == 0:
				v.Add("attachment", "Filen är tom.", "The file is empty.")
			case len(a.Content) > distans.MaxAttachment:
				v.Add("attachment", fmt.Sprintf("Filen får vara högst %d MB.", distans.MaxAttachment>>20),
					fmt.Sprintf("The file may be at most %d MB.", distans.MaxAttachment>>20))
			case !slices.Contains(distans.AttachmentTypes, a.ContentType):
				v.Add("attachment", "Bifoga en PDF, JPEG eller PNG.", "Attach a PDF, JPEG or PNG.")
			}
			v.MaxLen("attachment", a.Name, 255)
		}
		if err := v.Err(); err != nil {
			return err
		}
		at := now(ctx)
		st.DoneAt, st.DoneByID = &at, act.PersonID
		if rec.Skipped {
			st.Skipped, st.SkipReason = true, strings.TrimSpace(rec.SkipReason)
		} else {
			st.Evidence, st.ReportedOn = strings.TrimSpace(rec.Evidence), rec.ReportedOn
			if a := rec.Attachment; a != nil {
				sum := sha256.Sum256(a.Content)
				a.ID, a.Size, a.SHA256, a.CreatedAt = newID(), int64(len(a.Content)), hex.EncodeToString(sum[:]), at
				if a.Name == "" {
					a.Name = "polisanmalan"
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO equipment_loss_attachments (organisation_id, id, loss_id, name,
					content_type, size, sha256, content, created_by_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
					l.OrganisationID, a.ID, l.ID, a.Name, a.ContentType, a.Size, a.SHA256, a.Content, act.PersonID, ts(at)); err != nil {
					return err
				}
				st.AttachmentID = a.ID
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE equipment_loss_steps SET done_at = $1, done_by_id = $2, evidence = $3,
			attachment_id = $4, reported_on = $5, skipped = $6, skip_reason = $7 WHERE organisation_id = $8 AND loss_id = $9 AND step = $10`,
			ts(at), act.PersonID, st.Evidence, nullStr(st.AttachmentID), nullDay(st.ReportedOn), st.Skipped, st.SkipReason,
			l.OrganisationID, l.ID, st.Step); err != nil {
			return err
		}
		if st.Step == distans.StepPoliceReport && l.IncidentID != "" {
			if err := policeReportOnIncident(ctx, tx, l, st, at, act.PersonID); err != nil {
				return err
			}
		}
		if err := s.saveLoss(ctx, tx, l); err != nil {
			return err
		}
		what := "done"
		if st.Skipped {
			what = "skipped: " + st.SkipReason
		} else if st.Evidence != "" {
			what += " (" + st.Evidence + ")"
		}
		return s.audit(ctx, tx, act, l.OrganisationID, "equipment.loss_step", lossAuditRecord, l.ID, l.Number+": "+st.Step+" "+what)
	})
	if err != nil {
		return nil, err
	}
	return s.FindLoss(ctx, id)
}

// policeReportOnIncident gives the loss's incident the police report (its
// number), and records its police-report clock done, or not required
// with the reason when the step was skipped.
func policeReportOnIncident(ctx context.Context, tx *sql.Tx, l *distans.EquipmentLoss, st *distans.LossStep, at time.Time, byID string) error {
	g, err := findIncidentRow(ctx, tx, l.OrganisationID, l.IncidentID, "")
	if err != nil {
		return err
	}
	if g.Clocks, err = listIncidentClocks(ctx, tx, g.OrganisationID, g.ID); err != nil {
		return err
	}
	if !st.Skipped {
		g.PoliceReport = st.Evidence
	}
	if c, err := clockOf(g.Incident, distans.DutyPoliceReport); err == nil && c.Open() {
		if err := markClockDone(ctx, tx, g.Incident, c.Duty, at, byID, st.Evidence, st.Skipped, st.SkipReason); err != nil {
			return err
		}
	}
	if err := refreshNextDue(ctx, tx, g.Incident); err != nil {
		return err
	}
	return saveIncident(ctx, tx, g)
}

// saveLoss writes the loss's next version, closing it when every step is
// done or skipped and it is assessed.
func (s *Store) saveLoss(ctx context.Context, tx *sql.Tx, l *distans.EquipmentLoss) error {
	at := now(ctx)
	if l.State == distans.LossOpen && l.Assessment != nil &&
		!slices.ContainsFunc(l.Steps, func(st distans.LossStep) bool { return st.Open() }) {
		l.State, l.ClosedAt = distans.LossClosed, &at
	}
	l.Version++
	var gross any
	var by, assessedAt any
	reasons := ""
	if a := l.Assessment; a != nil {
		gross, reasons, by, assessedAt = a.GrossNegligence, a.Reasons, a.AssessedByID, ts(a.AssessedAt)
	}
	_, err := tx.ExecContext(ctx, `UPDATE equipment_losses SET gross_negligence = $1, assessment_reasons = $2, assessed_by_id = $3,
		assessed_at = $4, state = $5, version = $6, updated_at = $7, closed_at = $8 WHERE organisation_id = $9 AND id = $10`,
		gross, reasons, by, assessedAt, string(l.State), l.Version, ts(at), nullTS(l.ClosedAt), l.OrganisationID, l.ID)
	return err
}

// AssessNegligence records the manager's assessment of whether the loss
// or damage was caused by gross negligence (Bjurholm 002 §6), with
// reasons: the person's manager only, once.
func (s *Store) AssessNegligence(ctx context.Context, id string, a distans.NegligenceAssessment) (*distans.EquipmentLoss, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	a.Reasons = strings.TrimSpace(a.Reasons)
	err = s.write(ctx, func(tx *sql.Tx) error {
		l, err := visibleLoss(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if !act.ManagesEquipmentOf(l.PersonID, l.PersonUnitPath) {
			return distans.Errorf(distans.EFORBIDDEN, "Bara personens chef kan bedöma om det var grov oaktsamhet.",
				"Only the person's manager can assess whether it was gross negligence.")
		}
		if err := a.Validate(); err != nil {
			return err
		}
		if l.Assessment != nil {
			return distans.Errorf(distans.ECONFLICT, "Förlusten är redan bedömd.", "The loss has already been assessed.")
		}
		a.AssessedByID, a.AssessedByName, a.AssessedAt = act.PersonID, act.Name, now(ctx)
		l.Assessment = &a
		if err := s.saveLoss(ctx, tx, l); err != nil {
			return err
		}
		verdict := "not gross negligence"
		if a.GrossNegligence {
			verdict = "gross negligence"
		}
		return s.audit(ctx, tx, act, l.OrganisationID, "equipment.negligence", lossAuditRecord, l.ID, l.Number+": assessed, "+verdict)
	})
	if err != nil {
		return nil, err
	}
	return s.FindLoss(ctx, id)
}

// LossAttachment returns a file of a loss the actor sees, with its bytes.
func (s *Store) LossAttachment(ctx context.Context, lossID, attachmentID string) (*distans.Attachment, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var a *distans.Attachment
	err = s.read(ctx, func(tx *sql.Tx) error {
		if _, err := visibleLoss(ctx, tx, act, lossID, ""); err != nil {
			return err
		}
		a = &distans.Attachment{}
		err := tx.QueryRowContext(ctx, `SELECT id, name, content_type, size, sha256, content, created_at FROM equipment_loss_attachments
			WHERE organisation_id = $1 AND loss_id = $2 AND id = $3`, act.OrganisationID, lossID, attachmentID).Scan(&a.ID, &a.Name,
			&a.ContentType, &a.Size, &a.SHA256, &a.Content, tm(&a.CreatedAt))
		if errors.Is(err, sql.ErrNoRows) {
			return distans.NotFound("Filen finns inte.", "The file does not exist.")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}
