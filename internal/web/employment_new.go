package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// employmentNew is the form for adding an employment to a person.
func (web *Web) employmentNew() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		p, ok := web.managedPerson(w, r, a)
		if !ok {
			return
		}
		form := view.NewForm()
		form.Set("starts_on", web.today(r, a).Format("2006-01-02"))
		form.Set("site_id", p.SiteID)
		web.renderEmploymentForm(w, r, http.StatusOK, form, p)
	})
}

// managedPerson finds the person in the path and checks that the actor may
// manage them: not found outside their scope, forbidden when they may only
// look.
func (web *Web) managedPerson(w http.ResponseWriter, r *http.Request, a *distans.Actor) (*distans.Person, bool) {
	p, err := web.svc.People.FindPerson(r.Context(), r.PathValue("id"))
	if err != nil {
		web.fail(w, r, err)
		return nil, false
	}
	if !a.ManagesPerson(p.UnitPath) {
		web.forbidden(w, r)
		return nil, false
	}
	return p, true
}

func (web *Web) renderEmploymentForm(w http.ResponseWriter, r *http.Request, status int, form *view.Form, p *distans.Person) {
	ctx := r.Context()
	tree, err := web.unitTree(ctx, false)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	l := web.layout(w, r)
	l.Title = l.T("employment.new")
	l.Path = "/people/" + p.ID + "/employments/new"
	page := &view.EmploymentFormPage{Layout: l, Form: form, Person: p,
		Units: tree.options(view.Option{Value: "", Label: l.T("form.choose")})}
	if page.Sites, _, err = web.siteOptions(ctx, view.Option{Value: "", Label: l.T("form.none")}); err != nil {
		web.fail(w, r, err)
		return
	}
	web.render(w, r, status, page)
}
