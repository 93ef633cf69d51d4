package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// oncallUpdate changes an on-call phone's name, number or unit; the actor
// must keep both the old and the new unit. A refusal shows the phone's own
// form again with the messages on its fields.
func (web *Web) oncallUpdate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		id := r.PathValue("id")
		pre := oncallEditPrefix(id)
		form := readForm(r, pre+"unit_id", pre+"name", pre+"number")
		p := &distans.OnCallPhone{ID: id, UnitID: form.Value(pre + "unit_id"), Name: form.Value(pre + "name"),
			Number: form.Value(pre + "number")}
		if err := web.svc.Availability.UpdateOnCallPhone(r.Context(), p); err != nil {
			// The domain names the fields plainly ("number"); the form's
			// fields carry the phone's prefix.
			tmp := view.NewForm()
			if !formFailed(r, tmp, err, "name") {
				web.fail(w, r, err)
				return
			}
			form.Message = tmp.Message
			for _, name := range tmp.Order {
				form.Fail(pre+name, tmp.Errors[name])
			}
			web.renderOnCallPage(w, r, a, http.StatusUnprocessableEntity, onCallForms{EditID: id, Edit: form})
			return
		}
		web.done(w, r, "/on-call", "oncall.updated")
	})
}
