package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// leaveNew is the form for adding leave to a person.
func (web *Web) leaveNew() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		p, ok := web.managedPerson(w, r, a)
		if !ok {
			return
		}
		form := view.NewForm()
		form.Set("starts_on", web.today(r, a).Format("2006-01-02"))
		web.renderLeaveForm(w, r, http.StatusOK, form, p)
	})
}

func (web *Web) renderLeaveForm(w http.ResponseWriter, r *http.Request, status int, form *view.Form, p *distans.Person) {
	l := web.layout(w, r)
	l.Title = l.T("leave.new_title")
	l.Path = "/people/" + p.ID + "/leaves/new"
	web.render(w, r, status, &view.LeaveFormPage{Layout: l, Form: form, Person: p, Kinds: leaveKindOptions(l.P)})
}
