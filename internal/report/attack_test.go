package report_test

import (
	"context"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/report"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

func newService(s *sqlstore.Store) *report.Service {
	return report.New(report.Config{Store: s, Packs: policy.NewService(s, s), Organisations: s})
}

// UnionReports opens, as the union, every report kind and every unit
// drill-down the union can reach.
func UnionReports(t *testing.T, svc distans.ReportService, ctx context.Context, units []string) []*distans.Report {
	t.Helper()
	var out []*distans.Report
	for _, k := range distans.ReportKinds {
		for _, u := range append([]string{""}, units...) {
			r, err := svc.Report(ctx, distans.ReportFilter{Kind: k, UnitID: u})
			if err != nil {
				t.Fatalf("%s %s: %v", k, u, err)
			}
			if !r.Suppressed {
				t.Fatalf("%s %s: the union's report is not suppressed", k, u)
			}
			out = append(out, r)
		}
	}
	return out
}

// TestUnionAttack is the attack the issue asks for: every number the
// union can see, across every table, kind and drill-down, set up as
// additive equations; no suppressed count may follow from them.
func TestUnionAttack(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := storetest.NewReportWorld(t, s)
		svc := newService(s)
		un := storetest.As(t, s, w.Union)
		units := []string{w.Top.ID, w.A.ID, w.B.ID, w.A1.ID, w.A2.ID, w.B1.ID}
		reports := UnionReports(t, svc, un, units)
		eq := report.PublishedEquations(reports...)
		if len(eq.Hidden()) == 0 {
			t.Fatal("nothing suppressed in an organisation of small groups: the attack proves nothing")
		}
		if got := eq.Determined(); len(got) > 0 {
			t.Errorf("suppressed counts recoverable from what the union sees: %v", got)
		}
		// Small groups are hidden whole: unit A1 has one person.
		for _, r := range reports {
			for _, tb := range r.Tables {
				for _, row := range tb.Rows {
					if row.Key != w.A1.ID {
						continue
					}
					for i, c := range row.Cells {
						if !c.Suppressed && !c.Empty {
							t.Errorf("%s/%s: A1 (one person) shows %s = %v", r.Kind, tb.ID, tb.Columns[i].Key, c.Value)
						}
					}
				}
			}
		}
		// HR sees the same counts unsuppressed.
		hr := storetest.As(t, s, w.HR)
		r, err := svc.Report(hr, distans.ReportFilter{Kind: distans.ReportAgreements})
		if err != nil {
			t.Fatal(err)
		}
		if r.Suppressed {
			t.Error("HR's report is suppressed")
		}
		for _, tb := range r.Tables {
			for _, row := range append(tb.Rows, derefRow(tb.Total)...) {
				for _, c := range row.Cells {
					if c.Suppressed {
						t.Errorf("HR's %s row %s has a suppressed cell", tb.ID, row.Label)
					}
				}
			}
		}
	})
}

func derefRow(r *distans.ReportRow) []distans.ReportRow {
	if r == nil {
		return nil
	}
	return []distans.ReportRow{*r}
}
