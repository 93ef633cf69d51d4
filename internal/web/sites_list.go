package web

import (
	"net/http"
	"sort"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// sitesList lists the organisation's sites, open to everyone signed in.
func (web *Web) sitesList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		showEnded := r.URL.Query().Get("ended") == "1"
		sites, err := web.svc.Sites.ListSites(r.Context(), showEnded)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		sort.SliceStable(sites, func(i, j int) bool { return strings.ToLower(sites[i].Name) < strings.ToLower(sites[j].Name) })
		l := web.layout(w, r)
		l.Title = l.T("sites.title")
		page := &view.SitesPage{Layout: l, CanManage: a.ManagesSites(), ShowEnded: showEnded}
		for _, s := range sites {
			page.Sites = append(page.Sites, view.SiteRow{Site: s, KindLabel: label(l.P, "site.", string(s.Kind))})
		}
		web.render(w, r, http.StatusOK, page)
	})
}
