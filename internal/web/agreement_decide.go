package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// agreementDecide records the manager's decision with reasons. An approval
// prefills the written agreement; a decline is final and cannot be
// appealed (000, Du beslutar), which the form says before it is sent.
func (web *Web) agreementDecide() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "version", "decision", "reasons")
		set := func(p *view.AgreementPage, f *view.Form) { p.DecideForm = f }
		choice := form.Value("decision")
		if choice != "approve" && choice != "decline" {
			sv, en := locale.Message("agr.choose_decision")
			err := &distans.Error{Code: distans.EINVALID, Sv: sv, En: en,
				Fields: []distans.FieldError{{Field: "decision", Sv: sv, En: en}}}
			web.agreementFailed(w, r, a, form, err, nil, "", set)
			return
		}
		ag, err := web.svc.Agreements.Decide(r.Context(), r.PathValue("id"), formVersion(r), choice == "approve", form.Value("reasons"))
		if err != nil {
			web.agreementFailed(w, r, a, form, err, nil, "reasons", set)
			return
		}
		key := "agr.decided_decline"
		if ag.State == distans.AgreementAwaitingSignature {
			key = "agr.decided_approve"
		}
		web.done(w, r, agreementBack(r), key)
	})
}
