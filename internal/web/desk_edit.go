package web

import (
	"net/http"
	"strconv"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// deskEdit is the form for changing or ending a desk; PermManageSites.
func (web *Web) deskEdit() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.ManagesSites() {
			web.forbidden(w, r)
			return
		}
		desk, err := web.svc.Office.FindDesk(r.Context(), r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		form := view.NewForm()
		form.Set("zone_id", desk.ZoneID)
		form.Set("label", desk.Label)
		form.Set("screens", strconv.Itoa(desk.Screens))
		for n, on := range map[string]bool{"height_adjustable": desk.HeightAdjustable, "quiet": desk.Quiet, "accessible": desk.Accessible} {
			if on {
				form.Set(n, "1")
			}
		}
		web.renderDeskEdit(w, r, http.StatusOK, desk, form)
	})
}

// renderDeskEdit renders the desk form.
func (web *Web) renderDeskEdit(w http.ResponseWriter, r *http.Request, status int, desk *distans.Desk, form *view.Form) {
	site, err := web.svc.Sites.FindSite(r.Context(), desk.SiteID)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	zones, err := web.svc.Office.ListZones(r.Context(), desk.SiteID)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	l := web.layout(w, r)
	l.Title = l.T("office.desk_edit_title", desk.Label)
	web.render(w, r, status, &view.DeskEditPage{Layout: l, Site: site, Desk: desk, Form: form, ZoneOpts: zoneOptions(zones)})
}
