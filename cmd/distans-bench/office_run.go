package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx", for creating the pgbench database

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// runOffice seeds the desk dataset and measures what issue 5 asks:
// site availability with one client and with c.Conns, who-am-I with
// c.Conns, racing bookings with c.RaceClients, and pgbench beside them on
// PostgreSQL; with c.Mixed, the three at once instead (office_mixed.go).
func runOffice(ctx context.Context, c *config, stdout io.Writer) error {
	size := officeSizes[c.OfficeSize]
	workers := c.SeedWorkers
	if !strings.HasPrefix(c.DSN, "sqlite:") {
		// Each organisation has its own office lock, so organisations seed
		// in parallel on PostgreSQL.
		workers = max(workers, 8)
	}
	st, err := sqlstore.Open(ctx, c.DSN)
	if err != nil {
		return err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return err
	}
	data, err := seedOffice(ctx, st, size, workers, c.RaceClients, stdout)
	st.Close()
	if err != nil {
		return fmt.Errorf("seed office: %w", err)
	}

	if !strings.HasPrefix(c.DSN, "sqlite:") {
		if err := vacuumOffice(ctx, c.DSN, stdout); err != nil {
			return err
		}
	}

	srv, err := startServer(ctx, c.Bin, c.DSN)
	if err != nil {
		return err
	}
	defer srv.stop()
	fmt.Fprintf(stdout, "server pid %d on %s\n", srv.cmd.Process.Pid, srv.base)

	tomorrow := distans.DateOf(time.Now().In(stockholm())).AddDate(0, 0, 1).Format(time.DateOnly)
	availability := scenario{"GET /api/v1/sites/{id}/availability", func(ctx context.Context, base string, _ *rand.Rand, a creds) (*http.Request, error) {
		return apiGet(ctx, base+"/api/v1/sites/"+data.siteID+"/availability?date="+tomorrow, a.token)
	}}
	me := scenario{"GET /api/v1/me", func(ctx context.Context, base string, _ *rand.Rand, a creds) (*http.Request, error) {
		return apiGet(ctx, base+"/api/v1/me", a.token)
	}}
	read := creds{token: data.readToken}
	var results []*result
	var race *raceResult
	if c.Mixed {
		results, race = runOfficeMixed(ctx, srv.base, data, c, read, availability, me, stdout)
	} else {
		for _, run := range []struct {
			sc scenario
			n  int
		}{{availability, 1}, {availability, c.Conns}, {me, c.Conns}} {
			if ctx.Err() != nil {
				break
			}
			fmt.Fprintf(stdout, "running %s for %s with %d clients…\n", run.sc.name, c.Duration, run.n)
			results = append(results, runScenario(ctx, srv.base, run.sc, read, run.n, c.Duration, nil))
		}
		fmt.Fprintf(stdout, "racing %d clients for %d desks for %s…\n", len(data.raceTokens), raceDesks, c.Duration)
		race = runRace(ctx, srv.base, data, c.Duration, false, nil)
	}

	var pgbenchTPS string
	if !c.Mixed && !strings.HasPrefix(c.DSN, "sqlite:") && ctx.Err() == nil {
		if path, err := exec.LookPath("pgbench"); err != nil {
			pgbenchTPS = "not run: pgbench is not on PATH"
		} else {
			fmt.Fprintln(stdout, "running pgbench (TPC-B, scale 10, 16 clients, 10 s) in database pgbench…")
			tps, err := runPgbench(ctx, path, c.DSN)
			if err != nil {
				pgbenchTPS = "failed: " + err.Error()
			} else {
				pgbenchTPS = fmt.Sprintf("%.0f tps", tps)
				race.pgbench = tps
			}
		}
	}

	hwm, rss, memErr := memory(srv.cmd.Process.Pid)
	if err := srv.stop(); err != nil {
		return fmt.Errorf("stop server: %w", err)
	}

	// The final check reads the store once the server has stopped.
	doubles, stored, checkErr := checkDoubleBookings(ctx, c.DSN, data)

	fmt.Fprintln(stdout)
	printResults(stdout, results)
	fmt.Fprintln(stdout)
	fmt.Fprintf(stdout, "racing bookings: %d clients, %d desks, %d requests in %s: %d written (%.1f bookings/s), %d refused with 409, %d other errors\n",
		len(data.raceTokens), raceDesks, race.requests, race.elapsed.Round(time.Millisecond), race.written,
		float64(race.written)/race.elapsed.Seconds(), race.conflicts, race.errors)
	if race.firstErr != "" {
		fmt.Fprintf(stdout, "first racing error: %s\n", race.firstErr)
	}
	if checkErr != nil {
		fmt.Fprintf(stdout, "double-booking check failed: %v\n", checkErr)
	} else {
		fmt.Fprintf(stdout, "double bookings: %d (of %d active bookings stored at the race site; %d answered 201)\n", doubles, stored, race.written)
	}
	if pgbenchTPS != "" {
		fmt.Fprintf(stdout, "pgbench: %s", pgbenchTPS)
		if race.pgbench > 0 {
			fmt.Fprintf(stdout, "; racing bookings reach %.0f%% of it (issue 5 asks at least 50%%)", 100*float64(race.written)/race.elapsed.Seconds()/race.pgbench)
		}
		fmt.Fprintln(stdout)
	}
	if memErr != nil {
		fmt.Fprintf(stdout, "server memory: %v\n", memErr)
	} else {
		fmt.Fprintf(stdout, "server memory: VmHWM %s, VmRSS %s\n", hwm, rss)
	}
	if checkErr == nil && doubles > 0 {
		return fmt.Errorf("%d double bookings", doubles)
	}
	return ctx.Err()
}

func stockholm() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return time.UTC
	}
	return loc
}

func apiGet(ctx context.Context, u, token string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err == nil {
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept", "application/json")
	}
	return req, err
}

// raceResult is what the racing clients saw.
type raceResult struct {
	requests, written, conflicts, errors int
	elapsed                              time.Duration
	firstErr                             string
	pgbench                              float64
}

// runRace has every racing client, each a person of its own, POST
// /api/v1/bookings for d. Requests take slots from one counter, about
// contenders requests per slot (a desk for a full day), so every slot is
// fought over; the slots run over the race desks and then the days of the
// horizon. It stops early when every slot has been asked for. Paced, the
// requests spread over d instead of going as fast as answers come, so that
// the slots last the whole run. A tally, when given, counts each answer
// (a 409 is an answer, not an error) as it comes.
func runRace(ctx context.Context, base string, data *officeData, d time.Duration, paced bool, t *tally) *raceResult {
	const contenders = 4
	n := len(data.raceTokens)
	client := &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 2 * n, MaxIdleConnsPerHost: 2 * n, IdleConnTimeout: 30 * time.Second}}
	defer client.CloseIdleConnections()
	first := distans.DateOf(time.Now().In(stockholm())).AddDate(0, 0, 1)
	slots := int64(raceDesks * (officeHorizon - 1))
	var next atomic.Int64
	res := &raceResult{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for i := range n {
		wg.Go(func() {
			var requests, written, conflicts, errs int
			var firstErr string
			for ctx.Err() == nil && time.Now().Before(deadline) {
				k := next.Add(1)
				slot := k / contenders
				if slot >= slots {
					break
				}
				if paced {
					select {
					case <-ctx.Done():
					case <-time.After(time.Until(start.Add(d * time.Duration(k) / time.Duration(slots*contenders)))):
					}
				}
				body, _ := json.Marshal(map[string]string{"desk_id": data.raceDesks[slot%raceDesks],
					"date": first.AddDate(0, 0, int(slot/raceDesks)).Format(time.DateOnly), "part": "day"})
				req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/bookings", bytes.NewReader(body))
				if err != nil {
					break
				}
				req.Header.Set("Authorization", "Bearer "+data.raceTokens[i])
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", "application/json")
				resp, err := client.Do(req)
				if ctx.Err() != nil {
					break
				}
				requests++
				if err != nil {
					errs++
					t.add(false)
					firstErr = cmp(firstErr, err.Error())
					continue
				}
				msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
				resp.Body.Close()
				t.add(resp.StatusCode == http.StatusCreated || resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusConflict)
				switch resp.StatusCode {
				case http.StatusCreated, http.StatusOK:
					written++
				case http.StatusConflict:
					conflicts++
				default:
					errs++
					firstErr = cmp(firstErr, fmt.Sprintf("status %d: %s", resp.StatusCode, strings.TrimSpace(string(msg))))
				}
			}
			mu.Lock()
			defer mu.Unlock()
			res.requests += requests
			res.written += written
			res.conflicts += conflicts
			res.errors += errs
			res.firstErr = cmp(res.firstErr, firstErr)
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// cmp returns a unless it is empty, else b.
func cmp(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// checkDoubleBookings reads every racing person's active bookings through
// the store and counts the desk half days held by more than one booking.
func checkDoubleBookings(ctx context.Context, dsn string, data *officeData) (doubles, stored int, err error) {
	st, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return 0, 0, err
	}
	defer st.Close()
	sys := distans.NewContext(ctx, distans.SystemActor(data.orgID))
	held := map[string]int{}
	for _, pid := range data.racePeople {
		list, err := st.ListBookings(sys, distans.BookingFilter{PersonID: pid})
		if err != nil {
			return 0, 0, err
		}
		for _, b := range list {
			if b.SiteID != data.raceSite || !b.Status.Active() {
				continue
			}
			stored++
			for _, h := range b.Part.Halves() {
				held[b.DeskID+b.Date.Format(time.DateOnly)+string(h)]++
			}
		}
	}
	for _, n := range held {
		if n > 1 {
			doubles += n - 1
		}
	}
	return doubles, stored, nil
}

var tpsRE = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// vacuumOffice vacuums and analyses the database before measuring, as
// pgbench does its own tables. Seeding leaves the planner without
// statistics, and each run cancels the racers' bookings and writes
// thousands more, with an audit event each; where autovacuum is off (as on
// the machines these figures come from) the dead rows piled up run after
// run, and later runs measured the pile. Pages no one changed since the
// last vacuum are skipped, so only the first run takes long.
func vacuumOffice(ctx context.Context, dsn string, out io.Writer) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if _, err := db.ExecContext(ctx, `VACUUM (ANALYZE)`); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	fmt.Fprintf(out, "vacuumed and analysed the database in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// runPgbench creates the database pgbench beside the one in dsn unless it
// exists, initialises it at scale 10 and runs TPC-B with 16 clients and 2
// threads for 10 seconds, and returns its tps.
func runPgbench(ctx context.Context, path, dsn string) (float64, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return 0, err
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'pgbench')`).Scan(&exists); err != nil {
		return 0, err
	}
	if !exists {
		if _, err := db.ExecContext(ctx, `CREATE DATABASE pgbench`); err != nil {
			return 0, err
		}
	}
	u.Path = "/pgbench"
	q := u.Query()
	q.Del("search_path")
	for k := range q {
		// pgbench's libpq knows fewer parameters than pgx; keep the ones it does.
		if !slices.Contains([]string{"sslmode", "host", "port", "user", "password", "connect_timeout"}, k) {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	target := u.String()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, path, "-i", "-s", "10", "-q", target).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("pgbench -i: %v: %s", err, tailOf(out))
	}
	out, err := exec.CommandContext(ctx, path, "-c", "16", "-j", "2", "-T", "10", target).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench: %v: %s", err, tailOf(out))
	}
	m := tpsRE.FindSubmatch(out)
	if m == nil {
		return 0, errors.New("no tps in pgbench output: " + tailOf(out))
	}
	var tps float64
	_, err = fmt.Sscanf(string(m[1]), "%g", &tps)
	return tps, err
}

func tailOf(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 500 {
		s = s[len(s)-500:]
	}
	return s
}
