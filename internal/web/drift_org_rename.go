package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// driftOrgRename sets an organisation's name and slug.
func (web *Web) driftOrgRename() http.Handler {
	return web.operator(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "name", "slug")
		id := r.PathValue("id")
		if _, err := web.svc.Installation.RenameOrganisation(r.Context(), id, form.Value("name"), form.Value("slug")); err != nil {
			if !formFailed(r, form, err, "name") {
				web.fail(w, r, err)
				return
			}
			web.renderDriftOrg(w, r, httpx.Status(distans.ErrorCode(err)), form, nil)
			return
		}
		web.done(w, r, "/drift/organisations/"+id, "drift.org.renamed")
	})
}
