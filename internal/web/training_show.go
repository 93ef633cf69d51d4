package web

import (
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// trainingShow is Utbildning: where the person stands with every course
// the pack asks of them, the form to record one completed, what they have
// recorded, and the catalogue with who must take each course and why.
func (web *Web) trainingShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		page, err := web.trainingPage(w, r, a, nil)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// trainingPage builds Utbildning; f is the completion form as typed, nil
// for an empty one.
func (web *Web) trainingPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, f *view.Form) (*view.TrainingPage, error) {
	ctx := r.Context()
	svc := web.svc.Training
	l, tabs := web.trainingLayout(w, r, a, "tr.title")
	p := l.P
	if f == nil {
		f = view.NewForm()
	}
	page := &view.TrainingPage{Layout: l, SectionTabs: tabs, Form: f}
	courses, err := svc.Courses(ctx)
	if err != nil {
		return nil, err
	}
	titles := map[string]string{}
	page.Courses = []view.Option{{Value: "", Label: p.T("tr.choose_course")}}
	for _, c := range courses {
		titles[c.ID] = pick(p, c.Title)
		page.Courses = append(page.Courses, view.Option{Value: c.ID, Label: titles[c.ID]})
		page.Catalogue = append(page.Catalogue, courseRow(p, c))
	}
	completions, err := svc.ListCompletions(ctx, a.PersonID)
	if err != nil {
		return nil, err
	}
	// The latest completion of each course carries the certificate the
	// course's row links to (the list is newest first).
	latest := map[string]*distans.TrainingCompletion{}
	for _, c := range completions {
		if latest[c.CourseID] == nil {
			latest[c.CourseID] = c
		}
		page.Completions = append(page.Completions, completionRow(&page.Layout, c, titles))
	}
	statuses, err := svc.PersonTraining(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, st := range statuses {
		row := trainingRow(&page.Layout, st, titles)
		if c := latest[st.CourseID]; c != nil && c.Certificate != nil && st.CompletedOn != nil && c.CompletedOn.Equal(*st.CompletedOn) {
			row.Certificate = certificateHref(c)
		}
		page.Mine = append(page.Mine, row)
	}
	return page, nil
}

func certificateHref(c *distans.TrainingCompletion) string {
	return "/training/completions/" + c.ID + "/certificate"
}

// trainingRow is one course as it stands for one person.
func trainingRow(l *view.Layout, st distans.TrainingStatus, titles map[string]string) view.TrainingRow {
	row := view.TrainingRow{Course: courseTitle(titles, st.CourseID), State: l.T("tr.state." + string(st.State)),
		Missing: st.State.Missing(), Due: l.Date(st.DueOn), Completed: l.DateP(st.CompletedOn), Citation: st.Citation}
	if st.DaysOverdue > 0 {
		row.Overdue = l.T("tr.days_overdue", st.DaysOverdue)
	}
	if st.State == distans.TrainingDone && st.ExpiresOn != nil {
		row.Completed += " (" + l.T("tr.expires", l.Date(*st.ExpiresOn)) + ")"
	}
	return row
}

func courseTitle(titles map[string]string, id string) string {
	if t := titles[id]; t != "" {
		return t
	}
	return id // a course the active pack no longer has
}

func completionRow(l *view.Layout, c *distans.TrainingCompletion, titles map[string]string) view.CompletionRow {
	row := view.CompletionRow{Course: courseTitle(titles, c.CourseID), Completed: l.Date(c.CompletedOn),
		Source: label(l.P, "tr.source.", string(c.Source)), RecordedBy: c.RecordedByName}
	if c.Certificate != nil {
		row.Certificate = certificateHref(c)
	}
	return row
}

// courseRow is a course of the catalogue in the reader's language.
func courseRow(p locale.Printer, c *distans.Course) view.CourseRow {
	row := view.CourseRow{ID: c.ID, Title: pick(p, c.Title), Description: pick(p, c.Description), URL: c.URL,
		Deadline: p.T("tr.deadline_days", c.DeadlineDays), Renewal: p.T("tr.renew_never"),
		Citation: c.Citation, Quote: c.Source.Quote, QuoteLabel: p.T("clause.quote")}
	if c.RenewMonths > 0 {
		row.Renewal = p.T("tr.renew_months", c.RenewMonths)
	}
	var who []string
	if c.Audience.Everyone {
		who = append(who, p.T("tr.audience.everyone"))
	}
	if len(c.Audience.Roles) > 0 {
		names := make([]string, len(c.Audience.Roles))
		for i, role := range c.Audience.Roles {
			names[i] = role.Label(p.Lang())
		}
		who = append(who, p.T("tr.audience.roles", strings.Join(names, ", ")))
	}
	if len(c.Audience.UnitCodes) > 0 {
		who = append(who, p.T("tr.audience.units", strings.Join(c.Audience.UnitCodes, ", ")))
	}
	row.Audience = strings.Join(who, "; ")
	return row
}

// readCompletion reads the completion form (course, date, an optional
// certificate file) into a request; a date that does not parse and a file
// over the limit are messages on their fields. The file's type is what its
// content is, whatever its name says, so that distans.ValidateCompletion
// refuses a text file named .pdf.
func readCompletion(r *http.Request, f *view.Form) *distans.CompletionRequest {
	req := &distans.CompletionRequest{PersonID: f.Value("person_id"), CourseID: f.Value("course_id")}
	if d := parseDay(r, f, "completed_on", false); d != nil {
		req.CompletedOn = *d
	}
	if r.MultipartForm == nil {
		return req
	}
	fhs := r.MultipartForm.File["certificate"]
	if len(fhs) == 0 || (fhs[0].Size == 0 && fhs[0].Filename == "") {
		return req
	}
	if fhs[0].Size > distans.MaxAttachment {
		sv, en := "Intyget får vara högst 10 MB.", "The certificate may be at most 10 MB."
		f.Fail("certificate", map[bool]string{true: en, false: sv}[printer(r).Lang() == "en"])
		return req
	}
	file, err := fhs[0].Open()
	if err != nil {
		f.Fail("certificate", printer(r).T("form.invalid"))
		return req
	}
	defer file.Close()
	b := make([]byte, fhs[0].Size)
	if _, err := io.ReadFull(file, b); err != nil {
		f.Fail("certificate", printer(r).T("form.invalid"))
		return req
	}
	ct := http.DetectContentType(b)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	req.Certificate = &distans.Attachment{Name: fhs[0].Filename, ContentType: ct, Size: int64(len(b)), Content: b}
	return req
}

// validateCompletion checks what the page can before the service: the
// domain's own rule, with the employment's first day left to the service.
func (web *Web) validateCompletion(r *http.Request, a *distans.Actor, f *view.Form, req *distans.CompletionRequest) {
	if f.Error("completed_on") != "" {
		return
	}
	validationFailed(r, f, distans.ValidateCompletion(req, time.Time{}, web.today(r, a)))
}

// trainingComplete records the person's own completion and comes back to
// Utbildning; bad input comes back on the form with nothing saved.
func (web *Web) trainingComplete() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		f := readForm(r, "course_id", "completed_on")
		req := readCompletion(r, f)
		req.PersonID = ""
		web.validateCompletion(r, a, f, req)
		var err error
		if f.Failed() {
			err = failedForm(r, f)
		} else {
			_, err = web.svc.Training.RecordCompletion(r.Context(), req)
		}
		if err != nil {
			status, _, ok := eqFailed(r, f, err, "", "course_id")
			if !ok {
				web.fail(w, r, err)
				return
			}
			page, perr := web.trainingPage(w, r, a, f)
			if perr != nil {
				web.fail(w, r, perr)
				return
			}
			web.render(w, r, status, page)
			return
		}
		web.done(w, r, "/training", "tr.recorded")
	})
}

// trainingCertificate is a completion's certificate, for those who see
// the person's training; anyone else gets the 404 page.
func (web *Web) trainingCertificate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		att, err := web.svc.Training.Certificate(r.Context(), r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", att.ContentType)
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": att.Name}))
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, _ = w.Write(att.Content)
	})
}
