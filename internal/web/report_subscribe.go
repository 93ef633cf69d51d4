package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/distans/distans"
)

// reportSubscribe is POST /reports/subscriptions: the actor asks for a
// report (kind, and unit or their whole scope) by e-mail every month.
func (web *Web) reportSubscribe() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		kind := distans.ReportKind(strings.TrimSpace(r.PostFormValue("kind")))
		unit := strings.TrimSpace(r.PostFormValue("unit"))
		back := "/reports"
		if kind.Valid() {
			back = "/reports/" + string(kind)
			if unit != "" {
				back += "?" + url.Values{"unit": {unit}}.Encode()
			}
		}
		s := &distans.ReportSubscription{Kind: kind, UnitID: unit}
		if err := web.svc.ReportSubscriptions.Subscribe(r.Context(), s); err != nil {
			web.actionFailed(w, r, back, err)
			return
		}
		web.done(w, r, back, "rep.subscribed_ok")
	})
}
