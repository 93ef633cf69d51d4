package web

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/web/view"
)

// equipmentImportShow is the CSV import of items (IT): a dry run first,
// then the import, all rows or none.
func (web *Web) equipmentImportShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.KeepsEquipment() {
			web.forbidden(w, r)
			return
		}
		f := view.NewForm()
		f.Set("dry_run", "1")
		web.render(w, r, http.StatusOK, web.importPage(w, r, a, f, nil))
	})
}

func (web *Web) importPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, f *view.Form, res *distans.EquipmentImport) *view.EquipmentImportPage {
	l, tabs := web.eqLayout(w, r, a, "eq.import_title")
	page := &view.EquipmentImportPage{Layout: l, EquipmentTabs: tabs, Form: f, Result: res}
	if res != nil {
		for _, e := range res.Errors {
			page.Errors = append(page.Errors, view.ImportErrorRow{File: e.File, Line: e.Line, Column: e.Column, Message: e.Message(httpx.Lang(r))})
		}
	}
	return page
}

// equipmentImportSubmit reads the file and answers with the result on the
// page: what a dry run would create, what was created, or the rows in
// error in Swedish (and nothing saved).
func (web *Web) equipmentImportSubmit() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		importSubmit(web, w, r, web.svc.Equipment.ImportItems,
			func(res *distans.EquipmentImport) []distans.ImportRowError { return res.Errors },
			func(form *view.Form, res *distans.EquipmentImport) view.Page {
				return web.importPage(w, r, a, form, res)
			})
	})
}

// importSubmit answers the form of a CSV import page: it reads the file
// and the dry-run box, runs the import and renders the page with what it
// found (422 and the rows in error, nothing saved), or with the form's
// error. After a good dry run the box is cleared: the next step is the
// import itself.
func importSubmit[R any](web *Web, w http.ResponseWriter, r *http.Request,
	run func(ctx context.Context, f io.Reader, dryRun bool) (*R, error), rowErrors func(*R) []distans.ImportRowError,
	page func(form *view.Form, res *R) view.Page) {
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
		web.render(w, r, http.StatusUnprocessableEntity, page(form, nil))
		return
	}
	res, err := run(r.Context(), bytes.NewReader(content), dry)
	if err != nil {
		status, _, ok := eqFailed(r, form, err, "", "file")
		if !ok {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, status, page(form, res))
		return
	}
	status := http.StatusOK
	if len(rowErrors(res)) > 0 {
		status = http.StatusUnprocessableEntity
	} else if dry {
		form.Set("dry_run", "")
	}
	web.render(w, r, status, page(form, res))
}
