package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// runSCIM measures provisioning through SCIM (issue 13): a new
// organisation with one unit and a SCIM token, then, against the distans
// binary, -scim-users POST /Users and -scim-groups POST /Groups (each
// group with 50 of the users as members) by -clients concurrent clients,
// printed as operations a second; then GET /Users?filter=userName eq "…"
// for -duration by -clients clients, printed as requests a second, p50
// and p99. A 429 is waited out as Retry-After says and counted.
func runSCIM(ctx context.Context, c *config, stdout io.Writer) error {
	st, err := sqlstore.Open(ctx, c.DSN)
	if err != nil {
		return err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return err
	}
	slug := fmt.Sprintf("scim-%d", time.Now().Unix())
	sys := distans.NewContext(ctx, distans.SystemActor(""))
	o := &distans.Organisation{Slug: slug, Name: "SCIM-bench " + slug, TimeZone: "Europe/Stockholm", Language: "sv"}
	if err := st.CreateOrganisation(sys, o); err != nil {
		st.Close()
		return fmt.Errorf("organisation: %w", err)
	}
	octx := distans.NewContext(ctx, distans.SystemActor(o.ID))
	if err := st.CreateUnit(octx, &distans.Unit{OrganisationID: o.ID, Name: "Förvaltningen", Code: "F", Kind: distans.UnitAdministration}); err != nil {
		st.Close()
		return fmt.Errorf("unit: %w", err)
	}
	token, _, err := st.CreateSCIMToken(octx, "distans-bench")
	st.Close()
	if err != nil {
		return fmt.Errorf("SCIM token: %w", err)
	}
	fmt.Fprintf(stdout, "organisation %s with a SCIM token\n", slug)

	srv, err := startServer(ctx, c.Bin, c.DSN)
	if err != nil {
		return err
	}
	defer srv.stop()
	base := srv.base + "/scim/v2"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c.Clients}}
	var throttled atomic.Int64
	send := func(method, u string, body any) (int, []byte, error) {
		var b []byte
		if body != nil {
			b, _ = json.Marshal(body)
		}
		for {
			req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(b))
			if err != nil {
				return 0, nil, err
			}
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/scim+json")
			res, err := client.Do(req)
			if err != nil {
				return 0, nil, err
			}
			out, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusTooManyRequests {
				throttled.Add(1)
				s, _ := strconv.Atoi(res.Header.Get("Retry-After"))
				select {
				case <-ctx.Done():
					return 0, nil, ctx.Err()
				case <-time.After(time.Duration(max(s, 1)) * time.Second):
				}
				continue
			}
			return res.StatusCode, out, nil
		}
	}

	// Provisioning: users, then groups of 50 of them.
	ids := make([]string, c.SCIMUsers)
	var failed atomic.Int64
	var firstErr atomic.Value
	parallel := func(n int, op func(i int) (int, []byte, error), want int) time.Duration {
		start := time.Now()
		var next atomic.Int64
		var wg sync.WaitGroup
		for range c.Clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1)) - 1
					if i >= n || ctx.Err() != nil {
						return
					}
					status, body, err := op(i)
					if err != nil || status != want {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, fmt.Sprintf("%d %v %.300s", status, err, body))
					}
				}
			}()
		}
		wg.Wait()
		return time.Since(start)
	}
	dbCPU := openDBCPU(ctx, c.DSN)
	defer dbCPU.close()
	cpu0, db0 := cpuTime(srv.cmd.Process.Pid), dbCPU.read(ctx)
	userTime := parallel(c.SCIMUsers, func(i int) (int, []byte, error) {
		status, body, err := send("POST", base+"/Users", map[string]any{
			"schemas":    []string{"urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"},
			"userName":   benchUserName(i),
			"externalId": fmt.Sprintf("ext-%06d", i),
			"active":     true,
			"name":       map[string]string{"givenName": "Person", "familyName": fmt.Sprintf("Nummer %d", i)},
			"emails":     []map[string]any{{"value": benchUserName(i), "type": "work", "primary": true}},
			"title":      "Handläggare",
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": map[string]any{
				"employeeNumber": strconv.Itoa(100000 + i), "department": "F",
			},
		})
		if status == http.StatusCreated {
			var d struct{ ID string }
			_ = json.Unmarshal(body, &d)
			ids[i] = d.ID
		}
		return status, body, err
	}, http.StatusCreated)
	groupTime := parallel(c.SCIMGroups, func(i int) (int, []byte, error) {
		var members []map[string]string
		for j := range 50 {
			if id := ids[(i*50+j)%len(ids)]; id != "" {
				members = append(members, map[string]string{"value": id})
			}
		}
		return send("POST", base+"/Groups", map[string]any{
			"schemas":     []string{"urn:ietf:params:scim:schemas:core:2.0:Group"},
			"displayName": fmt.Sprintf("Grupp %03d", i),
			"externalId":  fmt.Sprintf("grp-%03d", i),
			"members":     members,
		})
	}, http.StatusCreated)
	ops := c.SCIMUsers + c.SCIMGroups
	total := userTime + groupTime
	cpu1, db1 := cpuTime(srv.cmd.Process.Pid), dbCPU.read(ctx)
	fmt.Fprintf(stdout, "provisioned %d users in %s (%.0f/s) and %d groups of 50 members in %s (%.0f/s): %.0f operations/s, %d failed, %d answered 429; server CPU %.2f ms an operation%s\n",
		c.SCIMUsers, userTime.Round(time.Millisecond), float64(c.SCIMUsers)/userTime.Seconds(),
		c.SCIMGroups, groupTime.Round(time.Millisecond), float64(c.SCIMGroups)/groupTime.Seconds(),
		float64(ops)/total.Seconds(), failed.Load(), throttled.Load(), float64(cpu1-cpu0)/float64(time.Millisecond)/float64(ops),
		dbCPU.per(db0, db1, ops))
	if e := firstErr.Load(); e != nil {
		fmt.Fprintf(stdout, "first failure: %s\n", e)
	}

	// Entra's lookup before every change: one user by userName.
	var mu sync.Mutex
	var lat []time.Duration
	var errs atomic.Int64
	deadline := time.Now().Add(c.Duration)
	var wg sync.WaitGroup
	for range c.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(deadline) && ctx.Err() == nil {
				i := rand.IntN(c.SCIMUsers)
				q := url.QueryEscape(`userName eq "` + benchUserName(i) + `"`)
				start := time.Now()
				status, body, err := send("GET", base+"/Users?filter="+q, nil)
				mine = append(mine, time.Since(start))
				if err != nil || status != http.StatusOK || !strings.Contains(string(body), `"totalResults":1`) {
					errs.Add(1)
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	cpu2, db2 := cpuTime(srv.cmd.Process.Pid), dbCPU.read(ctx)
	fmt.Fprintf(stdout, "GET /Users?filter=userName eq \"…\" with %d clients for %s: %d requests (%.0f/s), p50 %s, p99 %s, %d errors; server CPU %.3f ms a request%s\n",
		c.Clients, c.Duration, len(lat), float64(len(lat))/c.Duration.Seconds(), ms(percentile(lat, 50)), ms(percentile(lat, 99)), errs.Load(),
		float64(cpu2-cpu1)/float64(time.Millisecond)/float64(max(len(lat), 1)), dbCPU.per(db1, db2, len(lat)))
	hwm, rss, err := memory(srv.cmd.Process.Pid)
	if err == nil {
		fmt.Fprintf(stdout, "server memory: peak %s, now %s\n", humanKB(hwm), humanKB(rss))
	}
	return nil
}

// cpuTime is the CPU time process pid has used (user and system), from
// /proc/PID/stat; on a shared machine it says what a request costs when
// the latencies say mostly how busy the others are.
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ is 100 on Linux
}

func benchUserName(i int) string { return fmt.Sprintf("person%06d@scim-bench.example", i) }

// dbCPU reads the CPU time of the database server's processes that serve
// the benchmark's database, when PostgreSQL runs on this machine: on a
// shared machine the database's share of an operation says more than the
// wall clock. The distans server keeps its connections open, so the sum
// over the connections open at two moments is what they used between.
type dbCPU struct{ db *sql.DB }

func openDBCPU(ctx context.Context, dsn string) *dbCPU {
	if !strings.HasPrefix(dsn, "postgres") {
		return &dbCPU{}
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return &dbCPU{}
	}
	return &dbCPU{db: db}
}

func (d *dbCPU) close() {
	if d.db != nil {
		d.db.Close()
	}
}

// read is the CPU time of the backends connected to the database, other
// than its own; -1 when it cannot tell (no PostgreSQL, or not local).
func (d *dbCPU) read(ctx context.Context) time.Duration {
	if d.db == nil {
		return -1
	}
	rows, err := d.db.QueryContext(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
	if err != nil {
		return -1
	}
	defer rows.Close()
	var sum time.Duration
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			return -1
		}
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err != nil {
			return -1
		}
		sum += cpuTime(pid)
	}
	return sum
}

// per says the database CPU an operation used between two reads.
func (d *dbCPU) per(a, b time.Duration, ops int) string {
	if a < 0 || b < 0 || ops == 0 {
		return ""
	}
	return fmt.Sprintf(", database CPU %.2f ms", float64(b-a)/float64(time.Millisecond)/float64(ops))
}
