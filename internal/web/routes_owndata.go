package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// ownDataRoutes mounts Mina uppgifter (one's own data, GDPR art. 15 and
// 20) and HR's requests for a person; routes.go calls it. Without the
// service the pages are not mounted and answer the pages' own 404.
func (web *Web) ownDataRoutes(mux *http.ServeMux) {
	if web.svc.OwnData == nil {
		return
	}
	mux.Handle("GET /profile/data", web.ownDataShow())
	mux.Handle("POST /profile/data", web.ownDataRequest())
	mux.Handle("GET /people/{id}/data", web.ownDataPerson())
	mux.Handle("POST /people/{id}/data", web.ownDataRequest())
	mux.Handle("POST /data-requests/{id}/deliver", web.ownDataDeliver())
	mux.Handle("GET /data-requests/{id}/download/{format}", web.ownDataDownload())
}

// ownDataNav adds "Mina uppgifter" before the profile for everyone signed
// in as a person: everyone may ask for their own data.
func (web *Web) ownDataNav(r *http.Request, l *view.Layout, a *distans.Actor) {
	if web.svc.OwnData == nil || a == nil || a.PersonID == "" {
		return
	}
	item := view.NavItem{Href: "/profile/data", Label: l.T("nav.owndata"), Current: inSection(r, "/profile/data")}
	for i, n := range l.Nav {
		if n.Href == "/profile" {
			n.Current = n.Current && !item.Current
			l.Nav[i] = n
			l.Nav = append(l.Nav[:i], append([]view.NavItem{item}, l.Nav[i:]...)...)
			return
		}
	}
	l.Nav = append(l.Nav, item)
}

// dataRequestRow is a request as the pages show it.
func dataRequestRow(l *view.Layout, r *distans.DataRequest, today func() string) view.DataRequestRow {
	row := view.DataRequestRow{ID: r.ID, Person: r.PersonName, PersonHref: "/people/" + r.PersonID + "/data",
		RequestedAt: l.DateTime(r.RequestedAt), RequestedBy: r.RequestedByName, Due: r.DueOn.Format("2006-01-02"),
		Overdue: r.Open() && today() > r.DueOn.Format("2006-01-02")}
	if r.DeliveredAt != nil {
		row.Delivered = l.DateTime(*r.DeliveredAt)
		row.JSONHref = "/data-requests/" + r.ID + "/download/json"
		row.PDFHref = "/data-requests/" + r.ID + "/download/pdf"
	}
	return row
}
