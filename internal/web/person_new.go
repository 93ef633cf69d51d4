package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// personNew is the form for adding a person, with an optional first
// employment.
func (web *Web) personNew() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.ManagesPeopleSomewhere() {
			web.forbidden(w, r)
			return
		}
		form := view.NewForm()
		form.Set("language", "sv")
		form.Set("starts_on", web.today(r, a).Format("2006-01-02"))
		web.renderPersonForm(w, r, http.StatusOK, form, nil)
	})
}

// renderPersonForm renders the add or edit form; p is nil when adding.
func (web *Web) renderPersonForm(w http.ResponseWriter, r *http.Request, status int, form *view.Form, p *distans.Person) {
	ctx := r.Context()
	l := web.layout(w, r)
	page := &view.PersonFormPage{Layout: l, Form: form, Langs: langOptions()}
	if p != nil {
		page.Editing, page.PersonID, page.Action = true, p.ID, "/people/"+p.ID
		page.Title = l.T("person.edit_title", p.Name)
		page.Path = "/people/" + p.ID + "/edit"
	} else {
		page.Action = "/people"
		page.Title = l.T("person.new_title")
		page.Path = "/people/new"
		tree, err := web.unitTree(ctx, false)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		page.Units = tree.options(view.Option{Value: "", Label: l.T("form.none")})
		if page.Sites, _, err = web.siteOptions(ctx, view.Option{Value: "", Label: l.T("form.none")}); err != nil {
			web.fail(w, r, err)
			return
		}
	}
	web.render(w, r, status, page)
}
