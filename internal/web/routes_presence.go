package web

import "net/http"

// presenceRoutes mounts the presence pages; routes.go calls it. Without an
// availability service (a deployment or test that does not wire one) the
// pages are not mounted and answer the pages' own 404.
func (web *Web) presenceRoutes(mux *http.ServeMux) {
	if web.svc.Availability == nil {
		return
	}
	mux.Handle("GET /status", web.presenceShow())
	mux.Handle("POST /status", web.presenceStatusSet())
	mux.Handle("POST /status/redirect", web.presenceRedirectSet())
	mux.Handle("POST /status/redirect/clear", web.presenceRedirectClear())

	mux.Handle("GET /directory", web.directorySearch())
	mux.Handle("GET /directory/missing-keywords", web.directoryMissingKeywords())
	mux.Handle("GET /profile/keywords", web.directoryKeywordsEdit())
	mux.Handle("POST /profile/keywords", web.directoryKeywordsSave())

	mux.Handle("GET /phone-hours", web.phoneHoursEdit())
	mux.Handle("POST /phone-hours", web.phoneHoursSave())

	mux.Handle("GET /on-call", web.oncallList())
	mux.Handle("POST /on-call", web.oncallCreate())
	mux.Handle("POST /on-call/{id}", web.oncallUpdate())
	mux.Handle("POST /on-call/{id}/delete", web.oncallDelete())
	mux.Handle("POST /on-call/duties", web.oncallDutyAdd())
	mux.Handle("POST /on-call/duties/{id}/delete", web.oncallDutyDelete())
}
