package api

import (
	"mime"
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// importJSON is an import as the API shows it: its end day as "YYYY-MM-DD".
type importJSON struct {
	*distans.Import
	Options importOptionsJSON `json:"options"`
}

type importOptionsJSON struct {
	Full         bool  `json:"full"`
	EndMissingOn *Date `json:"end_missing_on,omitempty"`
}

func importView(imp *distans.Import) importJSON {
	return importJSON{Import: imp, Options: importOptionsJSON{Full: imp.Options.Full, EndMissingOn: datePtr(imp.Options.EndMissingOn)}}
}

func (a *API) importList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		list, err := a.svc.Imports.ListImports(r.Context())
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, newList(views(list, importView)))
	})
}

func (a *API) importGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		imp, err := a.svc.Imports.FindImport(r.Context(), r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, importView(imp))
	})
}

// importCreate is POST /imports: multipart/form-data with the files in
// "files" (repeated), "full" and "end_missing_on", as the page's form
// sends them. It answers 202: the import is being checked, and GET
// /imports/{id} follows it.
func (a *API) importCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !distans.ActorFrom(r.Context()).Imports() {
			a.error(w, r, distans.Forbidden())
			return
		}
		if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "multipart/form-data" {
			var v distans.Validation
			v.Add("files", "Skicka filerna som multipart/form-data i fältet files.", "Send the files as multipart/form-data in the field files.")
			a.error(w, r, v.Err())
			return
		}
		files, opts, err := httpx.ImportForm(r)
		if err != nil {
			a.error(w, r, err)
			return
		}
		imp, err := a.svc.Imports.StartImport(r.Context(), files, opts)
		if err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Location", prefix+"/imports/"+imp.ID)
		respond(w, http.StatusAccepted, importView(imp))
	})
}

// importConfirm is POST /imports/{id}/confirm: a checked import is queued
// to be applied (202); anything else is a conflict.
func (a *API) importConfirm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		imp, err := a.svc.Imports.ConfirmImport(r.Context(), r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusAccepted, importView(imp))
	})
}
