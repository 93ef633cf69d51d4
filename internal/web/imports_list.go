package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// importsList lists the organisation's imports, with the form that starts
// one, for whoever may import (Actor.Imports).
func (web *Web) importsList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		web.renderImports(w, r, http.StatusOK, view.NewForm())
	})
}

// renderImports renders the list and the form with what was sent.
func (web *Web) renderImports(w http.ResponseWriter, r *http.Request, status int, form *view.Form) {
	list, err := web.svc.Imports.ListImports(r.Context())
	if err != nil {
		web.fail(w, r, err)
		return
	}
	l := web.layout(w, r)
	l.Title = l.T("import.title")
	page := &view.ImportsPage{Layout: l, Form: form, MaxMiB: distans.MaxImportBytes >> 20}
	for _, imp := range list {
		page.Imports = append(page.Imports, view.ImportRow{Import: imp, StatusLabel: l.T("import.status." + string(imp.Status))})
	}
	web.render(w, r, status, page)
}
