package storetest

import (
	"context"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// sumFacts adds up the facts of measure in the units of ids (all when nil).
func sumFacts(d *distans.ReportData, measure string, ids ...string) int {
	n := 0
	for _, f := range d.Facts {
		if f.Measure != measure {
			continue
		}
		if ids != nil && !contains(ids, f.UnitID) {
			continue
		}
		n += f.N
	}
	return n
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

type detailRows struct{ rows [][]string }

func (d *detailRows) Columns([]distans.ReportNote) error { return nil }
func (d *detailRows) Row(v []string) error {
	d.rows = append(d.rows, v)
	return nil
}

// Reports: the facts in the actor's report scope, of their organisation
// only; details by keyset; counts per organisation for the operator.
func Reports(t *testing.T, s *sqlstore.Store) {
	w := NewReportWorld(t, s)
	today := agrToday()
	from, to := today.AddDate(-1, 0, 1), today
	hr := As(t, s, w.HR)
	d, err := s.ReportData(hr, distans.ReportAgreements, from, to)
	Must(t, err)
	want := 0
	for _, n := range w.Active {
		want += n
	}
	if got := sumFacts(d, "state:active"); got != want {
		t.Errorf("HR: %d active agreements, want %d (the other organisation's %d never)", got, want, w.OtherActive)
	}
	if got := sumFacts(d, "staff_with_agreement"); got != want {
		t.Errorf("HR: %d people with an agreement, want %d", got, want)
	}
	if got, staff := sumFacts(d, "staff"), 2+3+2+1+3+1+7; got != staff {
		t.Errorf("HR: staff %d, want %d", got, staff)
	}
	if len(d.RootIDs) != 1 || d.RootIDs[0] != w.Top.ID || len(d.Units) != 6 {
		t.Errorf("HR: roots %v, %d units", d.RootIDs, len(d.Units))
	}
	// A unit's people ending within 30 days: the first of each unit ends in 20.
	if got := sumFacts(d, "ending_30"); got != 5 {
		t.Errorf("ending within 30 days: %d, want 5", got)
	}

	// The manager of A sees A's subtree and nothing else.
	chef := As(t, s, w.ChefA)
	dm, err := s.ReportData(chef, distans.ReportAgreements, from, to)
	Must(t, err)
	if got, want := sumFacts(dm, "state:active"), w.Active[w.A.ID]+w.Active[w.A1.ID]+w.Active[w.A2.ID]; got != want {
		t.Errorf("manager: %d active, want %d", got, want)
	}
	for _, u := range dm.Units {
		if u.ID == w.B.ID || u.ID == w.Top.ID || u.ID == w.B1.ID {
			t.Errorf("manager sees unit %s", u.Name)
		}
	}
	if len(dm.RootIDs) != 1 || dm.RootIDs[0] != w.A.ID {
		t.Errorf("manager roots %v, want A", dm.RootIDs)
	}
	var rows detailRows
	err = s.ReportDetails(chef, distans.ReportFilter{Kind: distans.ReportAgreements, UnitID: w.B.ID}, &rows)
	if distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Errorf("manager's details of B: %v, want ENOTFOUND", err)
	}
	Must(t, s.ReportDetails(chef, distans.ReportFilter{Kind: distans.ReportAgreements}, &rows))
	if len(rows.rows) != w.Active[w.A.ID]+w.Active[w.A1.ID]+w.Active[w.A2.ID] {
		t.Errorf("manager's details: %d rows", len(rows.rows))
	}
	rows = detailRows{}
	Must(t, s.ReportDetails(hr, distans.ReportFilter{Kind: distans.ReportAgreements}, &rows))
	if len(rows.rows) != want {
		t.Errorf("HR's details: %d rows, want %d", len(rows.rows), want)
	}

	// The union: the whole organisation's facts, but no details.
	un := As(t, s, w.Union)
	if _, err := s.ReportData(un, distans.ReportEquipment, from, to); err != nil {
		t.Errorf("union's facts: %v", err)
	}
	if err := s.ReportDetails(un, distans.ReportFilter{Kind: distans.ReportAgreements}, &rows); distans.ErrorCode(err) != distans.EFORBIDDEN {
		t.Errorf("union's details: %v, want EFORBIDDEN", err)
	}
	// Someone with no report scope.
	emp := As(t, s, w.People[w.B1.ID][0])
	if _, err := s.ReportData(emp, distans.ReportAgreements, from, to); distans.ErrorCode(err) != distans.EFORBIDDEN {
		t.Errorf("employee's report: %v, want EFORBIDDEN", err)
	}
	for _, k := range distans.ReportKinds {
		if _, err := s.ReportData(hr, k, from, to); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}

	// The operator: counts per organisation, each its own.
	if _, err := s.InstallationCounts(hr); distans.ErrorCode(err) != distans.EFORBIDDEN {
		t.Errorf("HR's installation counts: %v, want EFORBIDDEN", err)
	}
	op := distans.NewContext(context.Background(), &distans.Actor{Operator: true})
	counts, err := s.InstallationCounts(op)
	Must(t, err)
	seen := 0
	for _, c := range counts {
		switch c.OrganisationID {
		case w.Org.ID:
			seen++
			if c.ActiveAgreements != want || c.People != 19 {
				t.Errorf("installation counts of %s: %+v", c.OrganisationName, c)
			}
		case w.Other.ID:
			seen++
			if c.ActiveAgreements != w.OtherActive {
				t.Errorf("installation counts of %s: %+v", c.OrganisationName, c)
			}
		}
	}
	if seen != 2 {
		t.Errorf("installation counts: %d of 2 organisations", seen)
	}
}
