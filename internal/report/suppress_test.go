package report

import (
	"math/bits"
	"testing"
	"time"

	"github.com/distans/distans"
)

// equipmentViews lays out the equipment report of a kommun with units
// u1..un under it, each with staff[i] people and the given counts of
// items issued and losses, suppressed for k over every drill-down.
func equipmentViews(staff, issued, losses []int, k int) []*view {
	d := &distans.ReportData{OrganisationID: "o", OrganisationName: "Org", RootIDs: []string{"top"},
		Units: []distans.ReportUnit{{ID: "top", Name: "Kommunen", Path: "/top/"}}}
	for i := range staff {
		id := string(rune('a' + i))
		d.Units = append(d.Units, distans.ReportUnit{ID: id, ParentID: "top", Name: "Enhet " + id, Path: "/top/" + id + "/"})
		d.Facts = append(d.Facts, distans.ReportFact{Measure: "staff", UnitID: id, Days: -1, N: staff[i]},
			distans.ReportFact{Measure: "items_issued", UnitID: id, Days: -1, N: issued[i]},
			distans.ReportFact{Measure: "losses", UnitID: id, Days: -1, N: losses[i]})
	}
	f := distans.ReportFilter{Kind: distans.ReportEquipment, From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		To: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)}
	t := newTree(d, true)
	vs := newVars(t, d, f)
	views := []*view{layout(t, d, vs, f, "", true)}
	for _, u := range t.order {
		views = append(views, layout(t, d, vs, f, u, true))
	}
	suppress(views, k)
	return views
}

func reportsOf(vs []*view) []*distans.Report {
	var out []*distans.Report
	for _, v := range vs {
		out = append(out, v.r)
	}
	return out
}

func cellOf(v *view, col, row string) distans.ReportCell {
	t := v.r.Tables[0]
	for j, c := range t.Columns {
		if c.Key != col {
			continue
		}
		if row == "total" {
			return t.Total.Cells[j]
		}
		for _, r := range t.Rows {
			if r.Key == row {
				return r.Cells[j]
			}
		}
	}
	panic("no cell " + col + " " + row)
}

func TestSuppress(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                  string
		staff, issued, losses []int
		hidden, shown         [][2]string // column, row
		wantHidden, wantShown int
	}{
		{name: "nothing small: nothing hidden", staff: []int{10, 12, 9}, issued: []int{7, 8, 9}, losses: []int{0, 5, 6},
			shown: [][2]string{{"items_issued", "a"}, {"losses", "a"}, {"losses", "total"}}},
		{name: "one small count: its row and column partners hide too (the subtraction attack)",
			staff: []int{10, 12, 9}, issued: []int{7, 8, 9}, losses: []int{2, 5, 6},
			hidden: [][2]string{{"losses", "a"}}, shown: [][2]string{{"items_issued", "a"}}},
		{name: "a small group hides its whole row, zeros too", staff: []int{3, 12, 9}, issued: []int{0, 8, 9}, losses: []int{0, 5, 6},
			hidden: [][2]string{{"items_issued", "a"}, {"losses", "a"}}},
		{name: "two small counts in one column", staff: []int{10, 12, 9, 20}, issued: []int{7, 8, 9, 10}, losses: []int{1, 1, 6, 7},
			hidden: [][2]string{{"losses", "a"}, {"losses", "b"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vs := equipmentViews(tc.staff, tc.issued, tc.losses, 5)
			for _, c := range tc.hidden {
				if !cellOf(vs[0], c[0], c[1]).Suppressed {
					t.Errorf("%s of %s shown", c[0], c[1])
				}
			}
			for _, c := range tc.shown {
				if cellOf(vs[0], c[0], c[1]).Suppressed {
					t.Errorf("%s of %s hidden", c[0], c[1])
				}
			}
			eq := PublishedEquations(reportsOf(vs)...)
			if got := eq.Determined(); len(got) > 0 {
				t.Errorf("recoverable: %v", got)
			}
			if len(tc.hidden) > 0 {
				// A lone hidden cell in a column with a total is recoverable
				// by subtraction: secondary suppression must hide another.
				n := 0
				for _, r := range vs[0].r.Tables[0].Rows {
					if r.Cells[2].Suppressed {
						n++
					}
				}
				if n == 1 && !vs[0].r.Tables[0].Total.Cells[2].Suppressed {
					t.Errorf("one hidden cell in a column with its total shown")
				}
			}
		})
	}
}

// TestEquationsCatchSubtraction: the attack finds a single hidden cell
// beside its published total.
func TestEquationsCatchSubtraction(t *testing.T) {
	t.Parallel()
	col := distans.ReportColumn{Key: "n", Kind: distans.CellCount}
	r := &distans.Report{Tables: []*distans.ReportTable{{ID: "x", ByUnit: true, Columns: []distans.ReportColumn{col},
		Rows: []distans.ReportRow{{Key: "a", Cells: []distans.ReportCell{{Suppressed: true}}},
			{Key: "b", Cells: []distans.ReportCell{{Value: 7}}}},
		Total: &distans.ReportRow{Key: "total", Cells: []distans.ReportCell{{Value: 9}}}}}}
	if got := PublishedEquations(r).Determined(); len(got) != 1 {
		t.Errorf("determined %v, want the hidden cell", got)
	}
	r.Tables[0].Rows[1].Cells[0] = distans.ReportCell{Suppressed: true}
	if got := PublishedEquations(r).Determined(); len(got) != 0 {
		t.Errorf("determined %v with two hidden cells", got)
	}
}

// BenchmarkSuppress lays out and suppresses the equipment report of 26
// units, some of them small, with every drill-down, as the union sees it.
func BenchmarkSuppress(b *testing.B) {
	staff, issued, losses := make([]int, 26), make([]int, 26), make([]int, 26)
	for i := range staff {
		staff[i] = 3 + i*7%40
		issued[i] = i * 5 % 23
		losses[i] = i * 3 % 7
	}
	for b.Loop() {
		equipmentViews(staff, issued, losses, 5)
	}
}

// TestMulmod holds the Mersenne reduction to a division, at the edges.
func TestMulmod(t *testing.T) {
	for _, c := range [][2]uint64{{0, 0}, {1, 1}, {prime - 1, prime - 1}, {prime - 1, 2}, {1 << 60, 1 << 60}, {123456789, 987654321},
		{prime - 2, prime - 3}, {1<<61 - 5, 7}} {
		hi, lo := bits.Mul64(c[0], c[1])
		_, want := bits.Div64(hi, lo, prime)
		if got := mulmod(c[0], c[1]); got != want {
			t.Errorf("mulmod(%d, %d) = %d, want %d", c[0], c[1], got, want)
		}
	}
}

// TestSuppressDesks: in the union's view, desk-days booked or checked in
// at a site on a weekday are hidden when fewer than k, and a hidden count
// of bookings hides the utilisation derived from it; capacity and counts
// of k or more stay.
func TestSuppressDesks(t *testing.T) {
	tb := officeTable([]*distans.UtilisationRow{
		{SiteID: "a", SiteName: "Lilla kontoret", Weekday: time.Tuesday, Booked: 3, CheckedIn: 2, Capacity: 52},
		{SiteID: "b", SiteName: "Stadshuset", Weekday: time.Tuesday, Booked: 40, CheckedIn: 4.5, Capacity: 520},
		{SiteID: "c", SiteName: "Stadshuset", Weekday: time.Wednesday, Booked: 0, CheckedIn: 0, Capacity: 520},
	})
	suppress([]*view{{r: &distans.Report{Tables: []*distans.ReportTable{tb}}}}, 5)
	for _, c := range []struct {
		row, col   int
		suppressed bool
	}{
		{0, 0, true}, {0, 1, true}, {0, 2, true}, {0, 3, false},
		{1, 0, false}, {1, 1, false}, {1, 2, true}, {1, 3, false},
		{2, 0, false}, {2, 1, false}, {2, 2, false}, {2, 3, false},
	} {
		if got := tb.Rows[c.row].Cells[c.col]; got.Suppressed != c.suppressed {
			t.Errorf("row %d, %s: %+v, want suppressed %v", c.row, tb.Columns[c.col].Key, got, c.suppressed)
		}
	}
	if v := tb.Rows[1].Cells[1].Value; v != 40 {
		t.Errorf("40 booked shown as %v", v)
	}
}
