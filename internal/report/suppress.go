package report

import (
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/distans/distans"
)

// Suppression for the union (facklig företrädare). Every count a report
// publishes is a sum of unknowns (vars): a unit's people with an
// agreement, a kind's incidents in a month. Primary suppression hides
// every count of one to k-1 and every cell of a row whose group (the
// staff of the unit's subtree) is under k, zeros included. Secondary
// suppression then hides more until no hidden count is a linear
// combination of published ones: a hidden sum is recoverable by
// subtraction (from row totals, the Total row, a drill-down's Total, the
// same count in another table) exactly when its vector of unknowns lies
// in the span of the published vectors. That is tested by Gaussian
// elimination over the integers modulo a 61-bit prime: the vectors are of
// zeros and ones, so a rank that differs from the rational rank would
// need the prime to divide a minor of such a matrix, which does not
// happen at these sizes (PublishedEquations checks the outcome over the
// rationals, from the published numbers alone). Derived cells (percent,
// days) are hidden whenever a count of their row is or the group is
// under k.

const prime = (1 << 61) - 1

// quantity is one distinct published sum, however many cells show it.
type quantity struct {
	support    []int
	value      float64
	suppressed bool
	cells      []*distans.ReportCell
}

// suppress marks the views' cells for minimum group size k.
func suppress(views []*view, k int) {
	byKey := map[string]*quantity{}
	var qs []*quantity
	type rowRef struct {
		row  *distans.ReportRow
		cols []distans.ReportColumn
		sup  [][]int
	}
	var rows []rowRef
	for _, v := range views {
		for _, t := range v.r.Tables {
			sup, ok := v.support[t]
			if !ok {
				continue
			}
			all := make([]*distans.ReportRow, 0, len(t.Rows)+1)
			for i := range t.Rows {
				all = append(all, &t.Rows[i])
			}
			if t.Total != nil {
				all = append(all, t.Total)
			}
			for i, row := range all {
				rows = append(rows, rowRef{row, t.Columns, sup[i]})
				small := row.Group > 0 && row.Group < k
				for j, c := range t.Columns {
					if c.Kind != distans.CellCount {
						continue
					}
					key := supportKey(sup[i][j])
					q := byKey[key]
					if q == nil {
						q = &quantity{support: sup[i][j], value: row.Cells[j].Value}
						byKey[key] = q
						qs = append(qs, q)
					}
					q.cells = append(q.cells, &row.Cells[j])
					if small || (q.value > 0 && q.value < float64(k)) {
						q.suppressed = true
					}
				}
			}
		}
	}
	secondary(qs)
	for _, q := range qs {
		if q.suppressed {
			for _, c := range q.cells {
				*c = distans.ReportCell{Suppressed: true}
			}
		}
	}
	for _, v := range views {
		for _, t := range v.r.Tables {
			if t.ID == deskTableID {
				suppressDesks(t, k)
			}
		}
	}
	// Derived cells follow their row.
	for _, r := range rows {
		hidden := r.row.Group > 0 && r.row.Group < k
		for j, c := range r.cols {
			if c.Kind == distans.CellCount && r.row.Cells[j].Suppressed {
				hidden = true
			}
		}
		for j, c := range r.cols {
			if c.Kind == distans.CellPercent || c.Kind == distans.CellDays {
				if hidden || (c.Kind == distans.CellDays && !r.row.Cells[j].Empty && rowCount(r.row, r.cols) < k) {
					r.row.Cells[j] = distans.ReportCell{Suppressed: true}
				}
			}
		}
	}
}

// suppressDesks hides, in the desk utilisation table, the desk-days
// booked or checked in of a site and weekday that are fewer than k: at a
// small site a few bookings are one person's days at the office, which
// the staff there can tell apart. A hidden count of bookings hides the
// utilisation too, which with the desk-days published would give it
// back. The table has no totals and its counts appear in no other table,
// so nothing else recovers them.
func suppressDesks(t *distans.ReportTable, k int) {
	col := map[string]int{}
	for j, c := range t.Columns {
		col[c.Key] = j
	}
	few := func(c distans.ReportCell) bool { return c.Value > 0 && c.Value < float64(k) }
	for i := range t.Rows {
		cells := t.Rows[i].Cells
		if few(cells[col["checked_in"]]) {
			cells[col["checked_in"]] = distans.ReportCell{Suppressed: true}
		}
		if few(cells[col["booked"]]) {
			cells[col["booked"]] = distans.ReportCell{Suppressed: true}
			cells[col["utilisation"]] = distans.ReportCell{Suppressed: true}
		}
	}
}

// rowCount is the largest count in a row: the cases a median is over is
// at most that (a days column sits beside the counts it describes).
func rowCount(row *distans.ReportRow, cols []distans.ReportColumn) int {
	n := 0
	for j, c := range cols {
		if c.Kind == distans.CellCount && int(row.Cells[j].Value) > n {
			n = int(row.Cells[j].Value)
		}
	}
	return n
}

func supportKey(s []int) string {
	var b strings.Builder
	for _, i := range s {
		b.WriteString(strconv.Itoa(i))
		b.WriteByte(',')
	}
	return b.String()
}

// secondary suppresses published quantities until no suppressed one lies
// in the span of the published ones. Each round suppresses, for the first
// recoverable quantity, the published quantity that shares the most
// unknowns with it among those with the smallest value, preferring a
// count above zero (a published zero tells least).
func secondary(qs []*quantity) {
	// The classes of unknowns depend on the quantities alone, not on
	// which are suppressed: compressing them once, not every round, was
	// half of the union's agreements report.
	vecs, _ := compress(qs)
	for {
		var pub, hid []*quantity
		for _, q := range qs {
			if q.suppressed {
				hid = append(hid, q)
			} else {
				pub = append(pub, q)
			}
		}
		if len(hid) == 0 || len(pub) == 0 {
			return
		}
		b := newBasis()
		for _, q := range pub {
			b.add(vecs[q])
		}
		var exposed *quantity
		for _, q := range hid {
			if b.spans(vecs[q]) {
				exposed = q
				break
			}
		}
		if exposed == nil {
			return
		}
		var best *quantity
		bestShare := 0
		in := map[int]bool{}
		for _, i := range exposed.support {
			in[i] = true
		}
		for _, q := range pub {
			share := 0
			for _, i := range q.support {
				if in[i] {
					share++
				}
			}
			if share == 0 {
				continue
			}
			if best == nil || better(q, share, best, bestShare) {
				best, bestShare = q, share
			}
		}
		if best == nil {
			// Recoverable through quantities that share nothing with it
			// directly: hide the smallest published one there is.
			for _, q := range pub {
				if best == nil || better(q, 1, best, 1) {
					best = q
				}
			}
		}
		best.suppressed = true
	}
}

func better(q *quantity, share int, best *quantity, bestShare int) bool {
	qz, bz := q.value == 0, best.value == 0
	if qz != bz {
		return bz // a count above zero first
	}
	if q.value != best.value {
		return q.value < best.value
	}
	return share > bestShare
}

// compress turns each quantity into a vector over classes of unknowns:
// unknowns that appear in exactly the same quantities are one column.
func compress(qs []*quantity) (map[*quantity][]uint64, int) {
	inc := map[int][]int{}
	for qi, q := range qs {
		for _, v := range q.support {
			inc[v] = append(inc[v], qi)
		}
	}
	class := map[string]int{}
	colOf := map[int]int{}
	for v, list := range inc {
		key := supportKey(list)
		c, ok := class[key]
		if !ok {
			c = len(class)
			class[key] = c
		}
		colOf[v] = c
	}
	n := len(class)
	out := make(map[*quantity][]uint64, len(qs))
	for _, q := range qs {
		vec := make([]uint64, n)
		for _, v := range q.support {
			vec[colOf[v]] = 1 // each class counts once: its unknowns are summed together
		}
		out[q] = vec
	}
	return out, n
}

// basis is a row-echelon basis modulo prime.
type basis struct {
	rows  [][]uint64
	pivot []int
}

func newBasis() *basis { return &basis{} }

// mulmod is a·b modulo the Mersenne prime 2⁶¹−1, for a, b below it: as
// 2⁶¹ ≡ 1, the product's bits above the 61st add to those below, with
// no division.
func mulmod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	r := lo&prime + (lo>>61 | hi<<3)
	for r >= prime {
		r -= prime
	}
	return r
}

func (b *basis) reduce(v []uint64) []uint64 {
	v = slices.Clone(v)
	for i, r := range b.rows {
		p := b.pivot[i]
		if v[p] == 0 {
			continue
		}
		f := v[p] // rows are normalised: r[p] == 1
		for j := p; j < len(v); j++ {
			if r[j] != 0 {
				v[j] = (v[j] + prime - mulmod(f, r[j])) % prime
			}
		}
	}
	return v
}

func (b *basis) add(v []uint64) {
	v = b.reduce(v)
	p := slices.IndexFunc(v, func(x uint64) bool { return x != 0 })
	if p < 0 {
		return
	}
	inv := powmod(v[p], prime-2)
	for j := p; j < len(v); j++ {
		v[j] = mulmod(v[j], inv)
	}
	// Keep rows ordered by pivot so that reduce works left to right.
	i, _ := slices.BinarySearch(b.pivot, p)
	b.rows = slices.Insert(b.rows, i, v)
	b.pivot = slices.Insert(b.pivot, i, p)
}

func (b *basis) spans(v []uint64) bool {
	return !slices.ContainsFunc(b.reduce(v), func(x uint64) bool { return x != 0 })
}

func powmod(a, e uint64) uint64 {
	r := uint64(1)
	for e > 0 {
		if e&1 == 1 {
			r = mulmod(r, a)
		}
		a = mulmod(a, a)
		e >>= 1
	}
	return r
}
