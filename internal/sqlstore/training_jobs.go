package sqlstore

import (
	"context"
	"database/sql"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/training"
)

// The training jobs: the managers told of who is overdue with a course,
// and people reminded of a required document they have not acknowledged.
// They run as the system across every organisation (or the system
// actor's one), and each notice is made once by its key: a second run,
// or a second instance, finds the key and makes nothing.

// jobOrganisations returns the IDs of the organisations a job covers.
func jobOrganisations(ctx context.Context, q querier, only string) ([]string, error) {
	var a args
	rows, err := q.QueryContext(ctx, `SELECT id FROM organisations o WHERE `+orgFilter(&a, "o.id", only)+` ORDER BY id`, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// eachOrganisation runs a job round's part for each organisation it
// covers (the system actor's one, or every one), in ID order, each in a
// transaction of its own, so that a large round holds no lock over every
// organisation at once. prepare says, outside the transaction, what the
// organisation's part is (nil: nothing to do); what the parts made is
// summed, up to the first that fails.
func (s *Store) eachOrganisation(ctx context.Context, only string,
	prepare func(org string) (func(tx *sql.Tx) (int, error), error)) (int, error) {
	orgs, err := jobOrganisations(ctx, s.rdb, only)
	if err != nil {
		return 0, err
	}
	made := 0
	for _, org := range orgs {
		part, err := prepare(org)
		if err != nil {
			return made, err
		}
		if part == nil {
			continue
		}
		n := 0
		if err := s.write(ctx, func(tx *sql.Tx) error {
			var err error
			n, err = part(tx)
			return err
		}); err != nil {
			return made, err
		}
		made += n
	}
	return made, nil
}

// notifyNew records those of the notes of the organisation in ctx whose
// key does not exist yet, and returns how many it made. The keys are
// looked up first, 500 a statement, so that a daily round that meets the
// same occasions again writes nothing.
func (s *Store) notifyNew(ctx context.Context, tx *sql.Tx, notes []*distans.Notification) (int, error) {
	if len(notes) == 0 {
		return 0, nil
	}
	orgID := distans.ActorFrom(ctx).OrganisationID
	have := map[string]bool{}
	for chunk := range slices.Chunk(notes, 500) {
		var a args
		org := a.add(orgID)
		ph := make([]string, len(chunk))
		for i, n := range chunk {
			ph[i] = a.add(n.Key)
		}
		rows, err := tx.QueryContext(ctx, `SELECT key FROM notifications WHERE organisation_id = `+org+` AND key IN (`+
			strings.Join(ph, ", ")+`)`, a...)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return 0, err
			}
			have[k] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	var fresh []*distans.Notification
	for _, n := range notes {
		if !have[n.Key] {
			have[n.Key] = true
			fresh = append(fresh, n)
		}
	}
	return len(fresh), s.notifyMany(ctx, tx, fresh)
}

// TrainingOverdueNotices tells the managers over each person's unit, once
// per person, course and due date, that the person is overdue with the
// course or that their completion has run out. Whether they are is
// distans.TrainingStatusOf, asked of every subject of every organisation
// with a catalogue; it returns the number of notices made.
func (s *Store) TrainingOverdueNotices(ctx context.Context, today time.Time, catalogue training.Catalogue) (int, error) {
	_, only, err := jobActor(ctx)
	if err != nil {
		return 0, err
	}
	today = distans.DateOf(today)
	return s.eachOrganisation(ctx, only, func(org string) (func(*sql.Tx) (int, error), error) {
		courses, paths, err := catalogue(org)
		if err != nil || len(courses) == 0 {
			return nil, err
		}
		if err := s.refreshDue(ctx, org); err != nil {
			return nil, err
		}
		return func(tx *sql.Tx) (int, error) { return s.trainingOverdue(ctx, tx, org, today, courses, paths) }, nil
	})
}

func (s *Store) trainingOverdue(ctx context.Context, tx *sql.Tx, org string, today time.Time, courses []*distans.Course,
	paths map[string]string) (int, error) {
	var q args
	subjects, err := trainingSubjects(ctx, tx, "p.organisation_id = "+q.add(org), true, today, q, nil)
	if err != nil {
		return 0, err
	}
	var roles orgRoles
	var notes []*distans.Notification
	for _, sub := range subjects {
		for _, c := range courses {
			st, ok := distans.TrainingStatusOf(c, sub, paths, today)
			if !ok || (st.State != distans.TrainingOverdue && st.State != distans.TrainingExpired) {
				continue
			}
			if roles == nil {
				if roles, err = liveRoles(ctx, tx, org, today); err != nil {
					return 0, err
				}
			}
			for _, m := range roles.holders(isManagerRole, sub.UnitPath, sub.PersonID) {
				notes = append(notes, &distans.Notification{PersonID: m, Kind: distans.NotifyTrainingOverdue,
					Key:    "training/overdue/" + sub.PersonID + "/" + c.ID + "/" + day(st.DueOn) + "/" + m,
					Params: map[string]string{"course": c.ID, "person": sub.PersonName, "due": day(st.DueOn), "state": string(st.State)},
					Link:   "/training/coverage?course=" + url.QueryEscape(c.ID) + "&unit=" + url.QueryEscape(sub.UnitID)})
			}
		}
	}
	return s.notifyNew(distans.NewContext(ctx, distans.SystemActor(org)), tx, notes)
}

func isManagerRole(r distans.Role) bool { return r == distans.RoleManager }

// AcknowledgementReminders reminds each person of each required
// document's current version that applies to them (as Outstanding: a
// current employment, in the document's unit's subtree) and that they
// have not acknowledged, once per version, from the day the deadline
// (its publication day in the organisation's time zone plus deadlineDays)
// is remindDays away. It returns the number of reminders made.
func (s *Store) AcknowledgementReminders(ctx context.Context, today time.Time, deadlines training.AcknowledgementDeadlines) (int, error) {
	_, only, err := jobActor(ctx)
	if err != nil {
		return 0, err
	}
	today = distans.DateOf(today)
	// The organisations with a required document, in one statement: most
	// have none that is due, and are not visited.
	var a args
	rows, err := s.rdb.QueryContext(ctx, `SELECT DISTINCT d.organisation_id FROM policy_documents d
		WHERE d.required = `+a.add(true)+` AND `+orgFilter(&a, "d.organisation_id", only), a...)
	if err != nil {
		return 0, err
	}
	with := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		with[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return s.eachOrganisation(ctx, only, func(org string) (func(*sql.Tx) (int, error), error) {
		if !with[org] {
			return nil, nil
		}
		deadlineDays, remindDays, err := deadlines(org)
		if err != nil {
			return nil, err
		}
		return func(tx *sql.Tx) (int, error) { return s.ackReminders(ctx, tx, org, today, deadlineDays, remindDays) }, nil
	})
}

func (s *Store) ackReminders(ctx context.Context, tx *sql.Tx, org string, today time.Time, deadlineDays, remindDays int) (int, error) {
	docs, err := currentDocuments(ctx, tx, org, true)
	if err != nil {
		return 0, err
	}
	var loc *time.Location
	var notes []*distans.Notification
	for _, d := range docs {
		if loc == nil {
			var tz string
			if err := tx.QueryRowContext(ctx, `SELECT time_zone FROM organisations WHERE id = $1`, org).Scan(&tz); err != nil {
				return 0, err
			}
			loc = (&distans.Organisation{TimeZone: tz}).Location()
		}
		due := distans.AcknowledgeBy(d.PublishedAt, loc, deadlineDays)
		if today.Before(due.AddDate(0, 0, -remindDays)) {
			continue
		}
		var q args
		where := "p.organisation_id = " + q.add(org)
		if d.path != "" {
			where += " AND " + inSubtree(&q, "p.unit_path", d.path)
		}
		where += ` AND ` + employedOn("p", q.add(day(today))) + ` AND ` + unacknowledged(&q, d)
		rows, err := tx.QueryContext(ctx, `SELECT p.id FROM people p WHERE `+where+` ORDER BY p.id`, q...)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return 0, err
			}
			v := strconv.Itoa(d.Version)
			notes = append(notes, &distans.Notification{PersonID: id, Kind: distans.NotifyAcknowledgeReminder,
				Key:    "document/acknowledge/" + d.ID + "/" + v + "/" + id,
				Params: map[string]string{"title": d.Title, "version": v, "due": day(due)},
				Link:   "/documents/" + d.ID})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	return s.notifyNew(distans.NewContext(ctx, distans.SystemActor(org)), tx, notes)
}

// unacknowledged is the condition that the person p has not acknowledged
// the version of document d (Outstanding's).
func unacknowledged(q *args, d document) string {
	return `NOT EXISTS (SELECT 1 FROM acknowledgements k WHERE k.organisation_id = p.organisation_id
		AND k.document_id = ` + q.add(d.ID) + ` AND k.version = ` + q.add(d.Version) + ` AND k.person_id = p.id)`
}
