package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/report"
	"github.com/distans/distans/internal/sqlstore"
)

// runReports measures the reports of issue 17 in-process on the
// agreement dataset of issue 4 (1,000,000 agreements in 290
// organisations, seeded as -agreements does; with -skip-seed the
// database as it is, its first organisation by slug): one organisation's
// report of each kind as HR sees it (the whole organisation) and as the
// union sees it (every drill-down suppressed together), the installation
// counts, and streaming the details of every agreement of the
// organisation. Issue 17 asks an organisation's report under 1 s and the
// installation counts under 5 s.
//
//	go run ./cmd/distans-bench -reports -db postgres://…/benchagreements -bin /tmp/distans
func runReports(ctx context.Context, c *config, out io.Writer) error {
	st, err := sqlstore.Open(ctx, c.DSN)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	if !c.SkipSeed {
		if strings.HasPrefix(c.DSN, "sqlite:") {
			return errors.New("-reports seeds on PostgreSQL only: give -db postgres://…, or -skip-seed")
		}
		db, err := sql.Open("pgx", c.DSN)
		if err != nil {
			return err
		}
		defer db.Close()
		if _, _, err := seedAgreements(ctx, st, db, max(c.SeedWorkers, 4), out); err != nil {
			return fmt.Errorf("seed agreements: %w", err)
		}
		for _, table := range []string{"agreements", "people", "employments"} {
			if _, err := db.ExecContext(ctx, "VACUUM ANALYZE "+table); err != nil {
				return err
			}
		}
	}
	op := distans.NewContext(ctx, &distans.Actor{Operator: true})
	orgs, err := st.ListOrganisations(op)
	if err != nil {
		return err
	}
	if len(orgs) == 0 {
		return errors.New("no organisation in the database")
	}
	slices.SortFunc(orgs, func(x, y *distans.Organisation) int { return strings.Compare(x.Slug, y.Slug) })
	org := orgs[0]
	svc := report.New(report.Config{Store: st, Packs: policy.NewService(st, st), Organisations: st})
	hr := distans.NewContext(ctx, distans.SystemActor(org.ID))
	union := distans.NewContext(ctx, &distans.Actor{OrganisationID: org.ID, PersonID: "bench-union",
		Grants: []distans.Grant{{Role: distans.RoleUnion}}})

	timed := func(name string, runs int, fn func() error) error {
		var ds []time.Duration
		for range runs {
			t0 := time.Now()
			if err := fn(); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			ds = append(ds, time.Since(t0))
		}
		slices.Sort(ds)
		fmt.Fprintf(out, "%-44s median %8s  max %8s  (%d runs)\n", name, ds[len(ds)/2].Round(time.Microsecond),
			ds[len(ds)-1].Round(time.Microsecond), runs)
		return nil
	}
	fmt.Fprintf(out, "organisation %s (%s)\n", org.Name, org.Slug)
	for _, k := range distans.ReportKinds {
		for _, who := range []struct {
			name string
			ctx  context.Context
		}{{"HR", hr}, {"union", union}} {
			if err := timed(fmt.Sprintf("report %s as %s", k, who.name), 5, func() error {
				_, err := svc.Report(who.ctx, distans.ReportFilter{Kind: k})
				return err
			}); err != nil {
				return err
			}
		}
	}
	if err := timed("installation counts", 3, func() error {
		_, err := svc.InstallationCounts(op)
		return err
	}); err != nil {
		return err
	}
	var w countingWriter
	if err := timed("details of every agreement (streamed)", 3, func() error {
		w = countingWriter{}
		return svc.Details(hr, distans.ReportFilter{Kind: distans.ReportAgreements}, &w)
	}); err != nil {
		return err
	}
	fmt.Fprintf(out, "details: %d rows; issue 17 asks a report under 1 s, installation counts under 5 s\n", w.rows)
	return nil
}

// countingWriter counts the rows of a details stream and keeps none.
type countingWriter struct{ rows int }

func (w *countingWriter) Columns([]distans.ReportNote) error { return nil }
func (w *countingWriter) Row([]string) error {
	w.rows++
	return nil
}
