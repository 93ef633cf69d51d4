package web

import (
	"net/http"
	"net/url"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// trainingCoverage is a course's coverage: a manager's subtree (who is
// missing it and how many days overdue, the counts per unit), or the
// organisation's counts for HR and ledning. What it holds is the
// service's answer: names only where the actor follows training.
func (web *Web) trainingCoverage() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !seesCoverage(a) {
			web.forbidden(w, r)
			return
		}
		q := r.URL.Query()
		page, err := web.coveragePage(w, r, a, q.Get("course"), q.Get("unit"), nil)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// recordsForOthers reports whether the actor is offered the form that
// records a completion for someone in their scope: managers and HR
// (Actor.RecordsTrainingOf decides for each person, in the store).
func recordsForOthers(a *distans.Actor) bool {
	return !a.RoleScope(distans.RoleManager).None() || !a.RoleScope(distans.RoleHR).None()
}

// coveragePage builds the coverage of courseID (the catalogue's first when
// empty) in unitID's subtree (the actor's scope when empty); f is the
// record form as typed, nil for an empty one.
func (web *Web) coveragePage(w http.ResponseWriter, r *http.Request, a *distans.Actor, courseID, unitID string, f *view.Form) (*view.TrainingCoveragePage, error) {
	ctx := r.Context()
	svc := web.svc.Training
	l, tabs := web.trainingLayout(w, r, a, "tr.coverage_title")
	p := l.P
	page := &view.TrainingCoveragePage{Layout: l, SectionTabs: tabs}
	courses, err := svc.Courses(ctx)
	if err != nil {
		return nil, err
	}
	if len(courses) == 0 {
		page.NoCourse = true
		return page, nil
	}
	titles := map[string]string{}
	for _, c := range courses {
		titles[c.ID] = pick(p, c.Title)
		page.Courses = append(page.Courses, view.Option{Value: c.ID, Label: titles[c.ID]})
	}
	if _, ok := titles[courseID]; !ok {
		courseID = courses[0].ID
	}
	page.Course = courseID
	// The units to choose from are those the actor sees coverage of: the
	// whole organisation for those who see its counts, else where they
	// follow training.
	tree, err := web.unitTree(ctx, false)
	if err != nil {
		return nil, err
	}
	scope := a.FollowsTrainingIn()
	if a.SeesTrainingCounts() {
		scope = distans.Scope{All: true}
	}
	page.Units = []view.Option{{Value: "", Label: p.T("tr.coverage_all")}}
	for _, o := range tree.options() {
		if u := tree.byID[o.Value]; u != nil && scope.Contains(u.Path) {
			page.Units = append(page.Units, o)
		}
	}
	cov, err := svc.Coverage(ctx, courseID, unitID)
	if err != nil {
		return nil, err
	}
	page.Unit = unitID
	page.Summary = p.T("tr.coverage_summary", cov.Required, cov.Done, cov.Overdue)
	for _, u := range cov.PerUnit {
		page.PerUnit = append(page.PerUnit, view.UnitTrainingRow{Unit: u.UnitName, Required: u.Required, Done: u.Done, Overdue: u.Overdue})
	}
	page.Names = !a.FollowsTrainingIn().None()
	// The most overdue first, as many as a page can hold; a unit chosen
	// shows its own.
	missing := cov.Missing
	if len(missing) > maxMissingShown {
		page.MoreMissing = p.T("tr.missing_more", maxMissingShown, len(missing))
		missing = missing[:maxMissingShown]
	}
	for _, st := range missing {
		row := view.MissingRow{Person: st.PersonName, Unit: st.UnitName, State: p.T("tr.state." + string(st.State)), Due: page.Date(st.DueOn)}
		if st.DaysOverdue > 0 {
			row.Overdue = p.T("tr.days_overdue", st.DaysOverdue)
		}
		page.Missing = append(page.Missing, row)
		page.People = append(page.People, view.Option{Value: st.PersonID, Label: st.PersonName + " (" + st.UnitName + ")"})
	}
	if recordsForOthers(a) && len(page.People) > 0 {
		if f == nil {
			f = view.NewForm()
		}
		page.People = append([]view.Option{{Value: "", Label: p.T("tr.choose_person")}}, page.People...)
		page.Form = f
	}
	return page, nil
}

// maxMissingShown is how many of those missing a course the coverage page
// lists: the whole organisation's may be thousands.
const maxMissingShown = 200

// trainingCoverageRecord records a completion for someone in the actor's
// scope from the coverage page and comes back to it; bad input comes back
// on the form with nothing saved.
func (web *Web) trainingCoverageRecord() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		f := readForm(r, "person_id", "course_id", "completed_on", "unit")
		req := readCompletion(r, f)
		if req.PersonID == "" {
			f.Fail("person_id", printer(r).T("tr.choose_person"))
		}
		web.validateCompletion(r, a, f, req)
		var err error
		if f.Failed() {
			err = failedForm(r, f)
		} else {
			_, err = web.svc.Training.RecordCompletion(r.Context(), req)
		}
		if err != nil {
			status, _, ok := eqFailed(r, f, err, "", "person_id")
			if !ok {
				web.fail(w, r, err)
				return
			}
			page, perr := web.coveragePage(w, r, a, req.CourseID, f.Value("unit"), f)
			if perr != nil {
				web.fail(w, r, perr)
				return
			}
			web.render(w, r, status, page)
			return
		}
		back := url.Values{"course": {req.CourseID}}
		if u := f.Value("unit"); u != "" {
			back.Set("unit", u)
		}
		web.done(w, r, "/training/coverage?"+back.Encode(), "tr.recorded")
	})
}
