package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// signInPageSize is how many sign-ins one page of the log shows.
const signInPageSize = 50

// signInLog is the sign-in log with filters and paging back in time, for
// those who see the audit trail.
func (web *Web) signInLog() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.SeesAudit() {
			web.forbidden(w, r)
			return
		}
		ctx := r.Context()
		q := r.URL.Query()
		form := view.NewForm()
		for _, k := range []string{"person", "outcome", "from", "to"} {
			form.Set(k, q.Get(k))
		}
		l := web.layout(w, r)
		l.Title = l.T("signins.title")
		page := &view.SignInLogPage{Layout: l, Filter: form, KeptDays: distans.DefaultAccessLogDays}
		if pol, _, err := web.svc.Policies.ActivePolicy(ctx); err == nil {
			for _, p := range distans.DisposalPeriods(pol) {
				if p.Type == distans.DisposeAccessLog {
					page.KeptDays = p.Amount
				}
			}
		}
		f := distans.SignInFilter{PersonID: q.Get("person"), Outcome: distans.SignInOutcome(q.Get("outcome")),
			After: q.Get("after"), Limit: signInPageSize}
		page.People = web.peopleOptions(ctx, view.Option{Value: "", Label: l.T("signins.anyone")})
		page.People = withOption(page.People, f.PersonID, f.PersonID)
		page.Outcomes = []view.Option{{Value: "", Label: l.T("signins.any")}}
		for _, o := range distans.SignInOutcomes {
			page.Outcomes = append(page.Outcomes, view.Option{Value: string(o), Label: o.Label(l.Lang)})
		}
		if f.Outcome != "" && !f.Outcome.Valid() {
			form.Fail("outcome", l.T("form.invalid"))
		}
		loc := (&distans.Organisation{}).Location()
		if org, err := web.svc.Organisations.FindOrganisationByID(ctx, a.OrganisationID); err == nil {
			loc = org.Location()
		}
		day := func(name string) time.Time {
			s := q.Get(name)
			if s == "" {
				return time.Time{}
			}
			t, err := time.ParseInLocation(time.DateOnly, s, loc)
			if err != nil {
				form.Fail(name, l.T("form.bad_date"))
			}
			return t
		}
		f.From = day("from")
		if to := day("to"); !to.IsZero() {
			f.To = to.AddDate(0, 0, 1) // "to and including" the day
		}
		if form.Failed() {
			form.Message = l.T("form.invalid")
			web.render(w, r, http.StatusUnprocessableEntity, page)
			return
		}
		events, next, err := web.svc.SignIns.ListSignInEvents(ctx, f)
		if distans.ErrorCode(err) == distans.EINVALID {
			formFailed(r, form, err, "")
			form.Message = l.T("form.invalid")
			web.render(w, r, http.StatusUnprocessableEntity, page)
			return
		} else if err != nil {
			web.fail(w, r, err)
			return
		}
		page.Events = events
		if next != "" {
			page.NextURL = signInLogURL(q, next)
		}
		if f.After != "" {
			page.FirstURL = signInLogURL(q, "")
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// signInLogURL is the log with the same filters after the cursor ("": newest).
func signInLogURL(q url.Values, after string) string {
	v := url.Values{}
	for k, vals := range q {
		if k != "after" && len(vals) > 0 && vals[0] != "" {
			v.Set(k, vals[0])
		}
	}
	if after != "" {
		v.Set("after", after)
	}
	if len(v) == 0 {
		return "/audit/signins"
	}
	return "/audit/signins?" + v.Encode()
}
