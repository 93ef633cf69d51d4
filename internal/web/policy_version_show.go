package web

import (
	"net/http"
	"strconv"

	"github.com/distans/distans"
)

// policyVersionShow is one saved version of the pack: its rules as the
// Regelverk page shows them, and its YAML text.
func (web *Web) policyVersionShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ctx := r.Context()
		n, err := strconv.Atoi(r.PathValue("n"))
		if err != nil || n < 1 {
			web.fail(w, r, distans.NotFound("Versionen finns inte.", "The version does not exist."))
			return
		}
		pack, v, err := web.svc.Policies.FindPolicy(ctx, n)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		versions, err := web.svc.Policies.PolicyVersions(ctx)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("policy.version_title", v.Version)
		page := policyPage(l, a, pack, v)
		page.IsVersion, page.Source = true, v.Source
		if len(versions) > 0 {
			page.Meta.Active = versions[0].Version
		}
		web.render(w, r, http.StatusOK, page)
	})
}
