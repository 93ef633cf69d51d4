package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/distans/distans"
)

// releaseCreate records the decision on the reviewed case: each ticked
// field masked under the provision chosen beside it, or a refusal in
// whole. A form that does not validate comes back as it was posted.
func (web *Web) releaseCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.KeepsRegister() {
			web.forbidden(w, r)
			return
		}
		form := readForm(r, "kind", "record_id", "requester", "requested_on", "refuse", "refusal_provision", "delegation", "note")
		in := distans.ReleaseInput{Kind: distans.RegisterKind(form.Value("kind")), RecordID: form.Value("record_id"),
			Requester: form.Value("requester"), Refuse: form.Value("refuse") != "",
			RefusalProvision: form.Value("refusal_provision"), Delegation: form.Value("delegation"), Note: form.Value("note")}
		for name := range r.PostForm {
			if key, ok := strings.CutPrefix(name, "mask."); ok {
				form.Set(name, "1")
				prov := strings.TrimSpace(r.PostFormValue("provision." + key))
				in.Maskings = append(in.Maskings, distans.Masking{Field: key, Provision: prov})
			}
			if strings.HasPrefix(name, "provision.") {
				form.Set(name, strings.TrimSpace(r.PostFormValue(name)))
			}
		}
		// A form's fields come as a map: a stable order for the decision.
		slices.SortFunc(in.Maskings, func(x, y distans.Masking) int { return strings.Compare(x.Field, y.Field) })
		if d := parseDay(r, form, "requested_on", true); d != nil {
			in.RequestedOn = *d
		}
		fail := func() {
			form.Message = printer(r).T("form.invalid")
			web.renderReleaseForm(w, r, http.StatusUnprocessableEntity, form, in.Kind, in.RecordID, false)
		}
		if form.Failed() {
			fail()
			return
		}
		x, err := web.svc.Releases.DecideRelease(r.Context(), in)
		if err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			fail()
			return
		}
		web.done(w, r, "/records/releases/"+x.ID, "rel.decided_ok")
	})
}
