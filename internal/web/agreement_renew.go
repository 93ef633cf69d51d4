package web

import (
	"net/http"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// agreementRenew opens the renewal of an active agreement whose evaluation
// recommends it: new terms from the day after its last day, as long as
// the pack allows or until the day given.
func (web *Web) agreementRenew() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "version", "renew_end")
		set := func(p *view.AgreementPage, f *view.Form) { p.RenewForm = f }
		var end time.Time // zero: as long as the pack allows
		if d := parseDay(r, form, "renew_end", false); d != nil {
			end = *d
		}
		if form.Failed() {
			msg := printer(r).T("form.invalid")
			web.agreementFailed(w, r, a, form, distans.Errorf(distans.EINVALID, msg, msg), nil, "", set)
			return
		}
		renewal, err := web.svc.Agreements.Renew(r.Context(), r.PathValue("id"), formVersion(r), end)
		if err != nil {
			web.agreementFailed(w, r, a, form, err, map[string]string{"end": "renew_end"}, "renew_end", set)
			return
		}
		web.done(w, r, "/agreements/"+renewal.ID, "agr.renewed")
	})
}
