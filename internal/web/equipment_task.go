package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
)

// equipmentTaskComplete marks a task to end the phone subscription done
// (the manager or IT); an item's task is done by recording its return.
func (web *Web) equipmentTaskComplete() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		back := "/equipment/team#tasks-heading"
		if _, err := web.svc.Equipment.CompleteReturnTask(r.Context(), r.PathValue("id"), formVersion(r)); err != nil {
			web.actionFailed(w, r, back, err)
			return
		}
		web.done(w, r, back, "eq.task_done")
	})
}

// equipmentTaskException is the manager's exception from a return, with
// reasons (Sorsele 004 §8.6); without reasons the team page comes back
// with the message on the task's form and nothing saved.
func (web *Web) equipmentTaskException() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		id := r.PathValue("id")
		name := "reasons." + id
		form := readForm(r, name)
		form.Set("id", id)
		form.Set("version", r.PostFormValue("version"))
		reasons := strings.TrimSpace(form.Value(name))
		var err error
		if reasons == "" {
			form.Fail(name, printer(r).T("eq.exception_required"))
			err = failedForm(r, form)
		} else {
			_, err = web.svc.Equipment.GrantReturnException(r.Context(), id, formVersion(r), reasons)
		}
		if err != nil {
			status, _, ok := eqFailed(r, form, err, "", name)
			if !ok {
				web.fail(w, r, err)
				return
			}
			page, perr := web.teamPage(w, r, a, id, form)
			if perr != nil {
				web.fail(w, r, perr)
				return
			}
			web.render(w, r, status, page)
			return
		}
		web.done(w, r, "/equipment/team#tasks-heading", "eq.exception_granted")
	})
}
