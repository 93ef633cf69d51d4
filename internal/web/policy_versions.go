package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// policyVersions is the history of the pack: every version, who saved it,
// when and why.
func (web *Web) policyVersions() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		versions, err := web.svc.Policies.PolicyVersions(r.Context())
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("policy.versions_title")
		page := &view.PolicyVersionsPage{Layout: l, Versions: versions}
		if len(versions) > 0 {
			page.Active = versions[0].Version
		}
		web.render(w, r, http.StatusOK, page)
	})
}
