package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// incidentLinkAdd links the incident to a person, an agreement (a
// home-workplace injury) or an item of equipment: one of the records the
// form offers ("kind:id"), or a kind and an id typed in.
func (web *Web) incidentLinkAdd() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		const pre = "link."
		form := readForm(r, pre+"target", pre+"kind", pre+"target_id")
		l := distans.IncidentLink{Kind: form.Value(pre + "kind"), TargetID: form.Value(pre + "target_id")}
		if kind, id, ok := strings.Cut(form.Value(pre+"target"), ":"); ok && l.TargetID == "" {
			l.Kind, l.TargetID = kind, id
		}
		set := func(p *view.IncidentPage, f *view.Form) { p.LinkForm = f }
		if l.Kind == "" || l.TargetID == "" {
			sv, en := locale.Message("inc.link.choose_target")
			web.incidentFailed(w, r, a, form, &distans.Error{Code: distans.EINVALID, Sv: sv, En: en,
				Fields: []distans.FieldError{{Field: "target", Sv: sv, En: en}}}, pre, "", set)
			return
		}
		if _, err := web.svc.Incidents.AddLink(r.Context(), r.PathValue("id"), l); err != nil {
			web.incidentFailed(w, r, a, form, err, pre, pre+"target", set)
			return
		}
		web.done(w, r, incidentBack(r)+"#links-heading", "inc.link_added")
	})
}
