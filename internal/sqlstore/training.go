package sqlstore

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/training"
)

var _ training.Store = (*Store)(nil)

// The training store: completions of the pack's courses, and what the
// training rule (distans.TrainingStatusOf) needs of the people employed.
// Who may do what is the Actor's training rules; a person or completion
// the actor may not see is not found.

func errCompletionNotFound() error {
	return distans.NotFound("Genomförandet finns inte.", "The completion does not exist.")
}

const completionAuditRecord = "training_completion"

// Completions are read with the person's name and unit path, which decide
// who sees them, and the name of who recorded them.
const completionCols = `c.organisation_id, c.id, c.person_id, p.name, p.unit_path, c.course_id, c.completed_on, c.source,
	c.certificate_name, c.certificate_content_type, c.certificate_size, c.certificate_sha256, c.recorded_by,
	COALESCE(r.name, ''), c.created_at`
const completionFrom = ` FROM training_completions c
	JOIN people p ON p.organisation_id = c.organisation_id AND p.id = c.person_id
	LEFT JOIN people r ON r.organisation_id = c.organisation_id AND r.id = c.recorded_by`

func scanCompletion(sc interface{ Scan(...any) error }, extra ...any) (*distans.TrainingCompletion, error) {
	c := &distans.TrainingCompletion{}
	var name, ctype, sum sql.NullString
	var size sql.NullInt64
	err := sc.Scan(append([]any{&c.OrganisationID, &c.ID, &c.PersonID, &c.PersonName, &c.PersonUnitPath, &c.CourseID,
		dt(&c.CompletedOn), &c.Source, &name, &ctype, &size, &sum, str(&c.RecordedByID), &c.RecordedByName, tm(&c.CreatedAt)},
		extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errCompletionNotFound()
	} else if err != nil {
		return nil, err
	}
	if name.Valid {
		c.Certificate = &distans.Attachment{ID: c.ID, Name: name.String, ContentType: ctype.String, Size: size.Int64,
			SHA256: sum.String, CreatedAt: c.CreatedAt}
	}
	return c, nil
}

// findCompletion returns a completion not removed, for the actor: not
// found unless they see the person's training.
func findCompletion(ctx context.Context, q querier, a *distans.Actor, id, lock string, extra ...any) (*distans.TrainingCompletion, error) {
	cols := completionCols
	if len(extra) > 0 {
		cols += ", c.certificate_content"
	}
	c, err := scanCompletion(q.QueryRowContext(ctx, `SELECT `+cols+completionFrom+`
		WHERE c.organisation_id = $1 AND c.id = $2 AND c.removed_at IS NULL`+lock, a.OrganisationID, id), extra...)
	if err != nil {
		return nil, err
	}
	if !a.SeesTrainingOf(c.PersonID, c.PersonUnitPath) {
		return nil, errCompletionNotFound()
	}
	return c, nil
}

// CheckTrainingCompletions answers as CreateTrainingCompletions would,
// saving nothing: an import's dry run.
func (s *Store) CheckTrainingCompletions(ctx context.Context, cs []*distans.TrainingCompletion) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return invalid("rows", "Ange minst ett genomförande.", "Give at least one completion.")
	}
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	return s.checkCompletions(ctx, tx, a, cs)
}

// checkCompletions is the one check of completions to record: each
// person found and the actor allowed to record for them, each row valid
// against the person's first employment and today in the organisation's
// time zone (distans.ValidateCompletion). It fills in each row's person
// name, unit path and source.
func (s *Store) checkCompletions(ctx context.Context, tx *sql.Tx, a *distans.Actor, cs []*distans.TrainingCompletion) error {
	today, err := s.today(ctx, tx, a.OrganisationID)
	if err != nil {
		return err
	}
	var v distans.Validation
	prefix := func(i int) string {
		if len(cs) == 1 {
			return ""
		}
		return fmt.Sprintf("rows[%d].", i)
	}
	firsts := map[string]time.Time{}
	for i, c := range cs {
		if c.PersonID == "" {
			c.PersonID = a.PersonID
		}
		p, err := findPersonRow(ctx, tx, a.OrganisationID, c.PersonID)
		if distans.ErrorCode(err) == distans.ENOTFOUND && len(cs) > 1 {
			v.Add(prefix(i)+"person_id", "Personen finns inte.", "The person does not exist.")
			continue
		} else if err != nil {
			return err
		}
		switch {
		case c.Source == distans.CompletionImport && !a.ImportsTraining():
			return distans.Forbidden()
		case c.Source != distans.CompletionImport && !a.RecordsTrainingOf(p.ID, p.UnitPath):
			if a.SeesTrainingOf(p.ID, p.UnitPath) {
				return distans.Forbidden()
			}
			return errPersonNotFound()
		}
		if c.Source == "" {
			c.Source = distans.CompletionOther
			if p.ID == a.PersonID {
				c.Source = distans.CompletionSelf
			}
		}
		first, ok := firsts[p.ID]
		if !ok {
			var d *time.Time
			if err := tx.QueryRowContext(ctx, `SELECT MIN(starts_on) FROM employments WHERE organisation_id = $1 AND person_id = $2`,
				a.OrganisationID, p.ID).Scan(nulldt(&d)); err != nil {
				return err
			}
			if d != nil {
				first = *d
			}
			firsts[p.ID] = first
		}
		c.PersonName, c.PersonUnitPath = p.Name, p.UnitPath
		req := &distans.CompletionRequest{PersonID: p.ID, CourseID: c.CourseID, CompletedOn: c.CompletedOn, Certificate: c.Certificate}
		if err := distans.ValidateCompletion(req, first, today); err != nil {
			for _, f := range fieldsOf(err) {
				v.Add(prefix(i)+f.Field, f.Sv, f.En)
			}
		}
	}
	return v.Err()
}

// CreateTrainingCompletions records completions in one transaction, each
// checked and allowed (see training.Store); nothing is saved when any row
// is refused. Several rows name the row in each field error
// ("rows[2].completed_on").
func (s *Store) CreateTrainingCompletions(ctx context.Context, cs []*distans.TrainingCompletion) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return invalid("rows", "Ange minst ett genomförande.", "Give at least one completion.")
	}
	if err := s.refreshDue(ctx, a.OrganisationID); err != nil {
		return err
	}
	at := now(ctx)
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.checkCompletions(ctx, tx, a, cs); err != nil {
			return err
		}
		var log auditLog
		for _, c := range cs {
			c.ID, c.OrganisationID, c.CreatedAt = newID(), a.OrganisationID, at
			c.RecordedByID, c.RecordedByName = a.PersonID, a.Name
			c.CompletedOn = distans.DateOf(c.CompletedOn)
			var name, ctype, sum, content any
			var size any
			if f := c.Certificate; f != nil {
				h := sha256.Sum256(f.Content)
				f.ID, f.SHA256, f.Size, f.CreatedAt = c.ID, hex.EncodeToString(h[:]), int64(len(f.Content)), at
				name, ctype, size, sum, content = f.Name, f.ContentType, f.Size, f.SHA256, f.Content
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO training_completions (organisation_id, id, person_id, course_id,
				completed_on, source, certificate_name, certificate_content_type, certificate_size, certificate_sha256,
				certificate_content, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
				c.OrganisationID, c.ID, c.PersonID, c.CourseID, day(c.CompletedOn), string(c.Source), name, ctype, size, sum,
				content, nullStr(a.PersonID), ts(at)); err != nil {
				return err
			}
			summary := "completed " + c.CourseID + " on " + day(c.CompletedOn) + " (" + string(c.Source) + ")"
			if c.Certificate != nil {
				summary += ", certificate " + c.Certificate.Name
			}
			log.add("training.completion_recorded", completionAuditRecord, c.ID, summary+" for person "+c.PersonID)
		}
		return s.writeAudit(ctx, tx, a, a.OrganisationID, &log)
	})
}

// FindTrainingCompletion returns a completion not removed, without its
// certificate's content.
func (s *Store) FindTrainingCompletion(ctx context.Context, id string) (*distans.TrainingCompletion, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	return findCompletion(ctx, s.rdb, a, id, "")
}

// ListTrainingCompletions returns a person's completions not removed (the
// actor's own when personID is empty), newest first.
func (s *Store) ListTrainingCompletions(ctx context.Context, personID string) ([]*distans.TrainingCompletion, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if personID == "" {
		personID = a.PersonID
	}
	p, err := findPersonRow(ctx, s.rdb, a.OrganisationID, personID)
	if err != nil {
		return nil, err
	}
	if !a.SeesTrainingOf(p.ID, p.UnitPath) {
		return nil, errPersonNotFound()
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+completionCols+completionFrom+`
		WHERE c.organisation_id = $1 AND c.person_id = $2 AND c.removed_at IS NULL
		ORDER BY c.completed_on DESC, c.created_at DESC, c.id`, a.OrganisationID, p.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.TrainingCompletion
	for rows.Next() {
		c, err := scanCompletion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RemoveTrainingCompletion withdraws a completion with a reason: the row
// stays, marked removed, and the rule no longer counts it.
func (s *Store) RemoveTrainingCompletion(ctx context.Context, id, reason string) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return invalid("reason", "Ange varför genomförandet tas bort.", "Give the reason the completion is removed.")
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := lockRow(ctx, tx, "training_completions", a.OrganisationID, id, s.dialect.forUpdate, errCompletionNotFound); err != nil {
			return err
		}
		c, err := findCompletion(ctx, tx, a, id, "")
		if err != nil {
			return err
		}
		if !a.RecordsTrainingOf(c.PersonID, c.PersonUnitPath) {
			return distans.Forbidden()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE training_completions SET removed_at = $3, removed_by = $4, removed_reason = $5
			WHERE organisation_id = $1 AND id = $2`, a.OrganisationID, id, ts(now(ctx)), nullStr(a.PersonID), reason); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, a.OrganisationID, "training.completion_removed", completionAuditRecord, id,
			"removed "+c.CourseID+" of "+day(c.CompletedOn)+" for person "+c.PersonID+": "+reason)
	})
}

// TrainingCertificate returns a completion's certificate with its content.
func (s *Store) TrainingCertificate(ctx context.Context, completionID string) (*distans.Attachment, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var content []byte
	c, err := findCompletion(ctx, s.rdb, a, completionID, "", &content)
	if err != nil {
		return nil, err
	}
	if c.Certificate == nil {
		return nil, distans.NotFound("Genomförandet har inget intyg.", "The completion has no certificate.")
	}
	c.Certificate.Content = content
	return c.Certificate, nil
}

// UnitPathsByCode maps the organisation's unit codes to their paths.
func (s *Store) UnitPathsByCode(ctx context.Context, codes []string) (map[string]string, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	return unitPathsByCode(ctx, s.rdb, a.OrganisationID, codes)
}

func unitPathsByCode(ctx context.Context, q querier, orgID string, codes []string) (map[string]string, error) {
	out := map[string]string{}
	if len(codes) == 0 {
		return out, nil
	}
	var a args
	where := "organisation_id = " + a.add(orgID)
	ph := make([]string, len(codes))
	for i, c := range codes {
		ph[i] = a.add(c)
	}
	rows, err := q.QueryContext(ctx, `SELECT code, path FROM units WHERE `+where+` AND code IN (`+strings.Join(ph, ", ")+`)`, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var code, path string
		if err := rows.Scan(&code, &path); err != nil {
			return nil, err
		}
		out[code] = path
	}
	return out, rows.Err()
}

// TrainingSubjects returns what the training rule needs of the people
// currently employed in unitID's subtree (the actor's whole reach when
// empty), or of one person: three statements whatever the number of
// people (the people with their current employment, their roles, their
// latest completion of each course).
func (s *Store) TrainingSubjects(ctx context.Context, unitID, personID string, courses ...string) ([]*distans.TrainingSubject, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.refreshDue(ctx, a.OrganisationID); err != nil {
		return nil, err
	}
	today, err := s.today(ctx, s.rdb, a.OrganisationID)
	if err != nil {
		return nil, err
	}
	var out []*distans.TrainingSubject
	err = s.read(ctx, func(tx *sql.Tx) error {
		var q args
		where := "p.organisation_id = " + q.add(a.OrganisationID)
		scope := a.FollowsTrainingIn()
		if a.System || a.SeesTrainingCounts() {
			scope = distans.Scope{All: true}
		}
		if personID != "" {
			p, err := findPersonRow(ctx, tx, a.OrganisationID, personID)
			if err != nil {
				return err
			}
			if !a.SeesTrainingOf(p.ID, p.UnitPath) && !scope.Contains(p.UnitPath) {
				return errPersonNotFound()
			}
			where += " AND p.id = " + q.add(p.ID)
		} else {
			if scope.None() {
				where += " AND p.id = " + q.add(a.PersonID)
			} else {
				where += " AND " + scopeSQL(&q, "p.unit_path", scope)
			}
			if unitID != "" {
				u, err := findUnit(ctx, tx, a.OrganisationID, unitID)
				if err != nil {
					return err
				}
				where += " AND " + inSubtree(&q, "p.unit_path", u.Path)
			}
		}
		out, err = trainingSubjects(ctx, tx, where, len(q) == 1, today, q, courses)
		return err
	})
	return out, err
}

// trainingSubjects reads the subjects among the people p matching where
// (with its arguments q, the organisation first), currently employed on
// today; whole says where is the organisation alone.
func trainingSubjects(ctx context.Context, tx *sql.Tx, where string, whole bool, today time.Time, q args,
	courses []string) ([]*distans.TrainingSubject, error) {
	// The people and their current employment, then the units by
	// themselves, sorted here: SQLite would sort fifty thousand joined rows
	// in a temporary b-tree and copy every unit's name into each.
	t := q.add(day(today))
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.name, p.name_key, e.unit_id, e.starts_on
		FROM people p JOIN employments e ON e.organisation_id = p.organisation_id AND e.person_id = p.id AND `+currentOn("e", t)+`
		WHERE `+where, q...)
	if err != nil {
		return nil, err
	}
	var out []*distans.TrainingSubject
	byID := map[string]*distans.TrainingSubject{}
	keys := map[*distans.TrainingSubject]string{}
	for rows.Next() {
		s := &distans.TrainingSubject{}
		var key string
		if err := rows.Scan(&s.PersonID, &s.PersonName, &key, &s.UnitID, dt(&s.EmployedFrom)); err != nil {
			rows.Close()
			return nil, err
		}
		// Two current employments: the one that began first.
		if o := byID[s.PersonID]; o != nil {
			if s.EmployedFrom.Before(o.EmployedFrom) {
				o.UnitID, o.EmployedFrom = s.UnitID, s.EmployedFrom
			}
			continue
		}
		byID[s.PersonID], keys[s] = s, key
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	type unit struct{ name, path string }
	units := map[string]unit{}
	rows, err = tx.QueryContext(ctx, `SELECT id, name, path FROM units WHERE organisation_id = $1`, q[0])
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		var u unit
		if err := rows.Scan(&id, &u.name, &u.path); err != nil {
			rows.Close()
			return nil, err
		}
		units[id] = u
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, s := range out {
		u := units[s.UnitID]
		s.UnitName, s.UnitPath = u.name, u.path
	}
	slices.SortFunc(out, func(x, y *distans.TrainingSubject) int {
		return cmp.Or(strings.Compare(x.UnitPath, y.UnitPath), strings.Compare(x.UnitID, y.UnitID),
			strings.Compare(keys[x], keys[y]), strings.Compare(x.PersonID, y.PersonID))
	})
	q = q[:len(q)-1]
	// The roles and completions of the same people, without asking their
	// employment again: rows of people not among the subjects are skipped
	// here. For a whole organisation the completions are read from their
	// index alone.
	rows, err = tx.QueryContext(ctx, `SELECT r.person_id, r.role FROM people p
		JOIN role_assignments r ON r.organisation_id = p.organisation_id AND r.person_id = p.id AND r.ended_at IS NULL
		WHERE `+where+` ORDER BY r.person_id, r.role`, q...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		var role distans.Role
		if err := rows.Scan(&id, &role); err != nil {
			rows.Close()
			return nil, err
		}
		if s := byID[id]; s != nil && (len(s.Roles) == 0 || s.Roles[len(s.Roles)-1] != role) {
			s.Roles = append(s.Roles, role)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	only := ""
	if len(courses) > 0 {
		ph := make([]string, len(courses))
		for i, c := range courses {
			ph[i] = q.add(c)
		}
		only = " AND c.course_id IN (" + strings.Join(ph, ", ") + ")"
	}
	completions := `SELECT c.person_id, c.course_id, MAX(c.completed_on) FROM training_completions c
		WHERE c.organisation_id = $1 AND c.removed_at IS NULL` + only + ` AND c.person_id IN (SELECT p.id FROM people p WHERE ` + where + `)
		GROUP BY c.person_id, c.course_id`
	if whole {
		completions = `SELECT c.person_id, c.course_id, MAX(c.completed_on) FROM training_completions c
			WHERE c.organisation_id = $1 AND c.removed_at IS NULL` + only + ` GROUP BY c.person_id, c.course_id`
	}
	rows, err = tx.QueryContext(ctx, completions, q...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, course string
		var on time.Time
		if err := rows.Scan(&id, &course, dt(&on)); err != nil {
			return nil, err
		}
		if s := byID[id]; s != nil {
			if s.Completed == nil {
				s.Completed = map[string]time.Time{}
			}
			s.Completed[course] = on
		}
	}
	return out, rows.Err()
}

// TrainingImportPeople finds the people an import of completions names,
// by employee number and by e-mail address (normalised), a few hundred a
// statement: "n:NUMBER" and "e:EMAIL" to the person's ID, absent when no
// one has it. Only those who import training ask (ImportsTraining).
func (s *Store) TrainingImportPeople(ctx context.Context, numbers, emails []string) (map[string]string, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if !a.ImportsTraining() {
		return nil, distans.Forbidden()
	}
	out := map[string]string{}
	for _, by := range []struct {
		prefix, column string
		keys           []string
	}{{"n:", "employee_number", numbers}, {"e:", "email", emails}} {
		for chunk := range slices.Chunk(by.keys, 500) {
			var q args
			org := q.add(a.OrganisationID)
			ph := make([]string, len(chunk))
			for i, k := range chunk {
				if by.prefix == "e:" {
					k = distans.NormalizeEmail(k)
				}
				ph[i] = q.add(k)
			}
			rows, err := s.rdb.QueryContext(ctx, `SELECT `+by.column+`, id FROM people WHERE organisation_id = `+org+`
				AND `+by.column+` IN (`+strings.Join(ph, ", ")+`)`, q...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var key, id string
				if err := rows.Scan(&key, &id); err != nil {
					rows.Close()
					return nil, err
				}
				out[by.prefix+key] = id
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
