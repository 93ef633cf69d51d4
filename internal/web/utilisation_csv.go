package web

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/distans/distans"
)

// utilisationCSV is the utilisation table as CSV for premises planning:
// a header row, then one row per site and weekday, with the numbers as
// on the page (a decimal point, so that any program reads them).
func (web *Web) utilisationCSV() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.SeesUtilisation() {
			web.forbidden(w, r)
			return
		}
		form, from, to := web.utilisationPeriod(r, a)
		if form.Failed() {
			web.errorPage(w, r, http.StatusBadRequest, form.Summary()[0].Message)
			return
		}
		rows, err := web.svc.Office.Utilisation(r.Context(), from, to)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		p := printer(r)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="utilisation-`+form.Value("from")+`-`+form.Value("to")+`.csv"`)
		w.Header().Set("Cache-Control", "no-store")
		cw := csv.NewWriter(w)
		num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
		_ = cw.Write([]string{"site_id", "site", "weekday", "weekday_name", "days", "booked", "checked_in", "capacity", "booked_percent"})
		for _, row := range sortedUtilisation(rows) {
			_ = cw.Write([]string{row.SiteID, csvSafe(row.SiteName), strconv.Itoa((int(row.Weekday)+6)%7 + 1), weekdayName(p, row.Weekday),
				strconv.Itoa(row.Days), num(row.Booked), num(row.CheckedIn), num(row.Capacity), strconv.Itoa(utilPercent(row))})
		}
		cw.Flush()
	})
}

// csvSafe keeps a spreadsheet from reading a name as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}
