package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// auditPageSize is how many events one page of the trail shows.
const auditPageSize = 50

// auditList is the audit trail with filters and paging backwards in time,
// for those who hold PermViewAudit.
func (web *Web) auditList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if web.searchRefused(w, r) {
			return
		}
		if !a.SeesAudit() {
			web.forbidden(w, r)
			return
		}
		ctx := r.Context()
		q := r.URL.Query()
		form := view.NewForm()
		for _, k := range []string{"actor", "action", "record_type", "record_id", "from", "to", "q"} {
			form.Set(k, q.Get(k))
		}
		f := distans.AuditFilter{ActorID: q.Get("actor"), Action: q.Get("action"), RecordType: q.Get("record_type"),
			RecordID: q.Get("record_id"), Query: q.Get("q"), Limit: auditPageSize}
		f.BeforeSeq, _ = strconv.ParseInt(q.Get("before"), 10, 64)
		loc := (&distans.Organisation{}).Location()
		if org, err := web.svc.Organisations.FindOrganisationByID(ctx, a.OrganisationID); err == nil {
			loc = org.Location()
		}
		p := printer(r)
		day := func(name string) (time.Time, bool) {
			s := q.Get(name)
			if s == "" {
				return time.Time{}, true
			}
			t, err := time.ParseInLocation(time.DateOnly, s, loc)
			if err != nil {
				form.Fail(name, p.T("form.bad_date"))
				return time.Time{}, false
			}
			return t, true
		}
		from, okFrom := day("from")
		to, okTo := day("to")
		f.From = from
		if !to.IsZero() {
			f.To = to.AddDate(0, 0, 1) // "to and including" the day
		}
		l := web.layout(w, r)
		l.Title = l.T("audit.title")
		page := &view.AuditPage{Layout: l, Filter: form}
		page.Actors = web.peopleOptions(ctx, view.Option{Value: "", Label: l.T("audit.anyone")})
		page.Actors = withOption(page.Actors, f.ActorID, f.ActorID)
		status := http.StatusOK
		if okFrom && okTo {
			events, err := web.svc.Audit.ListAuditEvents(ctx, f)
			if err != nil {
				web.fail(w, r, err)
				return
			}
			page.Events = events
			if len(events) == auditPageSize {
				page.OlderURL = auditURL(q, events[len(events)-1].Seq)
			}
			if f.BeforeSeq > 0 {
				page.NewestURL = auditURL(q, 0)
			}
		} else {
			form.Message = l.T("form.invalid")
			status = http.StatusUnprocessableEntity
		}
		web.render(w, r, status, page)
	})
}

// auditURL is the trail with the same filters before event seq (0: newest).
func auditURL(q url.Values, before int64) string {
	v := url.Values{}
	for k, vals := range q {
		if k != "before" && len(vals) > 0 && vals[0] != "" {
			v.Set(k, vals[0])
		}
	}
	if before > 0 {
		v.Set("before", strconv.FormatInt(before, 10))
	}
	if len(v) == 0 {
		return "/audit"
	}
	return "/audit?" + v.Encode()
}
