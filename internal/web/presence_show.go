package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/web/view"
)

// presenceShow is /status, "Min dag": today's status, a status for another
// day and the redirection. ?person=ID opens the page of someone the actor
// acts for (their manager, HR); anyone out of reach is not found.
func (web *Web) presenceShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		web.renderStatus(w, r, a, r.URL.Query().Get("person"), http.StatusOK, nil, nil, nil)
	})
}

// presencePerson returns the person a presence page or action is for: the
// actor unless id names someone else.
func presencePerson(a *distans.Actor, id string) string {
	if id == "" {
		return a.PersonID
	}
	return id
}

// personQuery is the query that keeps a page on the person it is for.
func personQuery(a *distans.Actor, personID string) string {
	if personID == a.PersonID {
		return ""
	}
	return "?person=" + url.QueryEscape(personID)
}

// renderStatus renders /status for personID with the given forms (nil
// means fresh ones) and notices of the last save.
func (web *Web) renderStatus(w http.ResponseWriter, r *http.Request, a *distans.Actor, personID string, status int,
	statusForm, redirectForm *view.Form, notices []distans.Notice) {
	ctx := r.Context()
	av := web.svc.Availability
	personID = presencePerson(a, personID)
	today := web.today(r, a)
	now := distans.NowFrom(ctx)
	// ListStatuses tells "nothing set" from "not yours": anyone out of
	// reach, another organisation's people included, is not found.
	set, err := av.ListStatuses(ctx, personID, today, today.AddDate(0, 0, 60))
	if err != nil {
		web.fail(w, r, err)
		return
	}
	l := web.layout(w, r)
	if len(notices) > 0 {
		l.Flash, l.FlashErr = l.T("redirect.saved"), false
	}
	page := &view.StatusPage{Layout: l, PersonID: personID, Self: personID == a.PersonID, Query: personQuery(a, personID),
		Today: today.Format(time.DateOnly), StatusForm: statusForm, RedirectForm: redirectForm}
	page.PersonName = a.Name
	if !page.Self {
		if p, err := web.svc.People.FindPerson(ctx, personID); err == nil {
			page.PersonName = p.Name
		}
		page.Title = l.T("status.title_for", page.PersonName)
	} else {
		page.Title = l.T("status.title")
	}
	sites, siteNames, err := web.siteOptions(ctx, view.Option{Value: "", Label: l.T("form.none")})
	if err != nil {
		web.fail(w, r, err)
		return
	}
	page.Sites = sites
	for _, k := range distans.StatusKinds {
		page.Kinds = append(page.Kinds, view.Option{Value: string(k), Label: k.Label(l.Lang)})
	}
	row := func(d *distans.DayStatus) view.StatusRow {
		return view.StatusRow{Date: l.Date(d.Date), Kind: d.Kind.Label(l.Lang), SiteName: siteNames[d.SiteID],
			BackAt: l.DateTimeP(d.BackAt), Reason: d.Reason, OneOff: d.OneOff, Default: d.Default}
	}
	for _, d := range set {
		if d.Date.Equal(today) {
			rw := row(d)
			page.TodayStatus = &rw
			continue
		}
		page.Planned = append(page.Planned, row(d))
	}
	if page.TodayStatus == nil {
		// The default from the person's agreement, if any.
		if d, err := av.FindStatus(ctx, personID, today); err == nil {
			rw := row(d)
			page.TodayStatus = &rw
		}
	}
	if red, err := av.FindRedirect(ctx, personID, now); err == nil {
		page.Redirect = red
	} else if distans.ErrorCode(err) != distans.ENOTFOUND {
		web.fail(w, r, err)
		return
	}
	for _, t := range distans.RedirectTargets {
		page.Targets = append(page.Targets, view.Option{Value: string(t), Label: l.T("redirect.target." + string(t))})
	}
	page.Colleagues = []view.Option{{Value: "", Label: l.T("form.none")}}
	if hits, _, err := av.SearchDirectory(ctx, distans.DirectoryFilter{Limit: 200}, now); err == nil {
		for _, h := range hits {
			if h.PersonID != personID {
				page.Colleagues = append(page.Colleagues, view.Option{Value: h.PersonID, Label: h.Name})
			}
		}
	}
	if page.StatusForm == nil {
		page.StatusForm = view.NewForm()
		page.StatusForm.Set("date", page.Today)
		page.StatusForm.Set("kind", string(distans.StatusRemote))
	}
	if page.RedirectForm == nil {
		page.RedirectForm = view.NewForm()
		page.RedirectForm.Set("target", string(distans.RedirectSwitchboard))
		if red := page.Redirect; red != nil {
			page.RedirectForm.Set("text", red.Text)
			page.RedirectForm.Set("target", string(red.Target))
			page.RedirectForm.Set("colleague_id", red.ColleagueID)
			if red.Until != nil {
				page.RedirectForm.Set("until_date", red.Until.In(l.Loc).Format(time.DateOnly))
				page.RedirectForm.Set("until_time", red.Until.In(l.Loc).Format("15:04"))
			}
		}
	}
	page.Notices = web.noticeRows(r, notices)
	web.render(w, r, status, page)
}

// noticeRows are the pack's notices in the request's language, each with
// its clause named as people know the document (the pack's title rather
// than its file name).
func (web *Web) noticeRows(r *http.Request, ns []distans.Notice) []view.NoticeRow {
	if len(ns) == 0 {
		return nil
	}
	var out []view.NoticeRow
	en := httpx.Lang(r) == "en"
	pack, _, err := web.svc.Policies.ActivePolicy(r.Context())
	for _, n := range ns {
		msg := n.Sv
		if en {
			msg = n.En
		}
		if err != nil {
			pack = nil
		}
		clause := cite(pack, policy.Source{Document: n.Document, Section: n.Section}).String()
		out = append(out, view.NoticeRow{Message: msg, Clause: clause})
	}
	return out
}

// orgLoc is the organisation's time zone.
func (web *Web) orgLoc(r *http.Request, a *distans.Actor) *time.Location {
	if org, err := web.svc.Organisations.FindOrganisationByID(r.Context(), a.OrganisationID); err == nil {
		return org.Location()
	}
	return (&distans.Organisation{}).Location()
}

// parseDateTime reads a date field and a time field (HH:MM) as an instant
// in loc; both empty is nil. A time without a date, or a bad value, gets a
// message on the form.
func parseDateTime(r *http.Request, f *view.Form, dateField, timeField string, loc *time.Location) *time.Time {
	p := printer(r)
	ds, ts := f.Value(dateField), f.Value(timeField)
	if ds == "" && ts == "" {
		return nil
	}
	if ds == "" {
		f.Fail(dateField, p.T("status.time_needs_day"))
		return nil
	}
	if ts == "" {
		ts = "00:00"
	}
	d, err := time.Parse(time.DateOnly, ds)
	if err != nil {
		f.Fail(dateField, p.T("form.bad_date"))
		return nil
	}
	c, err := time.Parse("15:04", ts)
	if err != nil {
		f.Fail(timeField, p.T("status.bad_time"))
		return nil
	}
	t := time.Date(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), 0, 0, loc)
	return &t
}
