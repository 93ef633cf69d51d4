// Command distans-bench is a load generator for Distans. It seeds a
// synthetic organisation, starts the distans binary against the same
// database on a free loopback port, drives it with concurrent clients and
// prints what it measured:
//
//	go build -o /tmp/distans ./cmd/distans
//	go run ./cmd/distans-bench -db sqlite:/tmp/bench.db -bin /tmp/distans \
//	    [-people 50000] [-clients 100] [-duration 20s]
//
// Step by step:
//
//  1. Seeds the organisation "bench" through sqlstore, unless it already
//     has the people asked for: 10 förvaltningar × 10 avdelningar ×
//     10 enheter, -people made-up people spread over the enheter, and an HR
//     account hr@bench.example (password Distans-bench-1) with a fresh API
//     token. Seeding goes through the ordinary service methods, two
//     transactions a person, so 50,000 people take several minutes on SQLite,
//     which syncs every commit to disk; later runs reuse them.
//  2. Starts "distans serve -addr 127.0.0.1:PORT -db DSN" and waits for
//     /readyz.
//  3. Signs in through the sign-in form as the HR account.
//  4. Runs three scenarios one after the other, each with -clients
//     concurrent clients for -duration: the start page (GET /), the people
//     search page (GET /people?q=…, a common name fragment), and the API list
//     (GET /api/v1/people?limit=50 with the bearer token). For each it
//     prints requests, requests per second, the 50th and 99th percentile
//     latencies and the number of errors (transport errors and any status
//     other than 200, redirects included). Requests under way when the
//     time is up finish and count, so a scenario may run a little longer.
//  5. Prints the server's peak and current resident memory (VmHWM, VmRSS
//     from /proc/PID/status) and stops it with SIGTERM.
//
// With -office it instead seeds the desk dataset of issue 5 and measures
// the hybrid office (see office.go and office_run.go):
//
//	go run ./cmd/distans-bench -office [-office-size small|full] \
//	    -db postgres://… -bin /tmp/distans [-duration 10s] [-conns 64] [-race-clients 64]
//
// Step by step:
//
//  1. Seeds -office-size organisations office-01…: people, desks over four
//     sites, and bookings made with BookRecurring (person i on desk i every
//     day from tomorrow), organisations in parallel; prints the seeding
//     time. Later runs reuse what is there. Then a race site with four
//     desks for this run, and API tokens for a reader and each racer.
//  2. GET /api/v1/sites/{id}/availability?date=tomorrow with one client
//     (see p95) and with -conns (req/s, p99); GET /api/v1/me with -conns.
//  3. Racing bookings: -race-clients people POST /api/v1/bookings, about
//     four requests for every desk-day, for -duration: written bookings
//     per second, and after the server stops, a count of double bookings
//     through the store (must be zero).
//  4. On PostgreSQL with pgbench on PATH: pgbench -i -s 10 into the database
//     pgbench on the same server, then pgbench -c 16 -j 2 -T 10, printed
//     beside the racing figure.
//
// With -office -mixed, steps 2 and 3 run at once for -duration (up to an
// hour), the race paced so that its slots last the run, and every 10 s a
// line gives the UTC time and the answers a second of each kind: a load to
// run beside a Citus rebalance (see office_mixed.go). The closing count of
// bookings answered 201 against those stored shows whether a write was lost.
//
// With -agreements it seeds the agreement dataset of issue 4 on PostgreSQL
// (1,000,000 agreements in 290 organisations, see agreements.go) and
// measures the manager's queue (GET /api/v1/agreements?queue=true and the
// page /agreements, one client and -conns) and, in-process, the reminder
// scan over every organisation:
//
//	go run ./cmd/distans-bench -agreements -db postgres://…/benchagreements -bin /tmp/distans [-duration 10s] [-conns 64]
//
// With -incidents it seeds the incident dataset of issue 14 on PostgreSQL
// (100,000 incidents in 290 organisations, see incidents.go) and measures,
// in-process, the coordinator's queue and one round of the deadline job:
//
//	go run ./cmd/distans-bench -incidents -db postgres://…/benchincidents -bin /tmp/distans [-duration 10s] [-conns 64]
//
// With -import it measures moving in (issue 12): a synthetic HR export of
// -people people is written to a temporary folder, an organisation is
// created with "distans org create", and "distans import" runs twice, the
// second time with the same files (nothing changes); each run prints its
// wall time and the process's peak resident memory:
//
//	go run ./cmd/distans-bench -import -people 50000 -db sqlite:/tmp/import.db -bin /tmp/distans
//
// With -scim it measures provisioning through SCIM (issue 13): a new
// organisation and SCIM token, -scim-users POST /Users and -scim-groups
// POST /Groups (50 members each) by -clients clients as operations a
// second, then GET /Users?filter=userName eq "…" for -duration, p50 and
// p99 (see scim.go):
//
//	go run ./cmd/distans-bench -scim -db postgres://… -bin /tmp/distans -clients 16 -duration 20s
//
// With -me it measures who-am-I (issue 19) on the same desk dataset: GET
// /api/v1/me by API token and by session, with -conns clients, first with
// the credential cache off and then on (see me.go):
//
//	go run ./cmd/distans-bench -me -db sqlite:/tmp/office.db -bin /tmp/distans [-duration 10s] [-conns 64]
//
// With -reports it measures the reports of issue 17 in-process on the
// agreement dataset (see reports.go):
//
//	go run ./cmd/distans-bench -reports -db postgres://…/benchagreements -bin /tmp/distans
//
// With -training it measures the training coverage pages (issue 16) as a
// manager of 500 people and as HR over the organisation (see training.go):
//
//	go run ./cmd/distans-bench -training -db sqlite:/tmp/bench.db -bin /tmp/distans [-duration 10s]
//
// All traffic stays on the loopback interface and the run ends by itself.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "distans-bench:", err)
		}
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	DSN         string
	Bin         string
	People      int
	Orgs        int
	Clients     int
	Duration    time.Duration
	SeedWorkers int
	Office      bool
	Agreements  bool
	Incidents   bool
	Import      bool
	SCIM        bool
	Me          bool
	SCIMUsers   int
	SCIMGroups  int
	OfficeSize  string
	Conns       int
	RaceClients int
	Directory   bool
	Training    bool
	Reports     bool
	Mixed       bool
	SkipSeed    bool
	Only        string
	Warmup      time.Duration
	AB          string
	Rounds      int
	CPUProfile  string
}

func parse(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("distans-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	fs.StringVar(&c.DSN, "db", "", "database: sqlite:PATH or a postgres:// URL (required)")
	fs.StringVar(&c.Bin, "bin", "", "path to the distans binary (required)")
	fs.IntVar(&c.People, "people", 50000, "people in the bench organisation")
	fs.IntVar(&c.Orgs, "orgs", 1, "with -directory: spread -people over this many organisations, the bench organisation one of them (use a database of its own)")
	fs.IntVar(&c.Clients, "clients", 100, "concurrent clients per scenario")
	fs.DurationVar(&c.Duration, "duration", 20*time.Second, "how long each scenario runs")
	fs.IntVar(&c.SeedWorkers, "seed-workers", 0, "goroutines creating people while seeding (0: 1 on SQLite, 4 on PostgreSQL)")
	fs.BoolVar(&c.Office, "office", false, "seed the desk dataset of issue 5 and run the office scenarios instead of the people scenarios")
	fs.BoolVar(&c.Agreements, "agreements", false, "seed the agreement dataset of issue 4 (PostgreSQL or Citus) and measure the manager's queue and the reminder scan")
	fs.BoolVar(&c.Incidents, "incidents", false, "seed the incident dataset of issue 14 (PostgreSQL) and measure the coordinator's queue and the deadline job")
	fs.BoolVar(&c.Import, "import", false, "import a synthetic HR export of -people people with distans import into a new organisation, then the same files again")
	fs.BoolVar(&c.SCIM, "scim", false, "provision -scim-users users and -scim-groups groups through SCIM into a new organisation, then look users up by userName")
	fs.BoolVar(&c.Me, "me", false, "seed the desk dataset of issue 5 and measure GET /api/v1/me by token and by session, with the credential cache off and on (see me.go)")
	fs.IntVar(&c.SCIMUsers, "scim-users", 10000, "users provisioned with -scim")
	fs.IntVar(&c.SCIMGroups, "scim-groups", 200, "groups of 50 members provisioned with -scim")
	fs.StringVar(&c.OfficeSize, "office-size", "small", "desk dataset: small (2 orgs × 120 people × 40 desks × 1,000 bookings) or full (20 × 500 × 200 × 20,000)")
	fs.IntVar(&c.Conns, "conns", 64, "concurrent connections for the office read scenarios")
	fs.IntVar(&c.RaceClients, "race-clients", 64, "clients racing for the same few desks, each a different person")
	fs.BoolVar(&c.Directory, "directory", false, "measure the switchboard's directory, people search and /api/v1/people pages (see directory.go)")
	fs.BoolVar(&c.Mixed, "mixed", false, "with -office: availability, /api/v1/me and paced racing bookings at once for -duration (up to 1h), answers a second printed every 10 s (see office_mixed.go)")
	fs.BoolVar(&c.Training, "training", false, "measure the training coverage pages of a manager and of HR (see training.go)")
	fs.BoolVar(&c.Reports, "reports", false, "measure the reports of issue 17 on the agreement dataset (see reports.go; -bin is not used)")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write the CPU profile of this process to the file (the in-process work of -reports; the server is another process)")
	fs.StringVar(&c.Only, "only", "", `with -directory: run only the scenarios whose name and clients ("GET /directory?q= (switchboard) ×100") hold this text`)
	fs.DurationVar(&c.Warmup, "warmup", 3*time.Second, "with -directory: run each scenario this long, unmeasured, before it is measured")
	fs.StringVar(&c.AB, "ab", "", "with -directory: a second distans binary, run beside -bin against the same database, each scenario measured on both in -rounds alternating turns of -duration (see ab.go)")
	fs.IntVar(&c.Rounds, "rounds", 6, "with -ab: turns of each build per scenario")
	fs.BoolVar(&c.SkipSeed, "skip-seed", false, "with -directory or -reports: use the database as it is, through the server only (pages, no API)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if _, ok := officeSizes[c.OfficeSize]; !ok {
		return nil, errors.New("-office-size must be small or full")
	}
	if c.Conns < 1 || c.RaceClients < 1 || c.RaceClients > 200 {
		return nil, errors.New("-conns must be at least 1 and -race-clients 1–200")
	}
	switch {
	case c.DSN == "" || c.Bin == "":
		fs.Usage()
		return nil, errors.New("-db and -bin are required")
	case c.People < 1 || c.Clients < 1 || c.SeedWorkers < 0:
		return nil, errors.New("-people and -clients must be at least 1")
	case c.Orgs < 1 || c.Orgs > c.People || c.Orgs > 1 && !c.Directory:
		return nil, errors.New("-orgs must be 1–people, and goes with -directory")
	case c.AB != "" && (!c.Directory || c.Rounds < 1 || c.Rounds > 100):
		return nil, errors.New("-ab goes with -directory, and -rounds must be 1–100")
	case c.Warmup < 0 || c.Warmup > time.Minute:
		return nil, errors.New("-warmup must be between 0 and 1m")
	case c.Duration <= 0 || c.Duration > 10*time.Minute && !c.Mixed || c.Duration > time.Hour:
		return nil, errors.New("-duration must be between 0 and 10m (1h with -mixed)")
	case c.Mixed && !c.Office:
		return nil, errors.New("-mixed goes with -office")
	}
	if c.SeedWorkers == 0 {
		// SQLite has one writer and syncs every commit, so more goroutines
		// only queue; PostgreSQL commits several at once.
		c.SeedWorkers = 1
		if !strings.HasPrefix(c.DSN, "sqlite:") {
			c.SeedWorkers = 4
		}
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parse(args, stderr)
	if err != nil {
		return err
	}
	if c.CPUProfile != "" {
		f, err := os.Create(c.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	if c.Office {
		return runOffice(ctx, c, stdout)
	}
	if c.Me {
		return runMe(ctx, c, stdout)
	}
	if c.Training {
		return runTraining(ctx, c, stdout)
	}
	if c.Reports {
		return runReports(ctx, c, stdout)
	}
	if c.Directory {
		return runDirectory(ctx, c, stdout)
	}
	if c.Agreements {
		return runAgreements(ctx, c, stdout)
	}
	if c.Incidents {
		return runIncidents(ctx, c, stdout)
	}
	if c.Import {
		return runImport(ctx, c, stdout)
	}
	if c.SCIM {
		if c.SCIMUsers < 1 || c.SCIMGroups < 0 {
			return errors.New("-scim-users must be at least 1 and -scim-groups at least 0")
		}
		return runSCIM(ctx, c, stdout)
	}

	start := time.Now()
	token, err := seed(ctx, c, stdout)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(stdout, "seeded in %s\n", time.Since(start).Round(time.Millisecond))

	srv, err := startServer(ctx, c.Bin, c.DSN)
	if err != nil {
		return err
	}
	defer srv.stop()
	fmt.Fprintf(stdout, "server pid %d on %s\n", srv.cmd.Process.Pid, srv.base)

	cookie, err := signIn(ctx, srv.base, benchEmail, benchPassword)
	if err != nil {
		return fmt.Errorf("sign in: %w (server output: %s)", err, srv.out.String())
	}

	results := make([]*result, 0, len(scenarios))
	for _, sc := range scenarios {
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(stdout, "running %s for %s with %d clients…\n", sc.name, c.Duration, c.Clients)
		results = append(results, runScenario(ctx, srv.base, sc, creds{cookie: cookie, token: token}, c.Clients, c.Duration, nil))
	}
	fmt.Fprintln(stdout)
	printResults(stdout, results)

	hwm, rss, err := memory(srv.cmd.Process.Pid)
	if err != nil {
		fmt.Fprintf(stdout, "\nserver memory: %v\n", err)
	} else {
		fmt.Fprintf(stdout, "\nserver memory: VmHWM %s, VmRSS %s\n", hwm, rss)
	}
	if err := srv.stop(); err != nil {
		return fmt.Errorf("stop server: %w", err)
	}
	return ctx.Err()
}
