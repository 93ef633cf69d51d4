package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// agreementsPageSize is how many cases one page of HR's overview shows.
const agreementsPageSize = 25

// agreementsList is /agreements: the person's own cases and history with
// the request button when they have no open case; the manager's "Att göra"
// queue, each case with why it is there; and, for HR, the overview across
// units with filters and paging.
func (web *Web) agreementsList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if web.searchRefused(w, r) {
			return
		}
		ctx := r.Context()
		today := web.today(r, a)
		own, _, err := web.svc.Agreements.ListAgreements(ctx, distans.AgreementFilter{PersonID: a.PersonID, Limit: 100})
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("agr.title")
		page := &view.AgreementsPage{Layout: l, CanRequest: true}
		for _, ag := range own {
			page.Own = append(page.Own, agreementRow(&l, ag, nil))
			if ag.State.Open() {
				page.CanRequest = false
			}
		}

		if a.Can(distans.PermDecideAgreements) {
			page.ShowQueue = true
			queue, _, err := web.svc.Agreements.ListAgreements(ctx, distans.AgreementFilter{Queue: true, Limit: 200})
			if err != nil {
				web.fail(w, r, err)
				return
			}
			for _, ag := range queue {
				page.Queue = append(page.Queue, agreementRow(&l, ag, queueReasons(&l, ag, today)))
			}
		}

		if a.Scope(distans.PermViewAgreements).All {
			page.ShowOverview = true
			q := r.URL.Query()
			offset, _ := strconv.Atoi(q.Get("offset"))
			offset = max(offset, 0)
			fv := view.AgreementFilterView{Query: q.Get("q"), UnitID: q.Get("unit"), State: q.Get("state"),
				Expiring: q.Get("expiring") == "1", Overdue: q.Get("overdue") == "1"}
			f := distans.AgreementFilter{Query: fv.Query, UnitID: fv.UnitID, Limit: agreementsPageSize, Offset: offset}
			if fv.State != "" {
				f.States = []distans.AgreementState{distans.AgreementState(fv.State)}
			}
			if fv.Expiring {
				by := today.AddDate(0, 0, 60)
				f.ExpiringBy = &by
			}
			if fv.Overdue {
				f.Overdue = &today
			}
			rows, total, err := web.svc.Agreements.ListAgreements(ctx, f)
			if err != nil {
				web.fail(w, r, err)
				return
			}
			tree, err := web.unitTree(ctx, true)
			if err != nil {
				web.fail(w, r, err)
				return
			}
			fv.Units = tree.options()
			fv.States = []view.Option{{Value: "", Label: l.T("agr.all_states")}}
			for _, s := range distans.AgreementStates {
				fv.States = append(fv.States, view.Option{Value: string(s), Label: l.T("agr.state." + string(s))})
			}
			page.Filter, page.Total = fv, total
			for _, ag := range rows {
				page.Rows = append(page.Rows, agreementRow(&l, ag, nil))
			}
			if len(rows) > 0 {
				page.First, page.Last = offset+1, offset+len(rows)
			}
			link := func(off int) string {
				v := url.Values{}
				for k, s := range map[string]string{"q": fv.Query, "unit": fv.UnitID, "state": fv.State} {
					if s != "" {
						v.Set(k, s)
					}
				}
				if fv.Expiring {
					v.Set("expiring", "1")
				}
				if fv.Overdue {
					v.Set("overdue", "1")
				}
				if off > 0 {
					v.Set("offset", strconv.Itoa(off))
				}
				if len(v) == 0 {
					return "/agreements"
				}
				return "/agreements?" + v.Encode() + "#overview-heading"
			}
			if offset > 0 {
				page.PrevURL = link(max(offset-agreementsPageSize, 0))
			}
			if offset+len(rows) < total {
				page.NextURL = link(offset + agreementsPageSize)
			}
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// agreementRow is one case in a list.
func agreementRow(l *view.Layout, ag *distans.Agreement, why []string) view.AgreementRow {
	row := view.AgreementRow{ID: ag.ID, Number: ag.Number, PersonName: ag.PersonName, UnitName: ag.UnitName,
		State: l.T("agr.state." + string(ag.State)), StateKey: string(ag.State), NextFollowUp: l.DateP(ag.NextFollowUp()), Why: why}
	switch {
	case ag.Terms != nil:
		row.Period = l.Date(ag.Terms.Start) + " – " + l.Date(ag.Terms.End)
	case !ag.Request.Start.IsZero():
		row.Period = l.Date(ag.Request.Start) + " – " + l.Date(ag.Request.End)
	}
	return row
}

// queueReasons says why a case is in the manager's queue.
func queueReasons(l *view.Layout, ag *distans.Agreement, today time.Time) []string {
	var why []string
	switch ag.State {
	case distans.AgreementRequested:
		why = append(why, l.T("agr.why.assess"))
	case distans.AgreementAssessed:
		if ag.Risk != nil && !ag.Risk.AnsweredAt.IsZero() && ag.Risk.Outcome == "" {
			why = append(why, l.T("agr.why.risk"))
		}
		why = append(why, l.T("agr.why.decide"))
	case distans.AgreementAwaitingSignature:
		if ag.Signed(distans.SignerManager) == nil {
			why = append(why, l.T("agr.why.sign_manager"))
		} else {
			why = append(why, l.T("agr.why.sign_employee"))
		}
	case distans.AgreementActive:
		switch {
		case ag.FollowUpOverdue(today):
			why = append(why, l.T("agr.why.follow_up_overdue", l.DateP(ag.NextFollowUpOn)))
		case ag.NextFollowUpOn != nil && !ag.NextFollowUpOn.After(today):
			why = append(why, l.T("agr.why.follow_up_due", l.DateP(ag.NextFollowUpOn)))
		}
		if ag.ExpiresWithin(today, 60) {
			why = append(why, l.T("agr.why.expiring", l.Date(ag.Terms.End)))
		}
	}
	return why
}
