package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/jobs"
	"github.com/distans/distans/internal/sqlstore"
)

// The incident dataset of issue 14: 100,000 incidents in 290
// organisations, on PostgreSQL. Each organisation has a förvaltning with
// ten enheter, incidentPeople people and an information-security
// coordinator over the whole organisation, and incidentsPerOrg incidents
// of every kind discovered over the past year. Nine in ten are closed,
// their clocks done; the tenth are open, discovered within the last ten
// days, half of them triaged (owned by the coordinator) and half waiting,
// with the clocks of their kind (72 hours for IMY and the data subjects,
// a day for the police report and the safety representative, three days
// for Försäkringskassan), so that many have passed and the deadline job
// has reminders and escalations to send.
//
// With -incidents, distans-bench seeds it unless it is there and measures,
// in-process through the store (the pages and API are built on the same
// ListIncidents):
//
//   - the coordinator's queue, ListIncidents(Open, Limit 50) as the
//     coordinator of a random organisation, with one client and with
//     -conns, for -duration each: p50 and p99;
//
//   - one round of the deadline job over every organisation (jobs.Jobs'
//     incident_deadlines, four organisations at a time): the first round,
//     which sends what the fresh dataset has due, and a second, which
//     finds it sent (the case of every five minutes).
//
//     go run ./cmd/distans-bench -incidents -db postgres://…/benchincidents -bin /tmp/distans [-duration 10s] [-conns 64]
//
// (-bin is not used by this mode.) A rerun reuses the dataset; drop the
// database to measure the first round of the job again.
const (
	incidentOrgs    = 290
	incidentPeople  = 300
	incidentsPerOrg = 345 // 290 × 345 = 100,050
)

func incidentSlug(k int) string { return fmt.Sprintf("inc-%03d", k+1) }

func runIncidents(ctx context.Context, c *config, stdout io.Writer) error {
	if strings.HasPrefix(c.DSN, "sqlite:") {
		return errors.New("-incidents runs on PostgreSQL only: give -db postgres://…")
	}
	st, err := sqlstore.Open(ctx, c.DSN)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	db, err := sql.Open("pgx", c.DSN)
	if err != nil {
		return err
	}
	defer db.Close()

	start := time.Now()
	coords := make([]*distans.Actor, incidentOrgs)
	var wg sync.WaitGroup
	errs := make(chan error, incidentOrgs)
	next := make(chan int)
	for range max(c.SeedWorkers, 4) {
		wg.Go(func() {
			for k := range next {
				a, err := seedIncidentOrg(ctx, st, db, k)
				if err != nil {
					errs <- fmt.Errorf("%s: %w", incidentSlug(k), err)
					continue
				}
				coords[k] = a
			}
		})
	}
	for k := range incidentOrgs {
		next <- k
	}
	close(next)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	for _, table := range []string{"incidents", "incident_clocks", "people", "role_assignments", "notifications"} {
		if _, err := db.ExecContext(ctx, "VACUUM ANALYZE "+table); err != nil {
			return err
		}
	}
	var total, open, clocks int
	if err := db.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE state <> 'closed'),
		(SELECT count(*) FROM incident_clocks WHERE done_at IS NULL) FROM incidents`).Scan(&total, &open, &clocks); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "dataset ready in %s: %d organisations, %d incidents (%d open, %d open clocks)\n",
		time.Since(start).Round(time.Millisecond), incidentOrgs, total, open, clocks)

	// The deadline job, as the server runs it.
	var job jobs.Job
	for _, j := range jobs.Jobs(jobs.Config{Orgs: st, Incidents: st}) {
		if j.Name == "incident_deadlines" {
			job = j
		}
	}
	for i, name := range []string{"first round (sends what is due)", "second round (nothing new)"} {
		at := time.Now()
		t0 := time.Now()
		n, err := job.Fn(distans.WithNow(ctx, at), at)
		if err != nil {
			return fmt.Errorf("deadline job round %d: %w", i+1, err)
		}
		fmt.Fprintf(stdout, "deadline job, %s over %d organisations: %d reminders and escalations in %s\n",
			name, incidentOrgs, n, time.Since(t0).Round(time.Millisecond))
	}

	// The coordinator's queue.
	for _, conns := range []int{1, c.Conns} {
		lat, n, err := measureQueue(ctx, st, coords, conns, c.Duration)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "coordinator's queue (ListIncidents open, 50 a page), %d client(s), %s: %d reads, p50 %s, p99 %s\n",
			conns, c.Duration, n, percentile(lat, 50).Round(10*time.Microsecond), percentile(lat, 99).Round(10*time.Microsecond))
	}
	return ctx.Err()
}

// measureQueue reads random coordinators' queues with conns clients for d
// and returns the latencies.
func measureQueue(ctx context.Context, st *sqlstore.Store, coords []*distans.Actor, conns int, d time.Duration) ([]time.Duration, int, error) {
	var mu sync.Mutex
	var all []time.Duration
	var first error
	end := time.Now().Add(d)
	var wg sync.WaitGroup
	for i := range conns {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), 14))
			var lat []time.Duration
			for time.Now().Before(end) && ctx.Err() == nil {
				a := coords[r.IntN(len(coords))]
				t0 := time.Now()
				list, err := st.ListIncidents(distans.NewContext(ctx, a), distans.IncidentFilter{Open: true, Limit: 50})
				lat = append(lat, time.Since(t0))
				if err == nil && len(list) == 0 {
					err = errors.New("an empty queue")
				}
				if err != nil {
					mu.Lock()
					first = cmpErr(first, err)
					mu.Unlock()
					return
				}
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(all)
	return all, len(all), first
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// seedIncidentOrg makes the organisation, its units, coordinator and
// people through the store, then its incidents and clocks in bulk, unless
// they are there, and returns the coordinator as an actor.
func seedIncidentOrg(ctx context.Context, st *sqlstore.Store, db *sql.DB, k int) (*distans.Actor, error) {
	slug := incidentSlug(k)
	sys := distans.NewContext(ctx, distans.SystemActor(""))
	o, err := st.FindOrganisationBySlug(sys, slug)
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		o = &distans.Organisation{Slug: slug, Name: fmt.Sprintf("Incidentkommun %03d", k+1), TimeZone: "Europe/Stockholm", Language: "sv"}
		err = st.CreateOrganisation(sys, o)
	}
	if err != nil {
		return nil, err
	}
	ctx = distans.NewContext(ctx, distans.SystemActor(o.ID))
	units, err := st.ListUnits(ctx, distans.UnitFilter{})
	if err != nil {
		return nil, err
	}
	var top *distans.Unit
	var enheter []*distans.Unit
	for _, u := range units {
		if u.ParentID == "" {
			top = u
		} else {
			enheter = append(enheter, u)
		}
	}
	if top == nil {
		top = &distans.Unit{OrganisationID: o.ID, Name: "Förvaltningen", Kind: distans.UnitAdministration}
		if err := st.CreateUnit(ctx, top); err != nil {
			return nil, err
		}
	}
	for i := len(enheter); i < 10; i++ {
		u := &distans.Unit{OrganisationID: o.ID, ParentID: top.ID, Name: fmt.Sprintf("Enhet %d", i+1), Kind: distans.UnitSection}
		if err := st.CreateUnit(ctx, u); err != nil {
			return nil, err
		}
		enheter = append(enheter, u)
	}
	email := "sakerhet@" + slug + ".example"
	page, _, err := st.ListPeople(ctx, distans.PersonFilter{Query: email, Limit: 5})
	if err != nil {
		return nil, err
	}
	var coord *distans.Person
	for _, p := range page {
		if distans.NormalizeEmail(p.Email) == email {
			coord = p
		}
	}
	if coord == nil {
		coord = &distans.Person{OrganisationID: o.ID, Name: "Siri Säkerhet", Email: email, Language: "sv"}
		if err := st.CreatePerson(ctx, coord); err != nil {
			return nil, err
		}
		if err := st.CreateEmployment(ctx, &distans.Employment{OrganisationID: o.ID, PersonID: coord.ID, UnitID: top.ID,
			Title: "Informationssäkerhetssamordnare", StartsOn: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			return nil, err
		}
		if err := st.AssignRole(ctx, &distans.RoleAssignment{OrganisationID: o.ID, PersonID: coord.ID, Role: distans.RoleSecurity}); err != nil {
			return nil, err
		}
	}
	grants, err := st.Grants(ctx, o.ID, coord.ID)
	if err != nil {
		return nil, err
	}
	actor := &distans.Actor{OrganisationID: o.ID, PersonID: coord.ID, Name: coord.Name, Grants: grants}

	var have int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM incidents WHERE organisation_id = $1`, o.ID).Scan(&have); err != nil {
		return nil, err
	}
	if have >= incidentsPerOrg {
		return actor, nil
	}
	unitIDs, unitPaths := make([]string, len(enheter)), make([]string, len(enheter))
	for i, u := range enheter {
		unitIDs[i], unitPaths[i] = u.ID, u.Path
	}
	return actor, seedIncidentRows(ctx, db, o.ID, slug, coord.ID, unitIDs, unitPaths)
}

// seedIncidentRows writes an organisation's people, employments,
// incidents and clocks in one transaction.
func seedIncidentRows(ctx context.Context, db *sql.DB, orgID, slug, coordID string, unitIDs, unitPaths []string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO people (organisation_id, id, name, email, phone, employee_number, personal_number, language,
			unit_id, unit_path, title, site_id, search, name_key, created_at, updated_at)
		SELECT $1, $1 || '-p' || g, 'Person ' || g, 'p' || g || '@' || $2 || '.example', '', '', '', 'sv',
			($3::text[])[1 + g % 10], ($4::text[])[1 + g % 10], 'Handläggare', '', 'person ' || g, 'person ' || g, now(), now()
		FROM generate_series(1, $5::int) g
		ON CONFLICT DO NOTHING`, orgID, slug, unitIDs, unitPaths, incidentPeople); err != nil {
		return fmt.Errorf("people: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO employments (organisation_id, id, person_id, unit_id, title, starts_on, created_at, updated_at)
		SELECT $1, $1 || '-e' || g, $1 || '-p' || g, ($2::text[])[1 + g % 10], 'Handläggare', DATE '2020-01-01', now(), now()
		FROM generate_series(1, $3::int) g
		ON CONFLICT DO NOTHING`, orgID, unitIDs, incidentPeople); err != nil {
		return fmt.Errorf("employments: %w", err)
	}
	year := time.Now().Year()
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO incidents (organisation_id, id, year, seq, number, kind, title, description, discovered_at, systems,
			ongoing, reporter_id, unit_id, state, severity, owner_id, secret_fields, version, created_at, updated_at, closed_at)
		SELECT $1, $1 || '-i' || g, $2::int, g, 'INC ' || $2::int || '/' || lpad(g::text, 4, '0'), kind,
			'Incident ' || g, 'Vad som hände i incident ' || g, disc, 'Ekonomisystemet', false,
			$1 || '-p' || (1 + g % $3::int), ($4::text[])[1 + (1 + g % $3::int) % 10],
			CASE WHEN NOT is_open THEN 'closed' WHEN g % 20 = 0 THEN 'handling' ELSE 'reported' END,
			CASE WHEN is_open AND g % 20 <> 0 THEN '' ELSE 'medium' END,
			CASE WHEN is_open AND g % 20 <> 0 THEN NULL ELSE $5 END,
			CASE WHEN g % 3 = 0 THEN '["description"]' ELSE '[]' END,
			2, disc, disc, CASE WHEN NOT is_open THEN disc + interval '20 days' END
		FROM (
			SELECT g, g % 10 = 0 AS is_open,
				(ARRAY['personal_data', 'security', 'it', 'theft', 'equipment_loss', 'threat', 'work_injury', 'other'])[1 + (g / 10) % 8] AS kind,
				CASE WHEN g % 10 = 0 THEN now() - (g % 240) * interval '1 hour'
					ELSE now() - interval '30 days' - (g % 335) * interval '1 day' END AS disc
			FROM generate_series(1, $6::int) g
		) x
		ON CONFLICT DO NOTHING`, orgID, year, incidentPeople, unitIDs, coordID, incidentsPerOrg); err != nil {
		return fmt.Errorf("incidents: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO incident_numbers (organisation_id, year, last) VALUES ($1, $2, $3)
		ON CONFLICT (organisation_id, year) DO UPDATE SET last = GREATEST(incident_numbers.last, EXCLUDED.last)`,
		orgID, year, incidentsPerOrg); err != nil {
		return fmt.Errorf("numbers: %w", err)
	}
	// The clocks of each kind, as the generic and seed packs give them;
	// the reminder a quarter of the span before, at most a day.
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO incident_clocks (organisation_id, incident_id, duty, rule_id, label, citation, due_at, remind_at, done_at, reference)
		SELECT i.organisation_id, i.id, d.duty, d.rule, '{"sv":"Frist","en":"Deadline"}', d.cite,
			i.discovered_at + d.hours * interval '1 hour',
			i.discovered_at + d.hours * interval '1 hour' - LEAST(interval '24 hours', d.hours * interval '15 minutes'),
			CASE WHEN i.state = 'closed' THEN i.discovered_at + interval '2 hours' END,
			CASE WHEN i.state = 'closed' THEN 'Klar' ELSE '' END
		FROM incidents i JOIN (VALUES
			('personal_data', 'imy_notification', 'gdpr-33-report', 'Dataskyddsförordningen art. 33.1', 72),
			('personal_data', 'data_subjects', 'gdpr-34-data-subjects', 'Dataskyddsförordningen art. 34.1', 72),
			('work_injury', 'safety_representative', 'work-injury-safety-representative', 'Arbetsmiljölagen 3 kap. 3 a §', 24),
			('work_injury', 'forsakringskassan', 'work-injury-forsakringskassan', 'Socialförsäkringsbalken 42 kap. 10 §', 72),
			('theft', 'police_report', 'sorsele-8.1-police-report', 'Sorsele 004 §8.1', 24),
			('equipment_loss', 'police_report', 'sorsele-8.1-police-report', 'Sorsele 004 §8.1', 24)
		) AS d(kind, duty, rule, cite, hours) ON d.kind = i.kind
		WHERE i.organisation_id = $1
		ON CONFLICT DO NOTHING`, orgID); err != nil {
		return fmt.Errorf("clocks: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE incidents i SET next_due_at = (SELECT min(c.due_at) FROM incident_clocks c
			WHERE c.organisation_id = i.organisation_id AND c.incident_id = i.id AND c.done_at IS NULL)
		WHERE i.organisation_id = $1 AND i.state <> 'closed'`, orgID); err != nil {
		return fmt.Errorf("next due: %w", err)
	}
	return tx.Commit()
}
