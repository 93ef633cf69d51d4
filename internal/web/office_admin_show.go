package web

import (
	"net/http"
	"strconv"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// officeAdminShow is a site's zones, desks and booking rules, with the
// forms to add zones and desks and to change the rules; PermManageSites.
func (web *Web) officeAdminShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.ManagesSites() {
			web.forbidden(w, r)
			return
		}
		web.renderOfficeAdmin(w, r, http.StatusOK, r.PathValue("id"), nil, nil, nil)
	})
}

// renderOfficeAdmin renders the admin page; a nil form is a fresh one (the
// rules form filled from the site's rules).
func (web *Web) renderOfficeAdmin(w http.ResponseWriter, r *http.Request, status int, siteID string, zoneForm, deskForm, rulesForm *view.Form) {
	ctx := r.Context()
	site, err := web.svc.Sites.FindSite(ctx, siteID)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	zones, err := web.svc.Office.ListZones(ctx, site.ID)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	desks, err := web.svc.Office.ListDesks(ctx, site.ID, true)
	if err != nil {
		web.fail(w, r, err)
		return
	}
	if zoneForm == nil {
		zoneForm = view.NewForm()
	}
	if deskForm == nil {
		deskForm = view.NewForm()
		deskForm.Set("screens", "1")
	}
	if rulesForm == nil {
		rules, err := web.svc.Office.BookingRules(ctx, site.ID)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		rulesForm = rulesToForm(rules)
	}
	l := web.layout(w, r)
	l.Title = l.T("office.admin_title", site.Name)
	page := &view.OfficeAdminPage{Layout: l, Site: site, Zones: zones, ZoneForm: zoneForm, DeskForm: deskForm, RulesForm: rulesForm,
		ZoneOpts: zoneOptions(zones)}
	names := map[string]string{}
	for _, z := range zones {
		names[z.ID] = z.Name
	}
	for _, d := range desks {
		page.Desks = append(page.Desks, view.DeskRow{Desk: d, ZoneName: names[d.ZoneID]})
	}
	web.render(w, r, status, page)
}

// zoneOptions lists a site's zones for a select.
func zoneOptions(zones []*distans.Zone) []view.Option {
	var out []view.Option
	for _, z := range zones {
		out = append(out, view.Option{Value: z.ID, Label: z.Name})
	}
	return out
}

// rulesToForm fills the rules form.
func rulesToForm(rules *distans.BookingRules) *view.Form {
	f := view.NewForm()
	f.Set("horizon_days", strconv.Itoa(rules.HorizonDays))
	f.Set("max_per_week", strconv.Itoa(rules.MaxPerWeek))
	if rules.CheckInRequired {
		f.Set("check_in_required", "1")
	}
	f.Set("release_at", rules.ReleaseAt.String())
	f.Set("pm_release_at", rules.PMReleaseAt.String())
	f.Set("congestion_percent", strconv.Itoa(rules.CongestionPercent))
	return f
}
