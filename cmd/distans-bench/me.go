package main

import (
	"context"
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
			results = append(results, runScenario(ctx, srv.base, sc, who, c.Conns, c.Duration))
		}
		if err := srv.stop(); err != nil {
			return fmt.Errorf("stop server: %w", err)
		}
	}
	fmt.Fprintln(stdout)
	printResults(stdout, results)
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
