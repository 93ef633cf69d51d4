package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// roleNew is the form for granting a person a role.
func (web *Web) roleNew() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.GrantsRolesSomewhere() {
			web.forbidden(w, r)
			return
		}
		p, err := web.svc.People.FindPerson(r.Context(), r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.renderRoleForm(w, r, http.StatusOK, view.NewForm(), p)
	})
}

func (web *Web) renderRoleForm(w http.ResponseWriter, r *http.Request, status int, form *view.Form, p *distans.Person) {
	tree, err := web.unitTree(r.Context(), false)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	l := web.layout(w, r)
	l.Title = l.T("role.new_title")
	l.Path = "/people/" + p.ID + "/roles/new"
	page := &view.RoleFormPage{Layout: l, Form: form, Person: p,
		Units: tree.options(view.Option{Value: "", Label: l.T("role.whole_org")})}
	page.Roles = append(page.Roles, view.Option{Value: "", Label: l.T("form.choose")})
	for _, role := range distans.Roles {
		page.Roles = append(page.Roles, view.Option{Value: string(role), Label: role.Label(l.Lang)})
	}
	web.render(w, r, status, page)
}
