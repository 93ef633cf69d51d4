package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

// Release of a public document (release.Store): the secrecy review reads a
// registered case with everything the register withholds, for the
// registrator alone (Actor.ReleasesFrom), and audits the read; the decision
// and its maskings are written with the copy it releases, in which a masked
// field has no value, so no masked value is ever stored again.

func errCaseNotFound() error {
	return distans.NotFound("Ärendet finns inte.", "The case does not exist.")
}

func errReleaseNotFound() error {
	return distans.NotFound("Beslutet finns inte.", "The decision does not exist.")
}

// releaseActor returns the actor, who must keep the register somewhere.
func releaseActor(ctx context.Context) (*distans.Actor, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if a.System || !a.KeepsRegister() {
		return nil, distans.Forbidden()
	}
	return a, nil
}

// ReleaseCase reads the case for the secrecy review and audits the read.
func (s *Store) ReleaseCase(ctx context.Context, kind distans.RegisterKind, id string) (*distans.ReleaseCase, error) {
	a, err := releaseActor(ctx)
	if err != nil {
		return nil, err
	}
	var out *distans.ReleaseCase
	err = s.write(ctx, func(tx *sql.Tx) error {
		c, err := s.releaseCase(ctx, tx, a, kind, id)
		if err != nil {
			return err
		}
		out = c
		return s.audit(ctx, tx, a, a.OrganisationID, "records.release_review", string(kind), id,
			"read "+c.Entry.Number+" for a secrecy review before release")
	})
	return out, err
}

// releaseCase reads the case of kind and id when the actor may release
// from its unit, else ENOTFOUND.
func (s *Store) releaseCase(ctx context.Context, q querier, a *distans.Actor, kind distans.RegisterKind, id string) (*distans.ReleaseCase, error) {
	loc, err := s.orgLocation(ctx, q, a.OrganisationID)
	if err != nil {
		return nil, err
	}
	var c *distans.ReleaseCase
	switch kind {
	case distans.RegisterAgreement:
		c, err = releaseAgreement(ctx, q, a.OrganisationID, id, loc)
	case distans.RegisterIncident:
		c, err = releaseIncident(ctx, q, a.OrganisationID, id, loc)
	case distans.RegisterEquipmentLoss:
		c, err = releaseLoss(ctx, q, a.OrganisationID, id, loc)
	default:
		return nil, errCaseNotFound()
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errCaseNotFound()
	} else if err != nil {
		return nil, err
	}
	if !a.ReleasesFrom(c.UnitPath) {
		return nil, errCaseNotFound()
	}
	c.Entry.Kind, c.Entry.RecordID = kind, id
	c.Entry.Secret = len(distans.SuggestMaskings(c)) > 0
	return c, nil
}

// caseFields builds a case's fields in order.
type caseFields struct{ c *distans.ReleaseCase }

func (f caseFields) add(key, sv, en, value string) {
	f.c.Fields = append(f.c.Fields, distans.ReleaseField{Key: key, LabelSv: sv, LabelEn: en, Value: strings.TrimSpace(value)})
}

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nej"
}

func whenIn(t *time.Time, loc *time.Location) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

func releaseAgreement(ctx context.Context, q querier, orgID, id string, loc *time.Location) (*distans.ReleaseCase, error) {
	c := &distans.ReleaseCase{}
	var request, requestPlace, termsPlace, pnr, unitName string
	var decision, terms sql.NullString
	err := q.QueryRowContext(ctx, `SELECT a.number, a.created_at, a.state, p.name, p.personal_number, u.name, u.path,
		a.request, a.request_place, a.decision, a.terms, a.terms_place
		FROM agreements a
		JOIN people p ON p.organisation_id = a.organisation_id AND p.id = a.person_id
		JOIN units u ON u.organisation_id = a.organisation_id AND u.id = a.unit_id
		WHERE a.organisation_id = $1 AND a.id = $2`, orgID, id).Scan(&c.Entry.Number, tm(&c.Entry.RegisteredAt),
		&c.Entry.State, &c.Entry.Party, &pnr, &unitName, &c.UnitPath, &request, &requestPlace, &decision, &terms, &termsPlace)
	if err != nil {
		return nil, err
	}
	var req distans.AgreementRequest
	if err := json.Unmarshal([]byte(request), &req); err != nil {
		return nil, fmt.Errorf("agreement %s request: %w", id, err)
	}
	f := caseFields{c}
	f.add("employee", "Medarbetare", "Employee", c.Entry.Party)
	f.add("personal_number", "Personnummer", "Personal identity number", pnr)
	f.add("unit", "Enhet", "Unit", unitName)
	f.add("state", "Läge", "State", c.Entry.State)
	f.add("request_period", "Begärd period", "Period asked for", req.Start.Format(time.DateOnly)+" – "+req.End.Format(time.DateOnly))
	f.add("request_extent", "Begärd omfattning", "Extent asked for", extentText(req.Weekdays, req.DaysPerWeek))
	f.add("request_place", "Distansarbetsplats enligt ansökan", "Remote place asked for", requestPlace)
	f.add("request_tasks", "Arbetsuppgifter på distans", "Tasks done remotely", req.Tasks)
	f.add("request_reasons", "Skäl för ansökan", "Reasons for the request", req.Reasons)
	if decision.Valid && decision.String != "" {
		var d distans.Decision
		if err := json.Unmarshal([]byte(decision.String), &d); err != nil {
			return nil, fmt.Errorf("agreement %s decision: %w", id, err)
		}
		outcome := "Avslag"
		if d.Approved {
			outcome = "Bifall"
		}
		f.add("decision", "Beslut", "Decision", outcome+", "+d.DecidedAt.In(loc).Format(time.DateOnly)+", "+d.DecidedName)
		f.add("decision_reasons", "Motivering av beslutet", "Reasons for the decision", d.Reasons)
	}
	if terms.Valid && terms.String != "" {
		var t distans.Terms
		if err := json.Unmarshal([]byte(terms.String), &t); err != nil {
			return nil, fmt.Errorf("agreement %s terms: %w", id, err)
		}
		f.add("terms_period", "Period enligt överenskommelsen", "Period agreed", t.Start.Format(time.DateOnly)+" – "+t.End.Format(time.DateOnly))
		f.add("terms_extent", "Omfattning enligt överenskommelsen", "Extent agreed", extentText(t.Weekdays, t.DaysPerWeek))
		f.add("terms_place", "Distansarbetsplats enligt överenskommelsen", "Remote place agreed", termsPlace)
		f.add("main_workplace", "Ordinarie arbetsplats", "Main workplace", t.MainWorkplace)
		f.add("working_hours", "Arbetstid", "Working hours", t.WorkingHours)
		f.add("conditions", "Övriga villkor", "Other conditions", t.Conditions)
	}
	return c, nil
}

func extentText(weekdays []string, perWeek int) string {
	if len(weekdays) > 0 {
		return strings.Join(weekdays, ", ")
	}
	if perWeek > 0 {
		return strconv.Itoa(perWeek) + " dagar i veckan"
	}
	return ""
}

func releaseIncident(ctx context.Context, q querier, orgID, id string, loc *time.Location) (*distans.ReleaseCase, error) {
	c := &distans.ReleaseCase{}
	var kind, title, description, systems, reporter, severity, police, secret string
	var path sql.NullString
	var occurred *time.Time
	var discovered time.Time
	var ongoing bool
	err := q.QueryRowContext(ctx, `SELECT i.number, i.created_at, i.state, i.kind, i.title, i.description, i.systems,
		r.name, i.severity, i.police_report, i.secret_fields, i.occurred_at, i.discovered_at, i.ongoing, u.path
		FROM incidents i
		JOIN people r ON r.organisation_id = i.organisation_id AND r.id = i.reporter_id
		LEFT JOIN units u ON u.organisation_id = i.organisation_id AND u.id = i.unit_id
		WHERE i.organisation_id = $1 AND i.id = $2`, orgID, id).Scan(&c.Entry.Number, tm(&c.Entry.RegisteredAt), &c.Entry.State,
		&kind, &title, &description, &systems, &reporter, &severity, &police, &secret, nulltm(&occurred), tm(&discovered),
		&ongoing, &path)
	if err != nil {
		return nil, err
	}
	c.UnitPath = path.String
	c.Entry.IncidentKind = distans.IncidentKind(kind)
	if err := json.Unmarshal([]byte(secret), &c.MarkedSecret); err != nil {
		return nil, fmt.Errorf("incident %s secret fields: %w", id, err)
	}
	if distans.RegisterShowsReporter(c.Entry.IncidentKind) {
		c.Entry.Party = reporter
	}
	f := caseFields{c}
	f.add("kind", "Slag", "Kind", c.Entry.Subject("sv"))
	f.add("title", "Rubrik", "Title", title)
	f.add("reporter", "Rapporterad av", "Reported by", reporter)
	f.add("occurred_at", "Inträffade", "Occurred", whenIn(occurred, loc))
	f.add("discovered_at", "Upptäcktes", "Discovered", whenIn(&discovered, loc))
	f.add("description", "Vad som hänt", "What happened", description)
	f.add("systems", "Berörd information och berörda system", "Information and systems concerned", systems)
	f.add("ongoing", "Pågår", "Ongoing", yesNo(ongoing))
	f.add("severity", "Allvarlighet", "Severity", severity)
	f.add("police_report", "Polisanmälan", "Police report", police)
	f.add("state", "Läge", "State", c.Entry.State)
	return c, nil
}

func releaseLoss(ctx context.Context, q querier, orgID, id string, loc *time.Location) (*distans.ReleaseCase, error) {
	c := &distans.ReleaseCase{}
	var kind, pnr, place, description string
	var incident, secret sql.NullString
	var occurred *time.Time
	var discovered time.Time
	err := q.QueryRowContext(ctx, `SELECT l.number, l.created_at, l.state, l.kind, p.name, p.personal_number, p.unit_path,
		l.occurred_at, l.discovered_at, l.place, l.outside_premises, l.description, li.number, li.secret_fields
		FROM equipment_losses l
		JOIN people p ON p.organisation_id = l.organisation_id AND p.id = l.person_id
		LEFT JOIN incidents li ON li.organisation_id = l.organisation_id AND li.id = l.incident_id
		WHERE l.organisation_id = $1 AND l.id = $2`, orgID, id).Scan(&c.Entry.Number, tm(&c.Entry.RegisteredAt), &c.Entry.State,
		&kind, &c.Entry.Party, &pnr, &c.UnitPath, nulltm(&occurred), tm(&discovered), &place, &c.OutsidePremises, &description,
		&incident, &secret)
	if err != nil {
		return nil, err
	}
	c.Entry.LossKind = distans.LossKind(kind)
	if secret.Valid {
		if err := json.Unmarshal([]byte(secret.String), &c.MarkedSecret); err != nil {
			return nil, fmt.Errorf("loss %s incident's secret fields: %w", id, err)
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT category, model_name, serial, asset_tag FROM equipment_loss_items
		WHERE organisation_id = $1 AND loss_id = $2 ORDER BY position`, orgID, id)
	if err != nil {
		return nil, err
	}
	var items []string
	for rows.Next() {
		var cat, model, serial, tag string
		if err := rows.Scan(&cat, &model, &serial, &tag); err != nil {
			rows.Close()
			return nil, err
		}
		c.Entry.Items = append(c.Entry.Items, distans.EquipmentCategory(cat))
		item := cat
		for _, s := range []string{model, serial, tag} {
			if s != "" {
				item += " " + s
			}
		}
		items = append(items, item)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	f := caseFields{c}
	f.add("kind", "Slag", "Kind", c.Entry.Subject("sv"))
	f.add("holder", "Innehavare", "Holder", c.Entry.Party)
	f.add("personal_number", "Personnummer", "Personal identity number", pnr)
	f.add("items", "Utrustning", "Equipment", strings.Join(items, "; "))
	f.add("occurred_at", "Inträffade", "Occurred", whenIn(occurred, loc))
	f.add("discovered_at", "Upptäcktes", "Discovered", whenIn(&discovered, loc))
	f.add("place", "Plats", "Place", place)
	f.add("outside_premises", "Utanför arbetsplatsen", "Outside the premises", yesNo(c.OutsidePremises))
	f.add("description", "Beskrivning", "Description", description)
	f.add("incident", "Incident", "Incident", incident.String)
	f.add("state", "Läge", "State", c.Entry.State)
	return c, nil
}

// CreateRelease records the request and the registrator's decision on it,
// checked against the case as it is read in the same transaction, with the
// maskings and the copy released, and audits it.
func (s *Store) CreateRelease(ctx context.Context, in distans.ReleaseInput, provisions []distans.SecrecyProvision) (*distans.ReleaseRequest, error) {
	a, err := releaseActor(ctx)
	if err != nil {
		return nil, err
	}
	in.Requester = distans.CleanRequester(in.Requester)
	in.Delegation, in.Note = strings.TrimSpace(in.Delegation), strings.TrimSpace(in.Note)
	var out *distans.ReleaseRequest
	err = s.write(ctx, func(tx *sql.Tx) error {
		c, err := s.releaseCase(ctx, tx, a, in.Kind, in.RecordID)
		if err != nil {
			return err
		}
		today, err := s.today(ctx, tx, a.OrganisationID)
		if err != nil {
			return err
		}
		if err := in.Validate(c, provisions, today); err != nil {
			return err
		}
		r := &distans.ReleaseRequest{ID: newID(), OrganisationID: a.OrganisationID, Kind: in.Kind, RecordID: in.RecordID,
			CaseNumber: c.Entry.Number, Requester: in.Requester, RequestedOn: in.RequestedOn, Outcome: in.Outcome(),
			Delegation: in.Delegation, Note: in.Note, Released: distans.ReleaseCopy(c, &in, provisions),
			DecidedByID: a.PersonID, DecidedByName: a.Name, DecidedAt: now(ctx), Maskings: []distans.Masking{}}
		if in.Refuse {
			r.RefusalProvision = in.RefusalProvision
			r.RefusalCitation = distans.ProvisionCitation(provisions, in.RefusalProvision)
		} else {
			for _, m := range in.Maskings {
				m.Citation = distans.ProvisionCitation(provisions, m.Provision)
				r.Maskings = append(r.Maskings, m)
			}
		}
		released, err := json.Marshal(r.Released)
		if err != nil {
			return err
		}
		var agreementID, incidentID, lossID any
		switch in.Kind {
		case distans.RegisterAgreement:
			agreementID = in.RecordID
		case distans.RegisterIncident:
			incidentID = in.RecordID
		case distans.RegisterEquipmentLoss:
			lossID = in.RecordID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO release_requests (organisation_id, id, case_kind, agreement_id,
			incident_id, loss_id, case_number, requester, requested_on, outcome, refusal_provision, refusal_citation,
			delegation, note, released, decided_by, decided_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
			r.OrganisationID, r.ID, string(r.Kind), agreementID, incidentID, lossID, r.CaseNumber, r.Requester,
			day(r.RequestedOn), string(r.Outcome), r.RefusalProvision, r.RefusalCitation, r.Delegation, r.Note,
			string(released), r.DecidedByID, ts(r.DecidedAt)); err != nil {
			return err
		}
		for i, m := range r.Maskings {
			if _, err := tx.ExecContext(ctx, `INSERT INTO release_maskings (organisation_id, request_id, field, position,
				provision, citation) VALUES ($1, $2, $3, $4, $5, $6)`,
				r.OrganisationID, r.ID, m.Field, i, m.Provision, m.Citation); err != nil {
				return err
			}
		}
		out = r
		return s.audit(ctx, tx, a, a.OrganisationID, "records.release_decide", string(r.Kind), r.RecordID,
			releaseSummary(r))
	})
	return out, err
}

// releaseSummary says what a decision did, for the audit trail: the
// fields and provisions, never a value.
func releaseSummary(r *distans.ReleaseRequest) string {
	s := "decided on a request for " + r.CaseNumber + " from " + r.RequesterName() + ": " + string(r.Outcome)
	switch {
	case r.Outcome == distans.ReleaseRefused:
		s += " under " + r.RefusalCitation
	case len(r.Maskings) > 0:
		var parts []string
		for _, m := range r.Maskings {
			parts = append(parts, m.Field+" ("+m.Citation+")")
		}
		s += ", masked " + strings.Join(parts, ", ")
	}
	return s
}

const releaseCols = `r.id, r.organisation_id, r.case_kind, COALESCE(r.agreement_id, r.incident_id, r.loss_id), r.case_number,
	r.requester, r.requested_on, r.outcome, r.refusal_provision, r.refusal_citation, r.delegation, r.note, r.released,
	r.decided_by, d.name, r.decided_at, COALESCE(au.path, iu.path, lp.unit_path, '')`

// releaseFrom joins each decision to its case's unit, where the
// registrator's scope applies.
const releaseFrom = ` FROM release_requests r
	JOIN people d ON d.organisation_id = r.organisation_id AND d.id = r.decided_by
	LEFT JOIN agreements a ON a.organisation_id = r.organisation_id AND a.id = r.agreement_id
	LEFT JOIN units au ON au.organisation_id = a.organisation_id AND au.id = a.unit_id
	LEFT JOIN incidents i ON i.organisation_id = r.organisation_id AND i.id = r.incident_id
	LEFT JOIN units iu ON iu.organisation_id = i.organisation_id AND iu.id = i.unit_id
	LEFT JOIN equipment_losses l ON l.organisation_id = r.organisation_id AND l.id = r.loss_id
	LEFT JOIN people lp ON lp.organisation_id = l.organisation_id AND lp.id = l.person_id`

// queryReleases reads decisions with their maskings, those in the actor's
// scope only.
func queryReleases(ctx context.Context, q querier, a *distans.Actor, where string, params ...any) ([]*distans.ReleaseRequest, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+releaseCols+releaseFrom+where, params...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*distans.ReleaseRequest{}
	byID := map[string]*distans.ReleaseRequest{}
	for rows.Next() {
		r := &distans.ReleaseRequest{Maskings: []distans.Masking{}}
		var kind, outcome, released, path string
		if err := rows.Scan(&r.ID, &r.OrganisationID, &kind, &r.RecordID, &r.CaseNumber, &r.Requester, dt(&r.RequestedOn),
			&outcome, &r.RefusalProvision, &r.RefusalCitation, &r.Delegation, &r.Note, &released, &r.DecidedByID,
			&r.DecidedByName, tm(&r.DecidedAt), &path); err != nil {
			return nil, err
		}
		if !a.ReleasesFrom(path) {
			continue
		}
		r.Kind, r.Outcome = distans.RegisterKind(kind), distans.ReleaseOutcome(outcome)
		if err := json.Unmarshal([]byte(released), &r.Released); err != nil {
			return nil, fmt.Errorf("release %s: %w", r.ID, err)
		}
		out = append(out, r)
		byID[r.ID] = r
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	ma := args{a.OrganisationID}
	ph := make([]string, len(out))
	for i, r := range out {
		ph[i] = ma.add(r.ID)
	}
	mrows, err := q.QueryContext(ctx, `SELECT request_id, field, provision, citation FROM release_maskings
		WHERE organisation_id = $1 AND request_id IN (`+strings.Join(ph, ", ")+`) ORDER BY request_id, position`, ma...)
	if err != nil {
		return nil, err
	}
	defer mrows.Close()
	for mrows.Next() {
		var id string
		var m distans.Masking
		if err := mrows.Scan(&id, &m.Field, &m.Provision, &m.Citation); err != nil {
			return nil, err
		}
		if r := byID[id]; r != nil {
			r.Maskings = append(r.Maskings, m)
		}
	}
	return out, mrows.Err()
}

func findRelease(ctx context.Context, q querier, a *distans.Actor, id string) (*distans.ReleaseRequest, error) {
	rs, err := queryReleases(ctx, q, a, ` WHERE r.organisation_id = $1 AND r.id = $2`, a.OrganisationID, id)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, errReleaseNotFound()
	}
	return rs[0], nil
}

// FindRelease returns a decision in the registrator's scope.
func (s *Store) FindRelease(ctx context.Context, id string) (*distans.ReleaseRequest, error) {
	a, err := releaseActor(ctx)
	if err != nil {
		return nil, err
	}
	var out *distans.ReleaseRequest
	err = s.read(ctx, func(tx *sql.Tx) error {
		out, err = findRelease(ctx, tx, a, id)
		return err
	})
	return out, err
}

// MaxReleaseList is the most decisions ListReleases returns.
const MaxReleaseList = 200

// ListReleases returns the latest decisions in the registrator's scope,
// newest first; those on one case when recordID is given.
func (s *Store) ListReleases(ctx context.Context, kind distans.RegisterKind, recordID string) ([]*distans.ReleaseRequest, error) {
	a, err := releaseActor(ctx)
	if err != nil {
		return nil, err
	}
	where := ` WHERE r.organisation_id = $1`
	qa := []any{a.OrganisationID}
	if recordID != "" {
		col := map[distans.RegisterKind]string{distans.RegisterAgreement: "r.agreement_id",
			distans.RegisterIncident: "r.incident_id", distans.RegisterEquipmentLoss: "r.loss_id"}[kind]
		if col == "" {
			return nil, errCaseNotFound()
		}
		where += ` AND ` + col + ` = $2`
		qa = append(qa, recordID)
	}
	var out []*distans.ReleaseRequest
	err = s.read(ctx, func(tx *sql.Tx) error {
		out, err = queryReleases(ctx, tx, a, where+` ORDER BY r.decided_at DESC, r.id DESC`+limitRows(MaxReleaseList), qa...)
		return err
	})
	return out, err
}

// OpenRelease returns a decision for a download of doc ("copy" or
// "decision") and audits the download.
func (s *Store) OpenRelease(ctx context.Context, id, doc string) (*distans.ReleaseRequest, error) {
	a, err := releaseActor(ctx)
	if err != nil {
		return nil, err
	}
	var out *distans.ReleaseRequest
	err = s.write(ctx, func(tx *sql.Tx) error {
		r, err := findRelease(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if doc == "copy" && r.Outcome == distans.ReleaseRefused {
			return distans.Errorf(distans.ECONFLICT, "Begäran avslogs i sin helhet; ingen kopia lämnas ut.",
				"The request was refused in whole; no copy is released.")
		}
		out = r
		return s.audit(ctx, tx, a, a.OrganisationID, "records.release_"+doc, string(r.Kind), r.RecordID,
			"downloaded the "+doc+" of the release decision on "+r.CaseNumber)
	})
	return out, err
}
