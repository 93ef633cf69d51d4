package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// policyEdit is HR's editor for the whole pack as YAML: parameters, rules,
// conditions, messages and sources.
func (web *Web) policyEdit() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.ManagesPolicy() {
			web.forbidden(w, r)
			return
		}
		_, v, err := web.svc.Policies.ActivePolicy(r.Context())
		if err != nil {
			web.fail(w, r, err)
			return
		}
		form := view.NewForm()
		form.Set("source", v.Source)
		web.renderPolicyEdit(w, r, http.StatusOK, &view.PolicyEditPage{Form: form, Base: v.Version})
	})
}

// renderPolicyEdit fills the layout of the editor and renders it.
func (web *Web) renderPolicyEdit(w http.ResponseWriter, r *http.Request, status int, page *view.PolicyEditPage) {
	l := web.layout(w, r)
	l.Title = l.T("policy.edit_title")
	l.Path = "/policy/edit"
	page.Layout = l
	web.render(w, r, status, page)
}
