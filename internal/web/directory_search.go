package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// directoryPageSize is how many people one page of the directory shows.
const directoryPageSize = 25

// directorySearch is /directory?q=&unit=, the switchboard's search, open to
// everyone signed in; unit limits it to a unit and the units below it. Each hit says where the person is today in words,
// never why; the work mobile is there only when the service gives it (to
// the switchboard, 004 §2). The switchboard sees the current on-call
// phones at the top.
func (web *Web) directorySearch() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if web.searchRefused(w, r) {
			return
		}
		ctx := r.Context()
		q := strings.TrimSpace(r.URL.Query().Get("q"))
		unitID := strings.TrimSpace(r.URL.Query().Get("unit"))
		now := distans.NowFrom(ctx)
		l := web.layout(w, r)
		l.Title = l.T("directory.title")
		page := &view.DirectoryPage{Layout: l, Query: q, UnitID: unitID, Searched: q != "" || unitID != "",
			ShowOnCall: a.HasRole(distans.RoleSwitchboard), CanMissing: a.Can(distans.PermViewPeople)}
		units, err := web.unitFilter(ctx, unitID, view.Option{Value: "", Label: l.T("directory.all_units")})
		if err != nil {
			web.fail(w, r, err)
			return
		}
		page.Units = units
		if page.ShowOnCall {
			phones, err := web.svc.Availability.CurrentOnCall(ctx, now)
			if err != nil {
				web.fail(w, r, err)
				return
			}
			page.OnCall = phones
		}
		if page.Searched {
			hits, pg, err := web.svc.Availability.SearchDirectory(ctx, distans.DirectoryFilter{Query: q, UnitID: unitID,
				After: r.URL.Query().Get("after"), Before: r.URL.Query().Get("before"), Limit: directoryPageSize}, now)
			if err != nil {
				web.fail(w, r, err)
				return
			}
			page.Total, page.Capped = min(pg.Total, distans.CountCap), pg.Capped()
			for _, h := range hits {
				page.Hits = append(page.Hits, directoryRow(&l, h))
			}
			page.PrevURL, page.NextURL = pageLinks("/directory", url.Values{"q": {q}, "unit": {unitID}}, pg)
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// directoryRow turns a hit into words. A DirectoryHit carries no reason
// for absence, so none can reach the page; it carries its site's name.
func directoryRow(l *view.Layout, h *distans.DirectoryHit) view.DirectoryRow {
	row := view.DirectoryRow{Name: h.Name, Title: h.Title, UnitName: h.UnitName, Email: h.Email, Phone: h.Phone,
		WorkMobile: h.WorkMobile, Keywords: strings.Join(h.Keywords, ", "), BackAt: l.DateTimeP(h.BackAt),
		RedirectText: h.RedirectText, CoveredBy: h.CoveredByName, SiteName: h.SiteName}
	if h.Status != "" {
		row.Status = h.Status.Label(l.Lang)
	}
	if h.RedirectTarget != "" {
		row.RedirectTarget = l.T("redirect.target." + string(h.RedirectTarget))
	}
	var sessions []string
	for _, s := range h.PhoneHoursToday {
		sessions = append(sessions, s.Start+"–"+s.End)
	}
	row.PhoneHours = strings.Join(sessions, ", ")
	return row
}
