package report

import (
	"math/big"
	"slices"
	"strings"

	"github.com/distans/distans"
)

// Equations is what someone holding every report the union can open
// knows, from the published numbers alone: each count cell is an unknown
// named by what it counts (its column, and the unit subtree, the unit's
// directly placed people, or the category and the report's unit), so
// that the same count in two tables or two drill-downs is one unknown;
// each table says its rows add up to its Total; published cells give
// values. PublishedEquations builds it; Determined is the attack.
type Equations struct {
	vars      map[string]int
	names     []string
	relations []map[int]int64 // Σ coef·x = 0
	published map[int]bool
	hidden    map[int]bool
	scope     string // of the report being read
}

// PublishedEquations collects the additive equations of reports (all
// kinds and drill-downs the union can reach), for the attack on the
// suppression: the exports add theirs by reading their files back into
// Reports.
func PublishedEquations(reports ...*distans.Report) *Equations {
	e := &Equations{vars: map[string]int{}, published: map[int]bool{}, hidden: map[int]bool{}}
	for _, r := range reports {
		e.scope = r.UnitID
		if e.scope == "" {
			e.scope = "root"
			for _, t := range r.Tables {
				for _, row := range t.Rows {
					if u, ok := strings.CutSuffix(row.Key, ":direct"); ok && t.ByUnit {
						e.scope = u // the whole scope is its top unit's subtree
					}
				}
			}
		}
		for _, t := range r.Tables {
			for j, c := range t.Columns {
				if c.Kind != distans.CellCount {
					continue
				}
				var rowVars []int
				for _, row := range t.Rows {
					v := e.cell(e.name(r, t, c, row.Key), row.Cells[j])
					rowVars = append(rowVars, v)
				}
				if t.Total == nil {
					continue
				}
				tv := e.cell(e.name(r, t, c, "total"), t.Total.Cells[j])
				rel := map[int]int64{tv: -1}
				for _, v := range rowVars {
					rel[v]++
				}
				e.relations = append(e.relations, rel)
			}
		}
	}
	return e
}

func (e *Equations) name(r *distans.Report, t *distans.ReportTable, c distans.ReportColumn, rowKey string) string {
	scope := e.scope
	if t.ByUnit {
		switch {
		case rowKey == "total":
			// The Total of a drill-down is its unit's row in the parent.
			return c.Key + "|sub|" + scope
		case strings.HasSuffix(rowKey, ":direct"):
			return c.Key + "|dir|" + strings.TrimSuffix(rowKey, ":direct")
		}
		return c.Key + "|sub|" + rowKey
	}
	if rowKey == "total" {
		return c.Key + "|all|" + scope
	}
	return c.Key + "|" + rowKey + "|" + scope
}

func (e *Equations) cell(name string, c distans.ReportCell) int {
	i, ok := e.vars[name]
	if !ok {
		i = len(e.names)
		e.vars[name] = i
		e.names = append(e.names, name)
	}
	if c.Suppressed {
		e.hidden[i] = true
	} else {
		e.published[i] = true
	}
	return i
}

// Hidden lists the unknowns that some cell suppresses.
func (e *Equations) Hidden() []string {
	var out []string
	for i := range e.hidden {
		out = append(out, e.names[i])
	}
	slices.Sort(out)
	return out
}

// Determined returns the suppressed unknowns whose value follows from the
// published ones: published elsewhere, or in the span of the equations
// over the rationals once every published value is put in.
func (e *Equations) Determined() []string {
	var unknown []int
	col := map[int]int{}
	var out []string
	for i := range e.hidden {
		if e.published[i] {
			out = append(out, e.names[i])
			continue
		}
		col[i] = len(unknown)
		unknown = append(unknown, i)
	}
	n := len(unknown)
	// The equations restricted to the unknowns: published values move to
	// the other side, which does not change what the unknowns' span is.
	var rows [][]*big.Rat
	for _, rel := range e.relations {
		row := make([]*big.Rat, n)
		nz := false
		for v, c := range rel {
			if j, ok := col[v]; ok && c != 0 {
				row[j] = big.NewRat(c, 1)
				nz = true
			}
		}
		if nz {
			rows = append(rows, row)
		}
	}
	pivots := rref(rows, n)
	for _, v := range unknown {
		// e_v is in the row space iff reducing it leaves nothing.
		x := make([]*big.Rat, n)
		x[col[v]] = big.NewRat(1, 1)
		for _, p := range pivots {
			if f := x[p.col]; f != nil && f.Sign() != 0 {
				f = new(big.Rat).Set(f)
				for j, r := range p.row {
					if r == nil || r.Sign() == 0 {
						continue
					}
					if x[j] == nil {
						x[j] = new(big.Rat)
					}
					x[j].Sub(x[j], new(big.Rat).Mul(f, r))
				}
			}
		}
		if !slices.ContainsFunc(x, func(r *big.Rat) bool { return r != nil && r.Sign() != 0 }) {
			out = append(out, e.names[v])
		}
	}
	slices.Sort(out)
	return out
}

type pivotRow struct {
	col int
	row []*big.Rat
}

// rref brings rows to reduced row-echelon form and returns the pivot rows.
func rref(rows [][]*big.Rat, n int) []pivotRow {
	var piv []pivotRow
	used := make([]bool, len(rows))
	for c := 0; c < n; c++ {
		sel := -1
		for i, r := range rows {
			if !used[i] && r[c] != nil && r[c].Sign() != 0 {
				sel = i
				break
			}
		}
		if sel < 0 {
			continue
		}
		used[sel] = true
		p := rows[sel]
		inv := new(big.Rat).Inv(p[c])
		for j := range p {
			if p[j] != nil {
				p[j] = new(big.Rat).Mul(p[j], inv)
			}
		}
		for i, r := range rows {
			if i == sel || r[c] == nil || r[c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(r[c])
			for j := range r {
				if p[j] == nil || p[j].Sign() == 0 {
					continue
				}
				if r[j] == nil {
					r[j] = new(big.Rat)
				}
				r[j] = new(big.Rat).Sub(r[j], new(big.Rat).Mul(f, p[j]))
			}
		}
		piv = append(piv, pivotRow{c, p})
	}
	return piv
}
