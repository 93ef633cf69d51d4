package web

import (
	"errors"
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/web/view"
)

// driftOrgCreate creates an organisation with its first administrator and
// its pack, and shows the administrator's invitation link once: the page
// is rendered directly and never cached, so that the link is kept nowhere.
func (web *Web) driftOrgCreate() http.Handler {
	return web.operator(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "slug", "name", "time_zone", "language", "pack", "admin_email", "admin_name")
		res, err := web.svc.Installation.CreateOrganisation(r.Context(), distans.NewOrganisation{
			Slug: form.Value("slug"), Name: form.Value("name"), TimeZone: form.Value("time_zone"),
			Language: form.Value("language"), Pack: form.Value("pack"),
			AdminEmail: form.Value("admin_email"), AdminName: form.Value("admin_name"),
		})
		if err != nil {
			if !formFailed(r, form, err, "") {
				web.fail(w, r, err)
				return
			}
			web.renderDriftOrgNew(w, r, httpx.Status(distans.ErrorCode(err)), form)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("drift.created.title")
		o := res.Organisation
		page := &view.DriftCreatedPage{Layout: l, AdminName: res.Admin.Name, AdminEmail: res.Admin.Email,
			Pack: res.PolicyVersion.Reason}
		page.Org = driftRow(&page.Layout, &distans.OrganisationStats{Organisation: o})
		loc := o.Location()
		switch inv := res.Invitation; {
		case res.InviteError != nil:
			var e *distans.Error
			if errors.As(res.InviteError, &e) {
				page.InviteError = e.Message(l.Lang)
			} else {
				web.log.ErrorContext(r.Context(), "invitation", "organisation_id", o.ID, "err", res.InviteError)
				page.InviteError = l.T("error.title.500")
			}
		default:
			page.InviteSent, page.InviteURL = inv.Sent, inv.URL
			page.InviteExpires = inv.ExpiresAt.In(loc).Format("2006-01-02 15:04")
		}
		w.Header().Set("Referrer-Policy", "no-referrer")
		web.render(w, r, http.StatusOK, page)
	})
}
