// Package report computes reports (issue 17): the store finds facts,
// counts by the unit a record belongs to, and this package lays them out
// in tables by unit subtree, month or kind, and suppresses them for the
// union (suppress.go) so that no suppressed count can be worked out from
// anything else the union can open.
package report

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
)

// Store is what the service reads.
type Store interface {
	distans.ReportStore
	ReportTrainingSubjects(ctx context.Context, courses ...string) ([]*distans.TrainingSubject, error)
	UnitPathsByCode(ctx context.Context, codes []string) (map[string]string, error)
}

// Packs gives the organisation's active policy pack.
type Packs interface {
	Active(ctx context.Context) (*policy.Pack, *distans.PolicyVersion, error)
}

// Config is what New needs.
type Config struct {
	Store         Store
	Packs         Packs
	Organisations distans.OrganisationService // which day it is
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Service is distans.ReportService.
type Service struct{ cfg Config }

// New returns the service.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg}
}

var _ distans.ReportService = (*Service)(nil)

// MinGroupSizeParam is the pack parameter that sets the union's threshold.
const MinGroupSizeParam = "report_min_group_size"

// Report computes one report for the actor in ctx.
func (s *Service) Report(ctx context.Context, f distans.ReportFilter) (*distans.Report, error) {
	a := distans.ActorFrom(ctx)
	if a == nil || a.OrganisationID == "" {
		return nil, distans.Errorf(distans.EUNAUTHORIZED, "Du måste logga in.", "You must sign in.")
	}
	rs := a.ReportScope()
	if rs.None() {
		return nil, distans.Forbidden()
	}
	if !f.Kind.Valid() {
		return nil, distans.Errorf(distans.EINVALID, "Okänd rapport.", "Unknown report.")
	}
	if err := s.period(ctx, a, &f); err != nil {
		return nil, err
	}
	data, err := s.cfg.Store.ReportData(ctx, f.Kind, f.From, f.To)
	if err != nil {
		return nil, err
	}
	k := distans.DefaultMinGroupSize
	if f.Kind == distans.ReportTraining || rs.Suppressed {
		pack, _, err := s.cfg.Packs.Active(ctx)
		if err != nil {
			return nil, err
		}
		if n, ok := pack.Int(MinGroupSizeParam); ok && n > 1 {
			k = int(n)
		}
		if f.Kind == distans.ReportTraining {
			if err := s.trainingFacts(ctx, pack, data); err != nil {
				return nil, err
			}
		}
	}
	t := newTree(data, rs.All)
	if f.UnitID != "" {
		if _, ok := t.units[f.UnitID]; !ok {
			return nil, distans.NotFound("Enheten finns inte.", "The unit does not exist.")
		}
	}
	now := s.cfg.Now()
	vs := newVars(t, data, f)
	lay := func(root string) *view {
		v := layout(t, data, vs, f, root, rs.Suppressed)
		v.r.GeneratedAt = now
		return v
	}
	if !rs.Suppressed {
		return lay(f.UnitID).r, nil
	}
	// The union can open every drill-down: suppress all of them together,
	// so that what one view hides no other view gives away.
	views := []*view{lay("")}
	want := views[0]
	for _, u := range t.order {
		v := lay(u)
		views = append(views, v)
		if u == f.UnitID {
			want = v
		}
	}
	suppress(views, k)
	want.r.Suppressed, want.r.MinGroupSize = true, k
	return want.r, nil
}

// period fills in the default period (the twelve months up to today)
// and checks a given one.
func (s *Service) period(ctx context.Context, a *distans.Actor, f *distans.ReportFilter) error {
	if f.From.IsZero() && f.To.IsZero() {
		today, _, err := distans.TodayIn(ctx, s.cfg.Organisations, a.OrganisationID)
		if err != nil {
			return err
		}
		f.To = today
		f.From = today.AddDate(-1, 0, 1)
		return nil
	}
	switch {
	case f.From.IsZero() || f.To.IsZero():
		return distans.Errorf(distans.EINVALID, "Ange både första och sista dag.", "Give both the first and the last day.")
	case f.To.Before(f.From):
		return distans.Errorf(distans.EINVALID, "Sista dagen ligger före den första.", "The last day is before the first.")
	case f.To.Sub(f.From) > 366*24*time.Hour:
		return distans.Errorf(distans.EINVALID, "Perioden får vara högst ett år.", "The period may be at most a year.")
	}
	return nil
}

// trainingFacts counts, per course of the pack and unit, the people who
// have done it, have it due and have it overdue (or expired).
func (s *Service) trainingFacts(ctx context.Context, pack *policy.Pack, d *distans.ReportData) error {
	var ids []string
	for _, c := range pack.Courses {
		ids = append(ids, c.ID)
	}
	if len(ids) == 0 {
		return nil
	}
	subjects, err := s.cfg.Store.ReportTrainingSubjects(ctx, ids...)
	if err != nil {
		return err
	}
	var paths map[string]string
	if codes := pack.UnitCodes(); len(codes) > 0 {
		if paths, err = s.cfg.Store.UnitPathsByCode(ctx, codes); err != nil {
			return err
		}
	}
	type key struct{ measure, unit, course string }
	n := map[key]int{}
	for _, c := range pack.Courses {
		d.Labels["course:"+c.ID] = distans.ReportNote{Sv: c.Title.Sv, En: c.Title.En}
		for _, sub := range subjects {
			st, ok := distans.TrainingStatusOf(c, sub, paths, d.Today)
			if !ok {
				continue
			}
			m := "training_due"
			switch st.State {
			case distans.TrainingDone:
				m = "training_done"
			case distans.TrainingOverdue, distans.TrainingExpired:
				m = "training_overdue"
			}
			n[key{m, sub.UnitID, c.ID}]++
		}
	}
	keys := make([]key, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].course+keys[i].unit+keys[i].measure < keys[j].course+keys[j].unit+keys[j].measure
	})
	for _, k := range keys {
		d.Facts = append(d.Facts, distans.ReportFact{Measure: k.measure, UnitID: k.unit, Category: k.course, Days: -1, N: n[k]})
	}
	return nil
}

// Details streams the records behind a report.
func (s *Service) Details(ctx context.Context, f distans.ReportFilter, w distans.DetailWriter) error {
	if !f.Kind.Valid() {
		return distans.Errorf(distans.EINVALID, "Okänd rapport.", "Unknown report.")
	}
	return s.cfg.Store.ReportDetails(ctx, f, w)
}

// InstallationCounts is one table, a row per organisation, for the
// installation's operator.
func (s *Service) InstallationCounts(ctx context.Context) (*distans.Report, error) {
	counts, err := s.cfg.Store.InstallationCounts(ctx)
	if err != nil {
		return nil, err
	}
	cols := []distans.ReportColumn{
		countCol("people", "Anställda", "Employed people"), countCol("units", "Enheter", "Units"),
		countCol("active_agreements", "Gällande överenskommelser", "Agreements in force"),
		countCol("open_agreements", "Pågående ärenden", "Open cases"),
		countCol("open_incidents", "Öppna incidenter", "Open incidents"),
		countCol("equipment", "Utrustning", "Equipment items"), countCol("lost", "Förlorad utrustning", "Items lost"),
	}
	t := &distans.ReportTable{ID: "installation_counts", Chart: distans.ChartBar, Columns: cols,
		Title:       distans.ReportNote{Sv: "Organisationer i installationen", En: "Organisations of the installation"},
		Description: distans.ReportNote{Sv: "Antal per organisation; inga enheter eller personer.", En: "Counts per organisation; no units or people."}}
	total := distans.ReportRow{Key: "total", Label: "Totalt", Cells: make([]distans.ReportCell, len(cols))}
	for _, c := range counts {
		v := []int{c.People, c.Units, c.ActiveAgreements, c.OpenAgreements, c.OpenIncidents, c.EquipmentItems, c.LostItems}
		row := distans.ReportRow{Key: c.OrganisationID, Label: c.OrganisationName}
		for i, x := range v {
			row.Cells = append(row.Cells, distans.ReportCell{Value: float64(x)})
			total.Cells[i].Value += float64(x)
		}
		t.Rows = append(t.Rows, row)
	}
	t.Total = &total
	now := s.cfg.Now()
	return &distans.Report{Kind: "installation", ScopeName: "Installationen", From: now, To: now, GeneratedAt: now,
		Tables: []*distans.ReportTable{t}}, nil
}

// tree is the units of the report scope.
type tree struct {
	units    map[string]distans.ReportUnit
	children map[string][]string // "" is the top, when there are several
	order    []string            // by path
	root     string              // the single top unit, or "" for several
	all      bool                // the scope is the whole organisation
}

func newTree(d *distans.ReportData, all bool) *tree {
	t := &tree{units: map[string]distans.ReportUnit{}, children: map[string][]string{}, all: all}
	for _, u := range d.Units {
		t.units[u.ID] = u
		t.order = append(t.order, u.ID)
	}
	for _, u := range d.Units {
		if _, ok := t.units[u.ParentID]; ok {
			t.children[u.ParentID] = append(t.children[u.ParentID], u.ID)
		}
	}
	for p := range t.children {
		slices.SortFunc(t.children[p], func(x, y string) int { return strings.Compare(t.units[x].Name, t.units[y].Name) })
	}
	if len(d.RootIDs) == 1 {
		t.root = d.RootIDs[0]
	} else {
		t.children[""] = slices.Clone(d.RootIDs)
	}
	return t
}

// subtree returns the units at and below id ("" for the whole scope,
// with the records of no unit when the scope is the organisation).
func (t *tree) subtree(id string) map[string]bool {
	out := map[string]bool{}
	if id == "" {
		for u := range t.units {
			out[u] = true
		}
		if t.all {
			out[""] = true
		}
		return out
	}
	var walk func(string)
	walk = func(u string) {
		out[u] = true
		for _, c := range t.children[u] {
			walk(c)
		}
	}
	walk(id)
	return out
}
