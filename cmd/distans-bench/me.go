package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/secret"
	"github.com/distans/distans/internal/sqlstore"
)

// runMe measures what being someone costs (issue 19): GET /api/v1/me on
// the office dataset with c.Conns clients, once with an API token and once
// with a browser session, first with the credential cache off (the server
// started with DISTANS_CREDENTIAL_CACHE=0s, so every request reads its
// credential from the database) and then with it on (5s, the default):
//
//	go run ./cmd/distans-bench -me -db sqlite:/tmp/office.db -bin /tmp/distans [-duration 10s] [-conns 64]
//
// The dataset is -office-size's, seeded as -office seeds it (later runs
// reuse it); the token and the session belong to the same person, made
// afresh each run.
func runMe(ctx context.Context, c *config, stdout io.Writer) error {
	st, err := sqlstore.Open(ctx, c.DSN)
	if err != nil {
		return err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return err
	}
	workers := c.SeedWorkers
	if !strings.HasPrefix(c.DSN, "sqlite:") {
		workers = max(workers, 8)
	}
	data, err := seedOffice(ctx, st, officeSizes[c.OfficeSize], workers, 0, stdout)
	if err != nil {
		st.Close()
		return fmt.Errorf("seed office: %w", err)
	}
	cookie, err := meSession(ctx, st, data)
	st.Close()
	if err != nil {
		return fmt.Errorf("session: %w", err)
	}
	if !strings.HasPrefix(c.DSN, "sqlite:") {
		if err := vacuumOffice(ctx, c.DSN, stdout); err != nil {
			return err
		}
	}

	byToken := scenario{"GET /api/v1/me (API token)", func(ctx context.Context, base string, _ *rand.Rand, a creds) (*http.Request, error) {
		return apiGet(ctx, base+"/api/v1/me", a.token)
	}}
	bySession := scenario{"GET /api/v1/me (session)", func(ctx context.Context, base string, _ *rand.Rand, a creds) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/me", nil)
		if err == nil {
			req.Header.Set("Cookie", a.cookie)
			req.Header.Set("Accept", "application/json")
		}
		return req, err
	}}
	who := creds{token: data.readToken, cookie: cookie}

	var results []*result
	var costs []string
	for _, cache := range []string{"0s", "5s"} {
		if ctx.Err() != nil {
			break
		}
		// The server reads its configuration from the environment it
		// inherits, so each run starts it afresh with the cache set.
		if err := os.Setenv("DISTANS_CREDENTIAL_CACHE", cache); err != nil {
			return err
		}
		srv, err := startServer(ctx, c.Bin, c.DSN)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "server pid %d on %s, credential cache %s\n", srv.cmd.Process.Pid, srv.base, cache)
		for _, sc := range []scenario{byToken, bySession} {
			if ctx.Err() != nil {
				break
			}
			sc.name += ", cache " + cache
			fmt.Fprintf(stdout, "running %s for %s with %d clients…\n", sc.name, c.Duration, c.Conns)
			cpu0, x0 := cpuTime(srv.cmd.Process.Pid), xacts(ctx, c.DSN)
			r := runScenario(ctx, srv.base, sc, who, c.Conns, c.Duration, nil)
			cpu1, x1 := cpuTime(srv.cmd.Process.Pid), xacts(ctx, c.DSN)
			results = append(results, r)
			n := float64(max(len(r.latencies), 1))
			line := fmt.Sprintf("%s: server CPU %.0f µs a request", sc.name, float64(cpu1-cpu0)/float64(time.Microsecond)/n)
			if x0 >= 0 && x1 >= 0 {
				line += fmt.Sprintf(", %.2f database transactions a request", float64(x1-x0)/n)
			}
			costs = append(costs, line)
		}
		if err := srv.stop(); err != nil {
			return fmt.Errorf("stop server: %w", err)
		}
	}
	fmt.Fprintln(stdout)
	printResults(stdout, results)
	fmt.Fprintln(stdout)
	for _, l := range costs {
		fmt.Fprintln(stdout, l)
	}
	for _, r := range results {
		if r.firstErr != "" {
			fmt.Fprintf(stdout, "first error of %s: %s\n", r.name, r.firstErr)
		}
	}
	return ctx.Err()
}

// meSession signs the reader of the office dataset in, as the sign-in form
// would leave them, and returns the Cookie header that carries the session.
func meSession(ctx context.Context, st *sqlstore.Store, data *officeData) (string, error) {
	sys := distans.NewContext(ctx, distans.SystemActor(data.orgID))
	p, err := st.FindAccounts(sys, officeEmail(0, 0))
	if err != nil {
		return "", err
	}
	if len(p) == 0 {
		return "", fmt.Errorf("no account %s", officeEmail(0, 0))
	}
	token, err := secret.New(32)
	if err != nil {
		return "", err
	}
	csrf, err := secret.New(32)
	if err != nil {
		return "", err
	}
	now := time.Now().UTC()
	// Eight hours idle and twelve in all, as auth's defaults: a run
	// long enough to slide the expiry touches it now and then, as a real
	// browser's would.
	if err := st.CreateSession(sys, &distans.Session{TokenHash: secret.Hash(token), OrganisationID: data.orgID,
		PersonID: p[0].PersonID, CSRFToken: csrf, CreatedAt: now, ExpiresAt: now.Add(8 * time.Hour), LastSeenAt: now}); err != nil {
		return "", err
	}
	return httpx.SessionCookie + "=" + token, nil
}

// xacts is the count of transactions PostgreSQL has committed and rolled
// back in the database of dsn (every statement outside a transaction is
// one), or -1 on SQLite or on error. The statistics reach the view within
// a second or so of each transaction, so it waits that long first: on a
// shared machine it says what a request costs the database when the
// latencies say mostly how busy the others are.
func xacts(ctx context.Context, dsn string) int64 {
	if strings.HasPrefix(dsn, "sqlite:") {
		return -1
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return -1
	}
	defer db.Close()
	select {
	case <-ctx.Done():
		return -1
	case <-time.After(1500 * time.Millisecond):
	}
	var n int64
	// The view's snapshot is per transaction: a fresh one each call.
	if _, err := db.ExecContext(ctx, `SELECT pg_stat_clear_snapshot()`); err != nil {
		return -1
	}
	if err := db.QueryRowContext(ctx, `SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()`).Scan(&n); err != nil {
		return -1
	}
	return n
}
