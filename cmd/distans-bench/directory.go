package main

// With -directory, distans-bench measures finding people as the
// switchboard does (issue 19, Sorsele 004 §1–§5): the directory page
// /directory?q= with a mix of name, unit, title and keyword prefixes of
// 2–6 letters, with and without diacritics, as a switchboard operator
// types them while a caller waits; the people search /people?q=; and
// /api/v1/people, first page and a page deep in the list (by cursor):
//
//	go run ./cmd/distans-bench -directory -db sqlite:/tmp/bench.db -bin /tmp/distans [-duration 10s]
//
// It seeds as the default run does (the organisation "bench" with -people
// people), and in addition gives every 250th person keywords (sökord) and
// the HR account the switchboard role, once. Each scenario runs with the
// clients the targets name: 1 (p95), 16 (the directory page, p99)
// and 100 (req/s, p99). With -skip-seed it touches the database only
// through the server, and measures the pages alone (the API needs a token
// from the store): for measuring a build whose migrations differ from
// this one's on a copy of its database.

import (
	"context"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// switchboardQueries are what the switchboard types: prefixes of first and
// last names, unit names, titles and keywords, 2–6 letters, with and
// without the diacritics, and a few two-word searches.
var switchboardQueries = []string{
	// names
	"an", "and", "ande", "anders", "er", "eri", "erik", "karl", "karls", "li", "lin", "lind", "joh", "johan",
	"ni", "nils", "ma", "mar", "mari", "sjö", "sjo", "sjöb", "ström", "strom", "åk", "ak", "åke", "öb", "ob",
	"berg", "holm", "ek", "björ", "bjor", "häll", "hall", "lu", "lund",
	// units
	"fö", "för", "forv", "förval", "av", "avd", "avdeln", "en", "enh", "enhet",
	// titles
	"hand", "handl", "handlä", "lära", "lara", "ekon", "soci", "unde", "samo", "it",
	// keywords
	"bygg", "byggl", "förs", "forsor", "lön", "lon", "väx", "vax", "skol", "äldr", "aldr", "öppe", "oppe", "sim",
	// two words
	"anna l", "erik ber", "enhet 03", "handl förv", "lön ek",
}

// keywordSets are the sökord seeded on every 250th person.
var keywordSets = [][]string{
	{"bygglov", "strandskydd"}, {"försörjningsstöd", "ekonomiskt bistånd"}, {"löner", "lönespecifikation"},
	{"växel", "telefoni"}, {"skolskjuts", "skolval"}, {"äldreomsorg", "hemtjänst"}, {"öppettider", "simhall"},
}

// scenarioRun is a scenario at a number of clients.
type scenarioRun struct {
	sc      scenario
	clients int
}

func runDirectory(ctx context.Context, c *config, out io.Writer) error {
	var token string
	if !c.SkipSeed {
		start := time.Now()
		var err error
		if token, err = seed(ctx, c, out); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		if err := seedDirectory(ctx, c, out); err != nil {
			return fmt.Errorf("seed the directory: %w", err)
		}
		fmt.Fprintf(out, "seeded in %s\n", time.Since(start).Round(time.Millisecond))
	}
	if !strings.HasPrefix(c.DSN, "sqlite:") {
		// As the office run does: statistics for the planner, which a
		// bench database seeded with autovacuum off lacks.
		if err := vacuumOffice(ctx, c.DSN, out); err != nil {
			return err
		}
	}

	srv, err := startServer(ctx, c.Bin, c.DSN)
	if err != nil {
		return err
	}
	defer srv.stop()
	fmt.Fprintf(out, "server pid %d on %s\n", srv.cmd.Process.Pid, srv.base)
	cookie, err := signIn(ctx, srv.base, benchEmail, benchPassword)
	if err != nil {
		return fmt.Errorf("sign in: %w (server output: %s)", err, srv.out.String())
	}
	a := creds{cookie: cookie, token: token}

	query := func(r *rand.Rand) string {
		return url.QueryEscape(switchboardQueries[r.IntN(len(switchboardQueries))])
	}
	directory := scenario{"GET /directory?q= (switchboard)", func(ctx context.Context, base string, r *rand.Rand, a creds) (*http.Request, error) {
		return page(ctx, base+"/directory?q="+query(r), a)
	}}
	// The switchboard narrows a search to a förvaltning, a tenth of the
	// organisation: the words and the unit's people are then two lists to
	// AND, not a prefix read in name order.
	unitID, err := benchUnit(ctx, srv.base, a)
	if err != nil {
		return err
	}
	inUnit := scenario{"GET /directory?q=&unit= (a förvaltning)", func(ctx context.Context, base string, r *rand.Rand, a creds) (*http.Request, error) {
		return page(ctx, base+"/directory?q="+query(r)+"&unit="+url.QueryEscape(unitID), a)
	}}
	people := scenario{"GET /people?q= (search)", func(ctx context.Context, base string, r *rand.Rand, a creds) (*http.Request, error) {
		return page(ctx, base+"/people?q="+query(r), a)
	}}
	api := func(name, path string) scenario {
		return scenario{name, func(ctx context.Context, base string, r *rand.Rand, a creds) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
			if err == nil {
				req.Header.Set("Authorization", "Bearer "+a.token)
				req.Header.Set("Accept", "application/json")
			}
			return req, err
		}}
	}
	// A page deep in the list: the names from M on, the cursor a client
	// holds after paging halfway through.
	deep := "/api/v1/people?limit=50&after=" + url.QueryEscape(distans.Cursor("m", "0"))
	runs := []scenarioRun{{directory, 1}, {directory, 16}, {directory, 100}, {inUnit, 1}, {inUnit, 100}, {people, 1}, {people, 100}}
	if token != "" {
		runs = append(runs, scenarioRun{api("GET /api/v1/directory?q=an", "/api/v1/directory?limit=25&q=an"), 100},
			scenarioRun{api("GET /api/v1/people (first page)", "/api/v1/people?limit=50"), 100},
			scenarioRun{api("GET /api/v1/people (deep page)", deep), 100})
	}
	runs = slices.DeleteFunc(runs, func(run scenarioRun) bool {
		return !strings.Contains(fmt.Sprintf("%s ×%d", run.sc.name, run.clients), c.Only)
	})
	if c.AB != "" {
		srvB, err := startServer(ctx, c.AB, c.DSN)
		if err != nil {
			return err
		}
		defer srvB.stop()
		cookieB, err := signIn(ctx, srvB.base, benchEmail, benchPassword)
		if err != nil {
			return fmt.Errorf("sign in to %s: %w (server output: %s)", c.AB, err, srvB.out.String())
		}
		return compareBuilds(ctx, c, out, runs, [2]abSide{{c.Bin, srv, a}, {c.AB, srvB, creds{cookie: cookieB, token: token}}})
	}
	var results []*result
	for _, run := range runs {
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(out, "running %s for %s with %d clients…\n", run.sc.name, c.Duration, run.clients)
		if c.Warmup > 0 {
			// The server's connections to PostgreSQL plan and cache each
			// statement the first times they run it, at up to 40 ms a
			// plan in a new connection: in a run of a few seconds, a
			// third of PostgreSQL's time. Steady load is what is
			// measured.
			runScenario(ctx, srv.base, run.sc, a, run.clients, c.Warmup, nil)
		}
		m := startCPU(srv.cmd.Process.Pid)
		r := runScenario(ctx, srv.base, run.sc, a, run.clients, c.Duration, nil)
		m.stop(r)
		results = append(results, r)
	}
	fmt.Fprintln(out)
	printResults(out, results)
	if hwm, rss, err := memory(srv.cmd.Process.Pid); err == nil {
		fmt.Fprintf(out, "\nserver memory: VmHWM %s, VmRSS %s\n", hwm, rss)
	}
	if err := srv.stop(); err != nil {
		return fmt.Errorf("stop server: %w", err)
	}
	return ctx.Err()
}

// seedDirectory gives every 250th person of the bench organisation
// keywords and the HR account the switchboard role, unless done before. So
// few, because each is a transaction of its own through the store; the
// keyword prefixes of the mix match them, and cost the search what any
// prefix does.
func seedDirectory(ctx context.Context, c *config, out io.Writer) error {
	st, err := sqlstore.Open(ctx, c.DSN)
	if err != nil {
		return err
	}
	defer st.Close()
	sys := distans.NewContext(ctx, distans.SystemActor(""))
	o, err := st.FindOrganisationBySlug(sys, benchSlug)
	if err != nil {
		return err
	}
	ctx = distans.NewContext(ctx, distans.SystemActor(o.ID))
	hr, err := benchPerson(ctx, st, benchEmail)
	if err != nil {
		return err
	}
	roles, err := st.ListRoleAssignments(ctx, distans.RoleFilter{PersonID: hr.ID, Role: distans.RoleSwitchboard})
	if err != nil {
		return err
	}
	if len(roles) > 0 {
		return nil // seeded before
	}
	start := time.Now()
	n := 0
	for i := 0; i < c.perOrg(); i += 250 {
		p, err := benchPerson(ctx, st, fmt.Sprintf("p%06d@bench.example", i))
		if err != nil {
			return err
		}
		if err := st.SaveDirectoryProfile(ctx, &distans.DirectoryProfile{PersonID: p.ID,
			Keywords: keywordSets[i/250%len(keywordSets)]}); err != nil {
			return fmt.Errorf("keywords of %s: %w", p.Email, err)
		}
		n++
	}
	fmt.Fprintf(out, "gave %d people keywords in %s\n", n, time.Since(start).Round(time.Millisecond))
	return st.AssignRole(ctx, &distans.RoleAssignment{OrganisationID: o.ID, PersonID: hr.ID, Role: distans.RoleSwitchboard})
}

// benchPerson finds a bench person by e-mail address.
func benchPerson(ctx context.Context, st *sqlstore.Store, email string) (*distans.Person, error) {
	ps, _, err := st.ListPeople(ctx, distans.PersonFilter{Query: email, Limit: 5})
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.Email == email {
			return p, nil
		}
	}
	return nil, fmt.Errorf("no person %s", email)
}

// benchUnitRE finds the unit filter's option for the bench's first
// förvaltning (seed.go names them "Förvaltning 01"…).
var benchUnitRE = regexp.MustCompile(`<option value="([^"]+)"[^>]*>Förvaltning 01</option>`)

// benchUnit returns the ID of the bench organisation's "Förvaltning 01", as
// the directory's unit filter offers it.
func benchUnit(ctx context.Context, base string, a creds) (string, error) {
	req, err := page(ctx, base+"/directory", a)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	m := benchUnitRE.FindSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		return "", fmt.Errorf("the directory (status %d) offers no unit Förvaltning 01 to filter by", resp.StatusCode)
	}
	return html.UnescapeString(string(m[1])), nil
}
