package web

import (
	"context"
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// bookingsList is the person's own bookings: the coming ones with cancel
// and check-in, and those of the last 90 days.
func (web *Web) bookingsList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ctx := r.Context()
		today := web.today(r, a)
		list, err := web.svc.Office.ListBookings(ctx, distans.BookingFilter{From: today.AddDate(0, 0, -90), IncludeInactive: true})
		if err != nil {
			web.fail(w, r, err)
			return
		}
		_, siteNames, err := web.siteOptions(ctx)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		desks := deskLabels{web: web, ctx: ctx}
		l := web.layout(w, r)
		l.Title = l.T("office.bookings_title")
		page := &view.BookingsPage{Layout: l}
		for _, b := range list {
			row := view.BookingRow{Booking: b, SiteName: siteNames[b.SiteID], DeskLabel: desks.label(b.DeskID),
				StatusLabel: label(l.P, "office.status.", string(b.Status))}
			if b.Date.Before(today) {
				page.Past = append(page.Past, row)
				continue
			}
			if !b.Status.Active() {
				continue
			}
			row.CanCancel = true
			row.CanCheckIn = b.Status == distans.BookingBooked && b.Date.Equal(today)
			page.Upcoming = append(page.Upcoming, row)
		}
		// The latest first among the past ones.
		for i, j := 0, len(page.Past)-1; i < j; i, j = i+1, j-1 {
			page.Past[i], page.Past[j] = page.Past[j], page.Past[i]
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// deskLabels looks up desks' labels once each.
type deskLabels struct {
	web   *Web
	ctx   context.Context
	cache map[string]string
}

func (d *deskLabels) label(id string) string {
	if d.cache == nil {
		d.cache = map[string]string{}
	}
	if l, ok := d.cache[id]; ok {
		return l
	}
	l := ""
	if desk, err := d.web.svc.Office.FindDesk(d.ctx, id); err == nil {
		l = desk.Label
	}
	d.cache[id] = l
	return l
}
