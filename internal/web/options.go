package web

import (
	"context"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// unitTree is the organisation's units in tree order (parents before their
// children, siblings by name in Swedish order), with each unit's depth.
type unitTree struct {
	units []*distans.Unit
	depth map[string]int
	byID  map[string]*distans.Unit
}

func (web *Web) unitTree(ctx context.Context, includeEnded bool) (*unitTree, error) {
	return web.unitTreeOf(ctx, distans.UnitFilter{IncludeEnded: includeEnded})
}

// unitTreeOf is the tree of the units f lists.
func (web *Web) unitTreeOf(ctx context.Context, f distans.UnitFilter) (*unitTree, error) {
	units, err := web.svc.Units.ListUnits(ctx, f)
	if err != nil {
		return nil, err
	}
	t := &unitTree{depth: map[string]int{}, byID: map[string]*distans.Unit{}}
	children := map[string][]*distans.Unit{}
	for _, u := range units {
		t.byID[u.ID] = u
	}
	for _, u := range units {
		parent := u.ParentID
		if _, ok := t.byID[parent]; !ok {
			parent = "" // a root, or a child whose parent the caller does not see
		}
		children[parent] = append(children[parent], u)
	}
	var walk func(parent string, d int)
	walk = func(parent string, d int) {
		for _, u := range children[parent] { // in the store's Swedish order
			t.units = append(t.units, u)
			t.depth[u.ID] = d
			walk(u.ID, d+1)
		}
	}
	walk("", 0)
	return t, nil
}

// filterUnitLevels is how deep a list's unit filter goes: the
// förvaltningar and the level below them. Every unit is found by its name
// in the search words, and a filter of every unit of a large municipality
// (a thousand and more) cost the directory more than its search and could
// not be chosen from.
const filterUnitLevels = 2

// unitFilter lists the units a list's filter offers, after first: the top
// filterUnitLevels levels of the tree, and the chosen unit wherever it is
// (a unit further down stays chosen when a link from its page chose it).
func (web *Web) unitFilter(ctx context.Context, chosen string, first ...view.Option) ([]view.Option, error) {
	t, err := web.unitTreeOf(ctx, distans.UnitFilter{Levels: filterUnitLevels})
	if err != nil {
		return nil, err
	}
	opts := t.options(first...)
	if chosen != "" && t.name(chosen) == "" {
		if u, err := web.svc.Units.FindUnit(ctx, chosen); err == nil {
			opts = withOption(opts, u.ID, u.Name)
		}
	}
	return opts, nil
}

// unitNames returns the names of the units ids, ended ones included.
func (web *Web) unitNames(ctx context.Context, ids []string) (map[string]string, error) {
	names := map[string]string{}
	if len(ids) == 0 {
		return names, nil
	}
	units, err := web.svc.Units.ListUnits(ctx, distans.UnitFilter{IDs: ids, IncludeEnded: true})
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		names[u.ID] = u.Name
	}
	return names, nil
}

// name returns the name of a unit, or "".
func (t *unitTree) name(id string) string {
	if u, ok := t.byID[id]; ok {
		return u.Name
	}
	return ""
}

// options lists the units for a select, indented by depth, after first.
func (t *unitTree) options(first ...view.Option) []view.Option {
	out := append([]view.Option{}, first...)
	for _, u := range t.units {
		out = append(out, view.Option{Value: u.ID, Label: strings.Repeat("\u00a0\u00a0\u00a0", t.depth[u.ID]) + u.Name})
	}
	return out
}

// siteOptions lists the current sites for a select, after first, and a
// map of every site's name.
func (web *Web) siteOptions(ctx context.Context, first ...view.Option) ([]view.Option, map[string]string, error) {
	sites, err := web.svc.Sites.ListSites(ctx, true)
	if err != nil {
		return nil, nil, err
	}
	out := append([]view.Option{}, first...)
	names := map[string]string{}
	for _, s := range sites {
		names[s.ID] = s.Name
		if s.EndedOn == nil {
			out = append(out, view.Option{Value: s.ID, Label: s.Name})
		}
	}
	return out, names, nil
}

// peopleOptions lists up to 500 people the actor may see, for choosing a
// manager or filtering the audit trail.
func (web *Web) peopleOptions(ctx context.Context, first ...view.Option) []view.Option {
	out := append([]view.Option{}, first...)
	people, _, err := web.svc.People.ListPeople(ctx, distans.PersonFilter{Limit: 500})
	if err != nil {
		return out
	}
	for _, p := range people {
		out = append(out, view.Option{Value: p.ID, Label: p.Name})
	}
	return out
}

// withOption makes sure value is among opts (a value the list does not
// hold, such as a manager outside the first 500 people, stays selectable).
func withOption(opts []view.Option, value, label string) []view.Option {
	if value == "" {
		return opts
	}
	for _, o := range opts {
		if o.Value == value {
			return opts
		}
	}
	return append(opts, view.Option{Value: value, Label: label})
}

// langOptions are the languages a person may choose.
func langOptions() []view.Option {
	return []view.Option{{Value: "sv", Label: "Svenska"}, {Value: "en", Label: "English"}}
}

// unitKindOptions are the levels of the unit tree.
func unitKindOptions(p locale.Printer) []view.Option {
	var out []view.Option
	for _, k := range []distans.UnitKind{distans.UnitAdministration, distans.UnitDepartment, distans.UnitSection} {
		out = append(out, view.Option{Value: string(k), Label: p.T("unit." + string(k))})
	}
	return out
}

// siteKindOptions are the kinds of site.
func siteKindOptions(p locale.Printer) []view.Option {
	return []view.Option{
		{Value: string(distans.SiteMain), Label: p.T("site.main")},
		{Value: string(distans.SiteSatellite), Label: p.T("site.satellite")},
	}
}

// leaveKindOptions are the kinds of leave.
func leaveKindOptions(p locale.Printer) []view.Option {
	var out []view.Option
	for _, k := range []distans.LeaveKind{distans.LeaveParental, distans.LeaveStudy, distans.LeaveUnpaid, distans.LeaveOther} {
		out = append(out, view.Option{Value: string(k), Label: p.T("leave." + string(k))})
	}
	return out
}

// label translates a kind through the catalog, falling back to the code.
func label(p locale.Printer, prefix, code string) string {
	if locale.Has(prefix + code) {
		return p.T(prefix + code)
	}
	return code
}
