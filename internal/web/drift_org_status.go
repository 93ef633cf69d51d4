package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// driftOrgStatus suspends, resumes or ends an organisation. Ending is
// final, so its form asks for the slug again; the check is here, before
// the service, as it is about the form and not the organisation.
func (web *Web) driftOrgStatus() http.Handler {
	return web.operator(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		id := r.PathValue("id")
		to := distans.OrgStatus(r.PostFormValue("status"))
		back := "/drift/organisations/" + id
		if to == distans.OrgEnded {
			st, err := web.driftOrg(r, id)
			if err != nil {
				web.fail(w, r, err)
				return
			}
			if confirm := strings.TrimSpace(r.PostFormValue("confirm")); confirm != st.Organisation.Slug {
				endForm := view.NewForm()
				endForm.Set("confirm", confirm)
				endForm.Fail("confirm", printer(r).T("drift.org.confirm_wrong"))
				endForm.Message = printer(r).T("form.invalid")
				web.renderDriftOrg(w, r, http.StatusUnprocessableEntity, nil, endForm)
				return
			}
		}
		if _, err := web.svc.Installation.SetOrganisationStatus(r.Context(), id, to); err != nil {
			web.actionFailed(w, r, back, err)
			return
		}
		web.done(w, r, back, "drift.status."+string(to))
	})
}
