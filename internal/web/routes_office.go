package web

import "net/http"

// officeRoutes mounts the office pages; routes.go calls it.
func (web *Web) officeRoutes(mux *http.ServeMux) {
	mux.Handle("GET /office", web.officeShow())
	mux.Handle("GET /office/sites/{id}", web.officeSiteShow())
	mux.Handle("POST /office/bookings", web.bookingCreate())

	mux.Handle("GET /bookings", web.bookingsList())
	mux.Handle("POST /bookings/{id}/cancel", web.bookingCancel())
	mux.Handle("POST /bookings/{id}/checkin", web.bookingCheckIn())
	mux.Handle("GET /bookings/recurring", web.bookingRecurringNew())
	mux.Handle("POST /bookings/recurring", web.bookingRecurringCreate())

	mux.Handle("GET /team-days", web.teamdayList())
	mux.Handle("POST /team-days", web.teamdayCreate())
	mux.Handle("POST /team-days/{id}/delete", web.teamdayDelete())

	mux.Handle("GET /office/utilisation", web.utilisationShow())
	mux.Handle("GET /office/utilisation.csv", web.utilisationCSV())

	mux.Handle("GET /office/sites/{id}/zones", web.officeAdminShow())
	mux.Handle("POST /office/sites/{id}/zones", web.officeZoneCreate())
	mux.Handle("POST /office/sites/{id}/desks", web.deskCreate())
	mux.Handle("POST /office/sites/{id}/rules", web.officeRulesUpdate())
	mux.Handle("GET /office/desks/{id}/edit", web.deskEdit())
	mux.Handle("POST /office/desks/{id}", web.deskUpdate())
	mux.Handle("POST /office/desks/{id}/end", web.deskEnd())
}
