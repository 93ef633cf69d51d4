package view_test

import "github.com/distans/distans/internal/web/view"

// ownDataSamples are Mina uppgifter: one's own page with a delivered and
// an overdue open request and HR's open requests, HR's page for a person,
// and the page without requests.
func ownDataSamples(layout func() view.Layout) []view.Page {
	delivered := view.DataRequestRow{ID: "r1", RequestedAt: "2026-11-02 09:30", RequestedBy: "Åsa Öberg", Due: "2026-12-02",
		Delivered: "2026-11-02 09:30", JSONHref: "/data-requests/r1/download/json", PDFHref: "/data-requests/r1/download/pdf"}
	open := view.DataRequestRow{ID: "r2", Person: "Bo Ek", PersonHref: "/people/p2/data", RequestedAt: "2026-10-01 10:00",
		RequestedBy: "Hanna HR", Due: "2026-11-01", Overdue: true}
	return []view.Page{
		&view.OwnDataPage{Layout: layout(), Action: "/profile/data", Requests: []view.DataRequestRow{delivered, open},
			ShowOpen: true, Open: []view.DataRequestRow{open}},
		&view.OwnDataPage{Layout: layout(), Person: "Bo Ek", Action: "/people/p2/data", Requests: []view.DataRequestRow{open}},
		&view.OwnDataPage{Layout: layout(), Action: "/profile/data", ShowOpen: true},
	}
}
