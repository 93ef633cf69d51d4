package web

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// bookingRecurringNew is the form for a weekly recurring booking; a desk
// may be chosen in advance with ?desk_id=.
func (web *Web) bookingRecurringNew() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := view.NewForm()
		today := web.today(r, a)
		form.Set("desk_id", r.URL.Query().Get("desk_id"))
		form.Set("part", string(distans.PartDay))
		form.Set("from", today.Format(time.DateOnly))
		form.Set("until", today.AddDate(0, 0, 13).Format(time.DateOnly))
		web.renderRecurring(w, r, http.StatusOK, form, nil)
	})
}

// renderRecurring renders the recurring form with the weekdays ticked.
func (web *Web) renderRecurring(w http.ResponseWriter, r *http.Request, status int, form *view.Form, ticked []time.Weekday) {
	desks, _, err := web.deskOptions(r.Context(), view.Option{Value: "", Label: printer(r).T("form.choose")})
	if err != nil {
		web.fail(w, r, err)
		return
	}
	l := web.layout(w, r)
	l.Title = l.T("office.recurring_title")
	page := &view.RecurringPage{Layout: l, Form: form, Desks: withOption(desks, form.Value("desk_id"), form.Value("desk_id")),
		Parts: partOptions(l.P)}
	on := map[time.Weekday]bool{}
	for _, d := range ticked {
		on[d] = true
	}
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		page.Weekdays = append(page.Weekdays, view.WeekdayOption{Value: strconv.Itoa(int(d)), Label: weekdayName(l.P, d), Checked: on[d]})
	}
	web.render(w, r, status, page)
}

// deskOptions lists the desks in use at the open sites as "site – zone –
// desk", after first, and each desk by id.
func (web *Web) deskOptions(ctx context.Context, first ...view.Option) ([]view.Option, map[string]*distans.Desk, error) {
	sites, err := web.svc.Sites.ListSites(ctx, false)
	if err != nil {
		return nil, nil, err
	}
	sort.SliceStable(sites, func(i, j int) bool { return strings.ToLower(sites[i].Name) < strings.ToLower(sites[j].Name) })
	out := append([]view.Option{}, first...)
	byID := map[string]*distans.Desk{}
	for _, s := range sites {
		zones, err := web.svc.Office.ListZones(ctx, s.ID)
		if err != nil {
			return nil, nil, err
		}
		zoneNames := map[string]string{}
		for _, z := range zones {
			zoneNames[z.ID] = z.Name
		}
		desks, err := web.svc.Office.ListDesks(ctx, s.ID, false)
		if err != nil {
			return nil, nil, err
		}
		for _, d := range desks {
			byID[d.ID] = d
			out = append(out, view.Option{Value: d.ID, Label: s.Name + " – " + zoneNames[d.ZoneID] + " – " + d.Label})
		}
	}
	return out, byID, nil
}

// partOptions are the parts of a day.
func partOptions(p locale.Printer) []view.Option {
	var out []view.Option
	for _, d := range []distans.DayPart{distans.PartDay, distans.PartAM, distans.PartPM} {
		out = append(out, view.Option{Value: string(d), Label: d.Label(p.Lang())})
	}
	return out
}

// weekdayName names a weekday in the printer's language.
func weekdayName(p locale.Printer, d time.Weekday) string {
	sv := [...]string{"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"}
	if p.Lang() == "en" {
		return d.String()
	}
	return sv[d]
}
