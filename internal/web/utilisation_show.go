package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// utilisationShow is the utilisation per site and weekday over a period
// (the last four weeks unless ?from=&to= say otherwise): a heat map in
// SVG and a table with the same numbers. Counts only, for
// PermViewAggregates or PermManageSites.
func (web *Web) utilisationShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.SeesUtilisation() {
			web.forbidden(w, r)
			return
		}
		form, from, to := web.utilisationPeriod(r, a)
		l := web.layout(w, r)
		l.Title = l.T("office.util_title")
		page := &view.UtilisationPage{Layout: l, Form: form, From: form.Value("from"), To: form.Value("to")}
		if !form.Failed() {
			rows, err := web.svc.Office.Utilisation(r.Context(), from, to)
			if err != nil {
				if !formFailed(r, form, err, "to") {
					web.fail(w, r, err)
					return
				}
			}
			for _, row := range sortedUtilisation(rows) {
				page.Rows = append(page.Rows, view.UtilisationRow{UtilisationRow: row, WeekdayName: weekdayName(l.P, row.Weekday),
					Percent: utilPercent(row)})
			}
			page.Heat = heatMap(&l, page.Rows)
			page.CSVURL = "/office/utilisation.csv?" + url.Values{"from": {page.From}, "to": {page.To}}.Encode()
		}
		status := http.StatusOK
		if form.Failed() {
			status = http.StatusUnprocessableEntity
		}
		web.render(w, r, status, page)
	})
}

// utilisationPeriod reads ?from= and ?to=; by default the four weeks up to
// today.
func (web *Web) utilisationPeriod(r *http.Request, a *distans.Actor) (*view.Form, time.Time, time.Time) {
	today := web.today(r, a)
	form := view.NewForm()
	q := r.URL.Query()
	form.Set("from", q.Get("from"))
	form.Set("to", q.Get("to"))
	if form.Value("from") == "" {
		form.Set("from", today.AddDate(0, 0, -27).Format(time.DateOnly))
	}
	if form.Value("to") == "" {
		form.Set("to", today.Format(time.DateOnly))
	}
	var from, to time.Time
	if t := parseDay(r, form, "from", true); t != nil {
		from = *t
	}
	if t := parseDay(r, form, "to", true); t != nil {
		to = *t
	}
	if form.Failed() {
		form.Message = printer(r).T("form.invalid")
	}
	return form, from, to
}

// sortedUtilisation orders rows by site name, then Monday to Sunday.
func sortedUtilisation(rows []*distans.UtilisationRow) []*distans.UtilisationRow {
	out := append([]*distans.UtilisationRow{}, rows...)
	iso := func(d time.Weekday) int { return (int(d) + 6) % 7 }
	for i := 1; i < len(out); i++ {
		for j := i; j > 0; j-- {
			x, y := out[j-1], out[j]
			if x.SiteName < y.SiteName || (x.SiteName == y.SiteName && iso(x.Weekday) <= iso(y.Weekday)) {
				break
			}
			out[j-1], out[j] = y, x
		}
	}
	return out
}

// utilPercent is the share of capacity booked, rounded.
func utilPercent(row *distans.UtilisationRow) int {
	if row.Capacity <= 0 {
		return 0
	}
	return int(row.Booked/row.Capacity*100 + 0.5)
}

// heatMap lays the rows out as a grid: sites down, Monday to Sunday across.
func heatMap(l *view.Layout, rows []view.UtilisationRow) *view.HeatMap {
	if len(rows) == 0 {
		return nil
	}
	const labelW, cellW, cellH, headH = 200, 72, 40, 30
	days := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	var sites []string
	index := map[string]int{}
	for _, row := range rows {
		if _, ok := index[row.SiteID]; !ok {
			index[row.SiteID] = len(sites)
			sites = append(sites, row.SiteName)
		}
	}
	h := &view.HeatMap{Width: labelW + cellW*len(days) + 4, Height: headH + cellH*len(sites) + 4}
	col := map[time.Weekday]int{}
	for i, d := range days {
		col[d] = i
		h.Columns = append(h.Columns, view.HeatLabel{X: labelW + i*cellW + cellW/2, Y: 20, Text: shortWeekday(l.P, d)})
	}
	for i, s := range sites {
		h.RowLabels = append(h.RowLabels, view.HeatLabel{X: labelW - 8, Y: headH + i*cellH + cellH/2 + 5, Text: s})
	}
	for _, row := range rows {
		x, y := labelW+col[row.Weekday]*cellW, headH+index[row.SiteID]*cellH
		fill, ink := view.Heat(row.Percent)
		text := "–"
		if row.Capacity > 0 {
			text = l.T("office.percent", row.Percent)
		}
		h.Cells = append(h.Cells, view.HeatCell{X: x, Y: y, W: cellW, H: cellH, TX: x + cellW/2, TY: y + cellH/2 + 5,
			Fill: fill, Ink: ink, Text: text,
			Title: l.T("office.util_cell", row.SiteName, row.WeekdayName, l.Num(row.Booked), l.Num(row.Capacity), row.Percent, l.Num(row.CheckedIn))})
	}
	return h
}

// shortWeekday is a column heading: "mån", "Mon".
func shortWeekday(p locale.Printer, d time.Weekday) string {
	if p.Lang() == "en" {
		return d.String()[:3]
	}
	return []string{"sön", "mån", "tis", "ons", "tors", "fre", "lör"}[d]
}
