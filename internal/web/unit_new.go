package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// unitNew is the form for adding a unit.
func (web *Web) unitNew() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.ManagesUnitsSomewhere() {
			web.forbidden(w, r)
			return
		}
		form := view.NewForm()
		form.Set("kind", string(distans.UnitSection))
		form.Set("parent_id", r.URL.Query().Get("parent"))
		web.renderUnitForm(w, r, http.StatusOK, form, nil)
	})
}

// renderUnitForm renders the add or edit form; u is nil when adding.
func (web *Web) renderUnitForm(w http.ResponseWriter, r *http.Request, status int, form *view.Form, u *distans.Unit) {
	ctx := r.Context()
	tree, err := web.unitTree(ctx, false)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	l := web.layout(w, r)
	page := &view.UnitFormPage{Layout: l, Form: form, Unit: u, Kinds: unitKindOptions(l.P)}
	if u == nil {
		page.Action, page.Title, page.Path = "/units", l.T("unit.new_title"), "/units/new"
	} else {
		page.Action, page.Title, page.Path = "/units/"+u.ID, l.T("unit.edit_title", u.Name), "/units/"+u.ID+"/edit"
	}
	for _, o := range tree.options(view.Option{Value: "", Label: l.T("unit.top")}) {
		// A unit cannot be moved below itself or its own subtree.
		if sub, ok := tree.byID[o.Value]; ok && u != nil && len(sub.Path) >= len(u.Path) && sub.Path[:len(u.Path)] == u.Path {
			continue
		}
		page.Parents = append(page.Parents, o)
	}
	page.Managers = web.peopleOptions(ctx, view.Option{Value: "", Label: l.T("form.none")})
	page.Managers = withOption(page.Managers, form.Value("manager_id"), form.Value("manager_id"))
	web.render(w, r, status, page)
}
