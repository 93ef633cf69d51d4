package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
)

// This file holds the agreements' rows, reads and the rules of who may do
// what; agreement_change.go the changes; agreement_jobs.go the background
// scans, the import and RemoteWeekdays.

var _ distans.AgreementStore = (*Store)(nil)

func errAgreementNotFound() error {
	return distans.NotFound("Överenskommelsen finns inte.", "The agreement does not exist.")
}

func errAgreementStale() error {
	return distans.Errorf(distans.ECONFLICT, "Överenskommelsen har ändrats sedan du öppnade den. Ladda om sidan.",
		"The agreement has changed since you opened it. Reload the page.")
}

func errAgreementOpen(err error) error {
	return conflict(err, "Du har redan en pågående ansökan om distansarbete.",
		"You already have an open request for remote work.")
}

// errAgreementState is ECONFLICT for a change the case's state does not allow.
func errAgreementState(st distans.AgreementState) error {
	sv, en := agreementStateText(st)
	return distans.Errorf(distans.ECONFLICT, "Det går inte i det här läget: ärendet är "+sv+".",
		"That is not possible now: the case is "+en+".")
}

func agreementStateText(st distans.AgreementState) (sv, en string) {
	switch st {
	case distans.AgreementRequested:
		return "ansökt", "requested"
	case distans.AgreementAssessed:
		return "bedömt", "assessed"
	case distans.AgreementDeclined:
		return "avslaget", "declined"
	case distans.AgreementWithdrawn:
		return "återkallat", "withdrawn"
	case distans.AgreementAwaitingSignature:
		return "under underskrift", "awaiting signatures"
	case distans.AgreementActive:
		return "gällande", "active"
	case distans.AgreementEnded:
		return "avslutat", "ended"
	}
	return string(st), string(st)
}

// agreementCols are read for every agreement; the remote place is not
// among them. agreementPlaceSet and agreementPlaces end the list: the first
// for reads, the second for changes, which must keep the place.
const agreementCols = `a.organisation_id, a.id, a.number, a.person_id, p.name, a.unit_id, u.name, u.path, a.state, a.version,
	a.next_follow_up_on, a.renewal_of, a.renewed_by, a.ended_on, a.end_reason, a.end_note, a.ended_by,
	a.request, a.assessment, a.risk, a.decision, a.terms, a.findings, a.pack_version, a.signatures, a.evaluation,
	a.created_at, a.updated_at`
const agreementPlaceSet = `, CASE WHEN a.request_place <> '' OR a.terms_place <> '' THEN 1 ELSE 0 END`
const agreementPlaces = `, a.request_place, a.terms_place`
const agreementFrom = ` FROM agreements a
	JOIN people p ON p.organisation_id = a.organisation_id AND p.id = a.person_id
	JOIN units u ON u.organisation_id = a.organisation_id AND u.id = a.unit_id`

// agreement is a case as the store holds it: the domain value, which never
// carries the remote place, and the place kept apart.
type agreement struct {
	*distans.Agreement
	requestPlace, termsPlace string
}

// fullTerms returns the terms with the remote place, what a signature's
// hash covers; nil when there are none.
func (g *agreement) fullTerms() *distans.Terms {
	if g.Terms == nil {
		return nil
	}
	t := *g.Terms
	t.RemotePlace = g.termsPlace
	return &t
}

func unmarshalOpt[T any](s string) (*T, error) {
	if s == "" {
		return nil, nil
	}
	v := new(T)
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return nil, fmt.Errorf("sqlstore: agreement json: %w", err)
	}
	return v, nil
}

// scanAgreement reads agreementCols and then agreementPlaceSet (places
// false) or agreementPlaces (places true).
func scanAgreement(sc interface{ Scan(...any) error }, places bool) (*agreement, error) {
	g := &agreement{Agreement: &distans.Agreement{}}
	a := g.Agreement
	var request, assessment, risk, decision, terms, findings, signatures, evaluation string
	var endReason string
	dest := []any{&a.OrganisationID, &a.ID, &a.Number, &a.PersonID, &a.PersonName, &a.UnitID, &a.UnitName, &a.UnitPath,
		&a.State, &a.Version, nulldt(&a.NextFollowUpOn), str(&a.RenewalOf), str(&a.RenewedBy), nulldt(&a.EndedOn),
		&endReason, &a.EndNote, &a.EndedBy, &request, str(&assessment), str(&risk), str(&decision), str(&terms),
		&findings, &a.PackVersion, &signatures, str(&evaluation), tm(&a.CreatedAt), tm(&a.UpdatedAt)}
	var placeSet int
	if places {
		dest = append(dest, &g.requestPlace, &g.termsPlace)
	} else {
		dest = append(dest, &placeSet)
	}
	err := sc.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errAgreementNotFound()
	} else if err != nil {
		return nil, err
	}
	a.EndReason = distans.EndReason(endReason)
	if err := json.Unmarshal([]byte(request), &a.Request); err != nil {
		return nil, fmt.Errorf("sqlstore: agreement request: %w", err)
	}
	if a.Assessment, err = unmarshalOpt[distans.Assessment](assessment); err != nil {
		return nil, err
	}
	if a.Risk, err = unmarshalOpt[distans.RiskAssessment](risk); err != nil {
		return nil, err
	}
	if a.Decision, err = unmarshalOpt[distans.Decision](decision); err != nil {
		return nil, err
	}
	if a.Terms, err = unmarshalOpt[distans.Terms](terms); err != nil {
		return nil, err
	}
	if a.Evaluation, err = unmarshalOpt[distans.Evaluation](evaluation); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(findings), &a.Findings); err != nil {
		return nil, fmt.Errorf("sqlstore: agreement findings: %w", err)
	}
	if err := json.Unmarshal([]byte(signatures), &a.Signatures); err != nil {
		return nil, fmt.Errorf("sqlstore: agreement signatures: %w", err)
	}
	a.PlaceSet = placeSet == 1 || g.requestPlace != "" || g.termsPlace != ""
	return g, nil
}

// visibleAgreement returns a case the actor may see, with its place
// (ENOTFOUND otherwise, whether it exists or not); lock as for
// findAgreementRow.
func visibleAgreement(ctx context.Context, q querier, act *distans.Actor, id, lock string) (*agreement, error) {
	g, err := findAgreementRow(ctx, q, act.OrganisationID, id, lock)
	if err != nil {
		return nil, err
	}
	if !act.SeesAgreement(g.Agreement) {
		return nil, errAgreementNotFound()
	}
	return g, nil
}

// public returns the case as callers get it: never the place, but whether
// there is one and the hash of the terms as signed, place included.
func (g *agreement) public() *distans.Agreement {
	a := g.Agreement
	a.PlaceSet = g.requestPlace != "" || g.termsPlace != ""
	a.TermsHash = ""
	if t := g.fullTerms(); t != nil {
		a.TermsHash = t.Hash(g.ID, g.PersonID)
	}
	return a
}

// findAgreementRow returns a case of the organisation whoever asks, with
// its place; lock locks the row on PostgreSQL for a change.
func findAgreementRow(ctx context.Context, q querier, orgID, id string, lock string) (*agreement, error) {
	return scanAgreement(q.QueryRowContext(ctx, `SELECT `+agreementCols+agreementPlaces+agreementFrom+`
		WHERE a.organisation_id = $1 AND a.id = $2`+lock, orgID, id), true)
}

// The rules of who may do what with a case are the Actor's, shared with
// the agreement service and the pages; the change table names them so.
var (
	isAgreementEmployee = (*distans.Actor).IsAgreementEmployee
	isAgreementManager  = (*distans.Actor).ManagesAgreement
)

// FindAgreement returns a case the actor may see, with its follow-ups,
// newest first, and the hash of its terms; never the remote place.
func (s *Store) FindAgreement(ctx context.Context, id string) (*distans.Agreement, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var out *distans.Agreement
	err = s.read(ctx, func(tx *sql.Tx) error {
		// The place is read only to hash the terms as they are signed; it
		// leaves this function in the hash alone, so the read is not audited.
		g, err := visibleAgreement(ctx, tx, act, id, "")
		if err != nil {
			return err
		}
		if g.FollowUps, err = listFollowUps(ctx, tx, g.OrganisationID, g.ID); err != nil {
			return err
		}
		out = g.public()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// followUpBody is what a follow-up keeps as JSON.
type followUpBody struct {
	Goals         string `json:"goals"`
	Quality       string `json:"quality"`
	Availability  string `json:"availability"`
	WorkSituation string `json:"work_situation"`
	DigitalEnv    string `json:"digital_env"`
	SpillOver     string `json:"spill_over"`
	Measures      string `json:"measures"`
}

func insertFollowUp(ctx context.Context, tx *sql.Tx, orgID string, f *distans.FollowUp) error {
	body, err := json.Marshal(followUpBody{f.Goals, f.Quality, f.Availability, f.WorkSituation, f.DigitalEnv, f.SpillOver, f.Measures})
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO agreement_follow_ups (organisation_id, id, agreement_id, on_date, body,
		spill_over_rating, recorded_by, recorded_by_name, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		orgID, f.ID, f.AgreementID, day(f.Date), string(body), string(f.SpillOverRating), f.RecordedBy, f.RecordedByName, ts(f.RecordedAt))
	return err
}

func listFollowUps(ctx context.Context, q querier, orgID, agreementID string) ([]*distans.FollowUp, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, agreement_id, on_date, body, spill_over_rating, recorded_by, recorded_by_name, recorded_at
		FROM agreement_follow_ups WHERE organisation_id = $1 AND agreement_id = $2
		ORDER BY on_date DESC, recorded_at DESC, id DESC`, orgID, agreementID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.FollowUp
	for rows.Next() {
		f := &distans.FollowUp{}
		var body string
		if err := rows.Scan(&f.ID, &f.AgreementID, dt(&f.Date), &body, (*string)(&f.SpillOverRating), &f.RecordedBy, &f.RecordedByName, tm(&f.RecordedAt)); err != nil {
			return nil, err
		}
		var b followUpBody
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			return nil, fmt.Errorf("sqlstore: follow-up: %w", err)
		}
		f.Goals, f.Quality, f.Availability, f.WorkSituation, f.DigitalEnv, f.SpillOver, f.Measures =
			b.Goals, b.Quality, b.Availability, b.WorkSituation, b.DigitalEnv, b.SpillOver, b.Measures
		out = append(out, f)
	}
	return out, rows.Err()
}

// agreementUrgency ranks cases for lists, most urgent first: overdue
// follow-ups, requests to assess and decide, signatures, follow-ups due,
// expiring agreements, other active ones, and closed cases last.
func agreementUrgency(q *args, today time.Time) string {
	t, due, exp := q.add(day(today)), q.add(day(today.AddDate(0, 0, 14))), q.add(day(today.AddDate(0, 0, 60)))
	return `CASE
		WHEN a.state = 'active' AND a.next_follow_up_on < ` + t + ` THEN 0
		WHEN a.state IN ('requested', 'assessed') THEN 1
		WHEN a.state = 'awaiting_signature' THEN 2
		WHEN a.state = 'active' AND a.next_follow_up_on <= ` + due + ` THEN 3
		WHEN a.state = 'active' AND a.end_on <= ` + exp + ` THEN 4
		WHEN a.state = 'active' THEN 5
		ELSE 6 END`
}

// ListAgreements returns the cases the actor may see (their own, and those
// in their Actor.AgreementScope) that match
// the filter, most urgent first, and how many match in all. Queue selects
// the manager's work in the PermDecideAgreements scope, never the
// manager's own cases.
func (s *Store) ListAgreements(ctx context.Context, f distans.AgreementFilter) ([]*distans.Agreement, int, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 200)
	offset := max(f.Offset, 0)
	var out []*distans.Agreement
	var total int
	err = s.read(ctx, func(tx *sql.Tx) error {
		today, err := s.today(ctx, tx, act.OrganisationID)
		if err != nil {
			return err
		}
		var q args
		where := []string{"a.organisation_id = " + q.add(act.OrganisationID)}
		decide := act.Scope(distans.PermDecideAgreements)
		if f.Queue {
			where = append(where, scopeSQL(&q, "u.path", decide))
			if act.PersonID != "" {
				where = append(where, "a.person_id <> "+q.add(act.PersonID))
			}
			where = append(where, `(a.state IN ('requested', 'assessed')
				OR (a.state = 'awaiting_signature' AND a.manager_id IS NULL)
				OR (a.state = 'active' AND (a.next_follow_up_on <= `+q.add(day(today.AddDate(0, 0, 14)))+`
					OR a.end_on <= `+q.add(day(today.AddDate(0, 0, 60)))+`)))`)
		} else if sees := act.AgreementScope(); !sees.All {
			where = append(where, "(a.person_id = "+q.add(act.PersonID)+" OR "+scopeSQL(&q, "u.path", sees)+")")
		}
		if f.PersonID != "" {
			where = append(where, "a.person_id = "+q.add(f.PersonID))
		}
		if f.UnitID != "" {
			unit, err := findUnit(ctx, tx, act.OrganisationID, f.UnitID)
			if err != nil {
				return err
			}
			where = append(where, inSubtree(&q, "u.path", unit.Path))
		}
		if len(f.States) > 0 {
			ph := make([]string, len(f.States))
			for i, st := range f.States {
				ph[i] = q.add(string(st))
			}
			where = append(where, "a.state IN ("+strings.Join(ph, ", ")+")")
		}
		if f.ExpiringBy != nil {
			where = append(where, "a.state = 'active' AND a.end_on <= "+q.add(day(*f.ExpiringBy)))
		}
		if f.Overdue != nil {
			where = append(where, "a.state = 'active' AND a.next_follow_up_on < "+q.add(day(*f.Overdue)))
		}
		if qs := strings.TrimSpace(fold(f.Query)); qs != "" {
			var words []string
			for _, w := range strings.Fields(qs) {
				words = append(words, "p.search LIKE "+q.add("%"+escapeLike(w)+"%")+` ESCAPE '\'`)
			}
			where = append(where, "("+s.dialect.fold("a.number")+" LIKE "+q.add("%"+escapeLike(qs)+"%")+` ESCAPE '\' OR (`+
				strings.Join(words, " AND ")+"))")
		}
		cond := strings.Join(where, " AND ")
		// The page is chosen from the units and the covering index
		// agreements_queue alone (people only when searching by name);
		// the wide rows are read for that page only. The outer query
		// names the organisation again: without it Citus ran the page
		// first and then joined it to every shard's agreements.
		from := ` FROM agreements a JOIN units u ON u.organisation_id = a.organisation_id AND u.id = a.unit_id`
		if strings.Contains(cond, "p.") {
			from += ` JOIN people p ON p.organisation_id = a.organisation_id AND p.id = a.person_id`
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*)`+from+` WHERE `+cond, q...).Scan(&total); err != nil {
			return err
		}
		order := agreementUrgency(&q, today)
		rows, err := tx.QueryContext(ctx, `SELECT `+agreementCols+agreementPlaceSet+`
			FROM (SELECT a.organisation_id, a.id, `+order+` AS urgency, a.created_at`+from+` WHERE `+cond+`
				ORDER BY urgency, a.created_at, a.id `+limitRows(limit)+` OFFSET `+q.add(offset)+`) k
			JOIN agreements a ON a.organisation_id = k.organisation_id AND a.id = k.id
			JOIN people p ON p.organisation_id = a.organisation_id AND p.id = a.person_id
			JOIN units u ON u.organisation_id = a.organisation_id AND u.id = a.unit_id
			WHERE a.organisation_id = $1
			ORDER BY k.urgency, k.created_at, k.id`, q...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			g, err := scanAgreement(rows, false)
			if err != nil {
				return err
			}
			out = append(out, g.Agreement)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// RevealRemotePlace returns the remote place of the request and of the
// terms to the person, the managers, HR in scope and the system, and
// audits the read.
func (s *Store) RevealRemotePlace(ctx context.Context, id string) (string, string, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return "", "", err
	}
	var req, terms string
	err = s.write(ctx, func(tx *sql.Tx) error {
		g, err := visibleAgreement(ctx, tx, act, id, "")
		if err != nil {
			return err
		}
		req, terms = g.requestPlace, g.termsPlace
		return s.audit(ctx, tx, act, g.OrganisationID, distans.AgreementAuditPlaceRead, "agreement", g.ID,
			"read the remote place of "+g.Number)
	})
	if err != nil {
		return "", "", err
	}
	return req, terms, nil
}

// decideRoles are the roles that grant PermDecideAgreements.
func decideRoles() []string {
	var out []string
	for _, r := range distans.Roles {
		if r.Allows(distans.PermDecideAgreements) {
			out = append(out, string(r))
		}
	}
	return out
}

// managersOf returns the people who hold PermDecideAgreements over the
// unit at unitPath on today, other than except.
func managersOf(ctx context.Context, q querier, orgID, unitPath string, today time.Time, except ...string) ([]string, error) {
	return roleHoldersOver(ctx, q, orgID, decideRoles(), unitPath, today, except...)
}

// roleHoldersOver returns the people who hold one of roles in the whole
// organisation or over the unit at unitPath on today, other than except,
// each once, ordered by ID.
func roleHoldersOver(ctx context.Context, q querier, orgID string, roles []string, unitPath string, today time.Time,
	except ...string) ([]string, error) {
	if len(roles) == 0 {
		return nil, nil
	}
	var a args
	ph := make([]string, len(roles))
	for i, r := range roles {
		ph[i] = a.add(r)
	}
	rows, err := q.QueryContext(ctx, `SELECT r.person_id, COALESCE(u.path, '')`+roleFrom+`
		WHERE r.organisation_id = `+a.add(orgID)+` AND r.ended_at IS NULL AND r.role IN (`+strings.Join(ph, ", ")+`)
		AND (u.ended_on IS NULL OR u.ended_on >= `+a.add(day(today))+`) ORDER BY r.person_id`, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, path string
		if err := rows.Scan(&id, &path); err != nil {
			return nil, err
		}
		in := path == "" || (distans.Scope{UnitPaths: []string{path}}).Contains(unitPath)
		if in && !slices.Contains(out, id) && !slices.Contains(except, id) {
			out = append(out, id)
		}
	}
	return out, rows.Err()
}

// notifyAll makes one notification of kind for each recipient, keyed
// "agreement/<id>/<occasion>/<recipient>".
func notifyAll(ctx context.Context, tx *sql.Tx, a *distans.Agreement, kind distans.NotificationKind, occasion string,
	params map[string]string, recipients ...string) error {
	return notifyLinked(ctx, tx, a, kind, occasion, "/agreements/"+a.ID, params, recipients...)
}

// notifyLinked is notifyAll with a link of its own, for recipients who may
// not open the agreement itself.
func notifyLinked(ctx context.Context, tx *sql.Tx, a *distans.Agreement, kind distans.NotificationKind, occasion, link string,
	params map[string]string, recipients ...string) error {
	seen := map[string]bool{}
	for _, r := range recipients {
		if r == "" || seen[r] {
			continue
		}
		seen[r] = true
		if _, err := notify(ctx, tx, &distans.Notification{OrganisationID: a.OrganisationID, PersonID: r,
			Key: "agreement/" + a.ID + "/" + occasion + "/" + r, Kind: kind, Params: params,
			Link: link}); err != nil {
			return err
		}
	}
	return nil
}

// nextNumber assigns the organisation's next registration number of the
// year: "DIST 2026/0042".
func nextNumber(ctx context.Context, tx *sql.Tx, orgID string, year int) (string, error) {
	var last int
	if err := tx.QueryRowContext(ctx, `INSERT INTO agreement_numbers (organisation_id, year, last) VALUES ($1, $2, 1)
		ON CONFLICT (organisation_id, year) DO UPDATE SET last = agreement_numbers.last + 1 RETURNING last`,
		orgID, year).Scan(&last); err != nil {
		return "", err
	}
	return fmt.Sprintf("DIST %d/%04d", year, last), nil
}

func marshalOpt[T any](v *T) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// agreementValues are the stored columns of a case after id, in the
// order of insertAgreement and saveAgreement; the JSON never holds the place.
func agreementValues(g *agreement) ([]any, error) {
	a := g.Agreement
	req := a.Request
	req.Place = ""
	reqJSON, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	var terms *distans.Terms
	start, end := a.Request.Start, a.Request.End
	if a.Terms != nil {
		t := *a.Terms
		t.RemotePlace = ""
		terms = &t
		start, end = t.Start, t.End
	}
	vals := []any{}
	for _, v := range []any{a.Assessment, a.Risk, a.Decision, terms, a.Evaluation} {
		var j any
		switch x := v.(type) {
		case *distans.Assessment:
			j, err = marshalOpt(x)
		case *distans.RiskAssessment:
			j, err = marshalOpt(x)
		case *distans.Decision:
			j, err = marshalOpt(x)
		case *distans.Terms:
			j, err = marshalOpt(x)
		case *distans.Evaluation:
			j, err = marshalOpt(x)
		}
		if err != nil {
			return nil, err
		}
		vals = append(vals, j)
	}
	findings, err := json.Marshal(nonNil(a.Findings))
	if err != nil {
		return nil, err
	}
	sigs, err := json.Marshal(nonNil(a.Signatures))
	if err != nil {
		return nil, err
	}
	managerID := ""
	if s := a.Signed(distans.SignerManager); s != nil {
		managerID = s.PersonID
	}
	return []any{a.Number, a.PersonID, a.UnitID, string(a.State), a.Version, day(start), day(end), nullDay(a.NextFollowUpOn),
		nullStr(managerID), nullStr(a.RenewalOf), nullStr(a.RenewedBy), nullDay(a.EndedOn), string(a.EndReason), a.EndNote,
		a.EndedBy, string(reqJSON), g.requestPlace, vals[0], vals[1], vals[2], vals[3], g.termsPlace, string(findings),
		a.PackVersion, string(sigs), vals[4], ts(a.CreatedAt), ts(a.UpdatedAt)}, nil
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

const agreementStored = `number, person_id, unit_id, state, version, start_on, end_on, next_follow_up_on,
	manager_id, renewal_of, renewed_by, ended_on, end_reason, end_note, ended_by, request, request_place, assessment, risk,
	decision, terms, terms_place, findings, pack_version, signatures, evaluation, created_at, updated_at`

func insertAgreement(ctx context.Context, tx *sql.Tx, g *agreement) error {
	vals, err := agreementValues(g)
	if err != nil {
		return err
	}
	var a args
	a.add(g.OrganisationID)
	a.add(g.ID)
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = a.add(v)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO agreements (organisation_id, id, `+agreementStored+`) VALUES ($1, $2, `+
		strings.Join(ph, ", ")+`)`, a...)
	return errAgreementOpen(err)
}

// saveAgreement writes the case over the stored one whose version is
// g.Version, and moves g to the next version; ECONFLICT when the stored
// version has moved on meanwhile.
func saveAgreement(ctx context.Context, tx *sql.Tx, g *agreement) error {
	old := g.Version
	g.Version++
	g.UpdatedAt = now(ctx)
	vals, err := agreementValues(g)
	if err != nil {
		return err
	}
	cols := strings.Fields(strings.ReplaceAll(agreementStored, ",", " "))
	var a args
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = " + a.add(vals[i])
	}
	res, err := tx.ExecContext(ctx, `UPDATE agreements SET `+strings.Join(sets, ", ")+` WHERE organisation_id = `+
		a.add(g.OrganisationID)+` AND id = `+a.add(g.ID)+` AND version = `+a.add(old), a...)
	if err != nil {
		return errAgreementOpen(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return errAgreementStale()
	}
	return nil
}
