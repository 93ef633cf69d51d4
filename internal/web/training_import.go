package web

import (
	"bytes"
	"io"
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
		form := view.NewForm()
		dry := box(r, form, "dry_run")
		var content []byte
		if r.MultipartForm != nil {
			if fhs := r.MultipartForm.File["file"]; len(fhs) > 0 && fhs[0].Size > 0 {
				f, err := fhs[0].Open()
				if err == nil {
					content, err = io.ReadAll(f)
					f.Close()
				}
				if err != nil {
					web.fail(w, r, err)
					return
				}
			}
		}
		if len(content) == 0 {
			form.Fail("file", printer(r).T("eq.import_choose_file"))
			form.Message = printer(r).T("form.invalid")
			web.render(w, r, http.StatusUnprocessableEntity, web.trainingImportPage(w, r, a, form, nil))
			return
		}
		res, err := web.svc.Training.ImportCompletions(r.Context(), bytes.NewReader(content), dry)
		if err != nil {
			status, _, ok := eqFailed(r, form, err, "", "file")
			if !ok {
				web.fail(w, r, err)
				return
			}
			web.render(w, r, status, web.trainingImportPage(w, r, a, form, res))
			return
		}
		status := http.StatusOK
		if len(res.Errors) > 0 {
			status = http.StatusUnprocessableEntity
		} else if dry {
			form.Set("dry_run", "") // the next step is the import itself
		}
		web.render(w, r, status, web.trainingImportPage(w, r, a, form, res))
	})
}
