package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/importrun"
	"github.com/distans/distans/internal/web/view"
)

// refreshSeconds is how often the page of a running import reloads
// itself when JavaScript is off.
const refreshSeconds = 2

// importShow shows one import: its progress while it runs, what the check
// found (the counts by kind, the people a full export ends, the row
// errors), and the confirmation while it is checked.
func (web *Web) importShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		imp, err := web.svc.Imports.FindImport(r.Context(), r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		pending := 0
		if imp.Status == distans.ImportDone {
			if pending, err = web.pendingInvitations(r, a); err != nil {
				web.fail(w, r, err)
				return
			}
		}
		l := web.layout(w, r)
		l.Title = l.T("import.title")
		lang := l.P.Lang()
		page := &view.ImportPage{
			Layout:      l,
			Import:      imp,
			StatusLabel: l.T("import.status." + string(imp.Status)),
			StatusText:  l.T("import.text." + string(imp.Status)),
			Running:     !imp.Status.Finished() && imp.Status != distans.ImportChecked,
			CanConfirm:  imp.Status == distans.ImportChecked,
			Result:      imp.Status == distans.ImportDone,
			ErrorsMore:  imp.ErrorTotal - len(imp.Errors),
			EndsOn:      l.DateP(imp.Options.EndMissingOn),

			PendingInvitations: pending,
		}
		if page.Running {
			page.Refresh = refreshSeconds
			if imp.Rows > 0 {
				page.Percent = min(100, imp.Done*100/imp.Rows)
			}
		}
		// The failure is recorded in Swedish; the status text says the
		// same in the reader's language.
		if lang == "sv" && imp.Failure != "" && imp.Status != distans.ImportStale {
			page.Failure = imp.Failure
		}
		if s := imp.Summary; s != nil {
			for _, k := range importrun.Kinds(s) {
				page.Counts = append(page.Counts, view.ImportCountRow{Label: l.T("import.kind." + k.Kind), ImportCount: k.Count})
			}
			for _, f := range s.Files {
				kinds := make([]string, len(f.Kinds))
				for i, k := range f.Kinds {
					kinds[i] = strings.ToLower(l.T("import.kind." + k))
				}
				page.Files = append(page.Files, view.ImportFileRow{Name: f.Name, Kinds: strings.Join(kinds, ", "), Rows: f.Rows})
			}
			page.Ending = s.Ending
			page.EndingMore = s.EndingTotal - len(s.Ending)
		}
		for _, e := range imp.Errors {
			page.Errors = append(page.Errors, view.ImportErrorRow{File: e.File, Line: e.Line, Column: e.Column, Message: e.Message(lang)})
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// pendingInvitations is how many people still need an invitation, for an
// actor who may invite them all at once (Actor.SetsPasswordsOfAll); 0 for
// anyone else, who is not offered the form.
func (web *Web) pendingInvitations(r *http.Request, a *distans.Actor) (int, error) {
	if !a.SetsPasswordsOfAll() {
		return 0, nil
	}
	return web.svc.Links.PendingInvitations(r.Context())
}
