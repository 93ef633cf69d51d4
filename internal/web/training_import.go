package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/web/view"
)

// trainingImportShow is HR's CSV import of past completions: a dry run
// first, then the import, all rows or none.
func (web *Web) trainingImportShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.ImportsTraining() {
			web.forbidden(w, r)
			return
		}
		f := view.NewForm()
		f.Set("dry_run", "1")
		web.render(w, r, http.StatusOK, web.trainingImportPage(w, r, a, f, nil))
	})
}

func (web *Web) trainingImportPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, f *view.Form, res *distans.TrainingImport) *view.TrainingImportPage {
	l, tabs := web.trainingLayout(w, r, a, "tr.import_title")
	page := &view.TrainingImportPage{Layout: l, SectionTabs: tabs, Form: f}
	if res == nil {
		return page
	}
	for _, e := range res.Errors {
		page.Errors = append(page.Errors, view.ImportErrorRow{File: e.File, Line: e.Line, Column: e.Column, Message: e.Message(httpx.Lang(r))})
	}
	switch {
	case len(res.Errors) > 0:
		page.Failed = true
		page.Summary = l.T("eq.import_failed", res.Rows, len(res.Errors))
	case res.DryRun:
		page.Summary = l.T("eq.import_dry_ok", res.Rows)
	default:
		page.Summary = l.T("tr.import_done", res.Recorded)
	}
	return page
}

// trainingImportSubmit reads the file and answers with the result on the
// page: what a dry run would record, what was recorded, or the rows in
// error (and nothing saved).
func (web *Web) trainingImportSubmit() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.ImportsTraining() {
			web.forbidden(w, r)
			return
		}
		importSubmit(web, w, r, web.svc.Training.ImportCompletions,
			func(res *distans.TrainingImport) []distans.ImportRowError { return res.Errors },
			func(form *view.Form, res *distans.TrainingImport) view.Page {
				return web.trainingImportPage(w, r, a, form, res)
			})
	})
}
