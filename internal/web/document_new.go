package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// documentNew is HR's form for publishing a new policy document.
func (web *Web) documentNew() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.ManagesPolicy() {
			web.forbidden(w, r)
			return
		}
		form := view.NewForm()
		form.Set("required", "1")
		web.renderDocumentForm(w, r, http.StatusOK, form, nil)
	})
}

// renderDocumentForm renders the publish form; d is the current version
// when publishing a new version, nil for a new document.
func (web *Web) renderDocumentForm(w http.ResponseWriter, r *http.Request, status int, form *view.Form, d *distans.PolicyDocument) {
	tree, err := web.unitTree(r.Context(), false)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	l := web.layout(w, r)
	page := &view.DocumentFormPage{Layout: l, Form: form, Doc: d,
		Units: tree.options(view.Option{Value: "", Label: l.T("role.whole_org")})}
	if d == nil {
		page.Action, page.Title, page.Path = "/documents/new", l.T("doc.new_title"), "/documents/new"
	} else {
		page.Action, page.Title, page.Path = "/documents/"+d.ID+"/publish", l.T("doc.publish_title", d.Title), "/documents/"+d.ID+"/publish"
	}
	web.render(w, r, status, page)
}

// readDocumentForm reads the publish form into a form and a document.
func readDocumentForm(r *http.Request) (*view.Form, *distans.PolicyDocument) {
	form := readForm(r, "title", "unit_id")
	// The body is kept as typed, apart from the browser's line endings.
	form.Set("body", normaliseText(r.PostFormValue("body")))
	if r.PostFormValue("required") != "" {
		form.Set("required", "1")
	}
	return form, &distans.PolicyDocument{Title: form.Value("title"), Body: form.Value("body"),
		Required: form.Value("required") == "1", UnitID: form.Value("unit_id")}
}
