package sqlstore_test

import (
	"context"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestDistributable holds every table of the PostgreSQL schema to what
// Citus needs to distribute it by organisation (STYLE principle 9), so that
// a new table that breaks it fails here, on plain PostgreSQL, before anyone
// tries it on a cluster: no triggers; every table with organisation_id
// leads its primary key with it (token_routes, the one lookup table, leads
// with token_hash), and each of its unique keys holds that column; every
// foreign key between such tables holds organisation_id on both ends; and
// no table without organisation_id (a reference table) points at one.
func TestDistributable(t *testing.T) {
	t.Parallel()
	dsn := os.Getenv(storetest.PostgresEnv)
	if dsn == "" {
		t.Skip(storetest.PostgresEnv + " not set")
	}
	db := storetest.Raw(t, storetest.Postgres(t, dsn))
	ctx := context.Background()
	query := func(q string) [][]string {
		t.Helper()
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out [][]string
		for rows.Next() {
			r := make([]string, len(cols))
			p := make([]any, len(cols))
			for i := range r {
				p[i] = &r[i]
			}
			if err := rows.Scan(p...); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, r := range query(`SELECT c.relname, g.tgname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
		WHERE c.relnamespace = current_schema()::regnamespace AND NOT g.tgisinternal`) {
		t.Errorf("trigger %s on %s: Citus runs no trigger on a distributed table", r[1], r[0])
	}
	// Each table with organisation_id and its distribution column.
	dist := map[string]string{}
	for _, r := range query(`SELECT c.relname, COALESCE((SELECT a.attname FROM pg_index i
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
			WHERE i.indrelid = c.oid AND i.indisprimary), '')
		FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
			AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'organisation_id')`) {
		dist[r[0]] = r[1]
		want := "organisation_id"
		if r[0] == "token_routes" {
			want = "token_hash"
		}
		if r[1] != want {
			t.Errorf("%s: primary key leads with %q, want %s", r[0], r[1], want)
		}
	}
	if len(dist) < 50 {
		t.Fatalf("found %d organisation tables; the query is wrong", len(dist))
	}
	for _, r := range query(`SELECT c.relname, i.relname, pg_get_indexdef(i.oid),
			array_to_string(ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = ANY(x.indkey)), ',')
		FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
		WHERE c.relnamespace = current_schema()::regnamespace AND x.indisunique`) {
		col, ok := dist[r[0]]
		if ok && !slices.Contains(strings.Split(r[3], ","), col) {
			t.Errorf("%s: unique index %s lacks %s: %s", r[0], r[1], col, r[2])
		}
	}
	for _, r := range query(`SELECT c.relname, f.relname, k.conname,
			array_to_string(ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = k.conrelid AND a.attnum = ANY(k.conkey)), ','),
			array_to_string(ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = k.confrelid AND a.attnum = ANY(k.confkey)), ',')
		FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class f ON f.oid = k.confrelid
		WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace`) {
		_, fromDist := dist[r[0]]
		_, toDist := dist[r[1]]
		switch {
		case !fromDist && toDist:
			t.Errorf("%s (a reference table) has foreign key %s to %s, an organisation table", r[0], r[2], r[1])
		case fromDist && toDist && (!slices.Contains(strings.Split(r[3], ","), "organisation_id") || !slices.Contains(strings.Split(r[4], ","), "organisation_id")):
			t.Errorf("%s: foreign key %s to %s lacks organisation_id (%s → %s)", r[0], r[2], r[1], r[3], r[4])
		}
	}
}

// TestCitusRouter holds the statements that one organisation's requests
// run most to one node of a Citus cluster: EXPLAIN shows a router plan,
// one task, for the session's credential (the route first, then every
// table of the organisation), a join of the organisation's people, and
// the audit append with the move of its head.
func TestCitusRouter(t *testing.T) {
	t.Parallel()
	dsn := os.Getenv(storetest.CitusEnv)
	if dsn == "" {
		t.Skip(storetest.CitusEnv + " not set")
	}
	s := storetest.Citus(t, dsn)
	org := storetest.NewOrg(t, s, "router")
	storetest.NewOrg(t, s, "other")
	db := storetest.Raw(t, s)
	ctx := context.Background()
	appendSQL, appendArgs := s.AppendAuditSQL(org.ID)
	day := time.Now().UTC().Format("2006-01-02")
	for _, tc := range []struct {
		name string
		stmt string
		args []any
	}{
		{"route", `SELECT organisation_id FROM token_routes WHERE token_hash = $1`, []any{"h"}},
		{"credential", sqlstore.CredentialSQL(), []any{"h", day, day, day, org.ID}},
		{"people", `SELECT p.id, u.name FROM people p
			JOIN employments e ON e.organisation_id = p.organisation_id AND e.person_id = p.id
			JOIN units u ON u.organisation_id = e.organisation_id AND u.id = e.unit_id
			WHERE p.organisation_id = $1 ORDER BY p.name_key LIMIT 50`, []any{org.ID}},
		{"audit append", appendSQL, appendArgs},
	} {
		rows, err := db.QueryContext(ctx, "EXPLAIN "+tc.stmt, tc.args...)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, "Task Count: 1\n") || strings.Contains(text, "Task Count: 2") {
			t.Errorf("%s: not one node:\n%s", tc.name, text)
		}
	}
}

// TestCitusAgreementsOneNode runs the manager's agreement queue and the
// agreement job's round for one organisation on a store whose sessions
// refuse any statement that Citus spreads over more than one shard
// (citus.multi_task_query_log_level=error): a statement that names the
// organisation only through a join or a correlated subquery is spread over
// every shard, which on the agreement benchmark cost a queue request
// 30–50 times its time on PostgreSQL.
func TestCitusAgreementsOneNode(t *testing.T) {
	t.Parallel()
	dsn := os.Getenv(storetest.CitusEnv)
	if dsn == "" {
		t.Skip(storetest.CitusEnv + " not set")
	}
	s := storetest.Citus(t, dsn)
	org := storetest.NewOrg(t, s, "onenode")
	storetest.NewOrg(t, s, "other")
	top := storetest.NewUnit(t, s, org.ID, "", "Förvaltningen", distans.UnitAdministration)
	unit := storetest.NewUnit(t, s, org.ID, top.ID, "Enheten", distans.UnitSection)
	chef := storetest.NewPerson(t, s, org.ID, "Chef Chefsson", top.ID)
	storetest.Assign(t, s, chef, distans.RoleManager, top.ID)
	emp := storetest.NewPerson(t, s, org.ID, "Anna Andersson", unit.ID)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	storetest.Must(t, s.CreateAgreement(storetest.As(t, s, emp), &distans.Agreement{Request: distans.AgreementRequest{
		Weekdays: []string{"mon"}, Place: "Hemma", Start: today.AddDate(0, 0, 7), End: today.AddDate(0, 6, 0),
		Tasks: "Handläggning", Reasons: "Koncentration"}}))

	strict := oneNode(t, s)

	got, n, err := strict.ListAgreements(storetest.As(t, s, chef), distans.AgreementFilter{Queue: true})
	if err != nil || n != 1 || len(got) != 1 {
		t.Fatalf("queue: %d of %d, %v; want the one request", len(got), n, err)
	}
	if _, err := strict.EndAgreements(storetest.System(org.ID), today); err != nil {
		t.Fatalf("EndAgreements: %v", err)
	}
	if _, err := strict.QueueReminders(storetest.System(org.ID), today); err != nil {
		t.Fatalf("QueueReminders: %v", err)
	}
}

// TestCitusSearchOneNode: on Citus each statement of a search, and of the
// indexing that keeps its words, runs on the one node that holds the
// organisation (citus.multi_task_query_log_level=error refuses any that
// asks every node): a one-word search with its count (person_prefixes), a
// word longer than the prefixes, a later page, several words and a unit
// (the GIN index), the register's search, and a rename that moves the
// person's prefixes.
func TestCitusSearchOneNode(t *testing.T) {
	t.Parallel()
	dsn := os.Getenv(storetest.CitusEnv)
	if dsn == "" {
		t.Skip(storetest.CitusEnv + " not set")
	}
	s := storetest.Citus(t, dsn)
	org := storetest.NewOrg(t, s, "searchnode")
	storetest.NewOrg(t, s, "other")
	unit := storetest.NewUnit(t, s, org.ID, "", "Förvaltningen", distans.UnitAdministration)
	var anna *distans.Person
	for _, name := range []string{"Anna Andersson", "Anders Andersson", "Annika Berg", "Ann Lind"} {
		p := storetest.NewPerson(t, s, org.ID, name, unit.ID)
		if anna == nil {
			anna = p
		}
	}

	strict := oneNode(t, s)

	ctx := storetest.As(t, s, anna)
	at := time.Now()
	for _, f := range []distans.DirectoryFilter{
		{Query: "an", Limit: 2}, {Query: "andersson"}, {Query: "anna and"}, {Query: "an", UnitID: unit.ID},
	} {
		hits, pg, err := strict.SearchDirectory(ctx, f, at)
		if err != nil || len(hits) == 0 {
			t.Fatalf("%+v: %d hits, %v", f, len(hits), err)
		}
		if pg.Next != "" {
			if _, _, err := strict.SearchDirectory(ctx, distans.DirectoryFilter{Query: f.Query, After: pg.Next, Limit: f.Limit}, at); err != nil {
				t.Fatalf("%+v, the next page: %v", f, err)
			}
		}
	}
	if _, _, err := strict.ListPeople(storetest.System(org.ID), distans.PersonFilter{Query: "an"}); err != nil {
		t.Fatalf("ListPeople: %v", err)
	}
	if _, err := strict.UpdatePerson(storetest.System(org.ID), anna.ID, distans.PersonUpdate{Name: ptr("Åsa Andersson")}); err != nil {
		t.Fatalf("rename: %v", err)
	}
}

// oneNode opens a second store on s's database whose connections refuse
// any statement Citus would send to every node.
func oneNode(t *testing.T, s *sqlstore.Store) *sqlstore.Store {
	t.Helper()
	u, err := url.Parse(storetest.DSN(t, s))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("citus.multi_task_query_log_level", "error")
	u.RawQuery = q.Encode()
	strict, err := sqlstore.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { strict.Close() })
	return strict
}
