package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// agreementShow is one case: every step so far, in order, and a form for
// each thing the viewer may do next.
func (web *Web) agreementShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		page, err := web.agreementPage(w, r, a, r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// agreementPage builds the case page with every form the viewer is
// offered, prefilled; an action that failed replaces its form with what
// was typed.
func (web *Web) agreementPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, id string) (*view.AgreementPage, error) {
	ag, err := web.svc.Agreements.FindAgreement(r.Context(), id)
	if err != nil {
		return nil, err
	}
	l := web.layout(w, r)
	p := l.P
	l.Title = l.T("agr.case_title", ag.Number)
	page := &view.AgreementPage{Layout: l, A: ag, StateLabel: p.T("agr.state." + string(ag.State))}
	page.IsEmployee = a.IsAgreementEmployee(ag)
	page.IsManager = a.ManagesAgreement(ag)
	page.CanReveal = ag.PlaceSet && a.SeesAgreement(ag)
	page.RequestDays = daysText(p, ag.Request.Weekdays, ag.Request.DaysPerWeek)
	page.Steps = agreementSteps(&page.Layout, ag)
	page.DecideNotes = web.packNotes(r, policy.FormAgreementDecision)

	emp, mgr := page.IsEmployee, page.IsManager
	beforeDecision := ag.State == distans.AgreementRequested || ag.State == distans.AgreementAssessed
	version := strconv.Itoa(ag.Version)
	newForm := func() *view.Form { f := view.NewForm(); f.Set("version", version); return f }

	if beforeDecision && emp {
		page.CanEditRequest, page.CanWithdraw = true, true
	}
	if ag.Assessment != nil {
		as := ag.Assessment
		page.Assessment = []view.QA{{Q: p.T("agr.q.operation"), A: as.Operation}, {Q: p.T("agr.q.individual"), A: as.Individual},
			{Q: p.T("agr.q.extent"), A: as.Extent}, {Q: p.T("agr.q.availability"), A: as.Availability},
			{Q: p.T("agr.q.meetings"), A: as.Meetings}, {Q: p.T("agr.q.common_days"), A: as.CommonDays}}
	} else if ag.State == distans.AgreementRequested && mgr {
		page.AssessForm = newForm()
	}

	reviewed := ag.Risk != nil && ag.Risk.Outcome != ""
	if ag.Risk != nil {
		for _, k := range distans.RiskItems {
			ans := ag.Risk.Answers[k]
			page.RiskAnswers = append(page.RiskAnswers, view.RiskRow{Key: k, Label: p.T("agr.risk." + k), OK: ans.OK, Comment: ans.Comment})
		}
		if reviewed {
			page.RiskOutcome = p.T("agr.outcome." + string(ag.Risk.Outcome))
		}
	}
	if beforeDecision && emp && !reviewed {
		f := newForm()
		if ag.Risk != nil {
			for k, ans := range ag.Risk.Answers {
				f.Set("answers."+k, map[bool]string{true: "ok", false: "deficiency"}[ans.OK])
				f.Set("answers."+k+".comment", ans.Comment)
			}
		}
		page.RiskForm = f
	}
	if beforeDecision && mgr && ag.Risk != nil && !ag.Risk.AnsweredAt.IsZero() && !reviewed {
		page.ReviewForm = newForm()
	}
	for _, o := range distans.RiskOutcomes {
		page.Outcomes = append(page.Outcomes, view.Option{Value: string(o), Label: p.T("agr.outcome." + string(o))})
	}
	if ag.State == distans.AgreementAssessed && mgr {
		page.DecideForm = newForm()
	}
	if beforeDecision {
		// The decision needs the pack too: a pack that cannot be read is
		// an error here rather than a check that seems to find nothing.
		findings, err := web.svc.Agreements.RequestFindings(r.Context(), ag.ID)
		if err != nil {
			return nil, err
		}
		page.ShowRequestFindings = true
		for _, f := range findings {
			page.RequestFindings = append(page.RequestFindings, findingRow(p, f))
		}
	}

	// The employee sees what the pack requires of them before the
	// agreement is approved or signed; a manager sees the same findings
	// among the request's.
	// among the request's. The employee's box holds them once: they are
	// taken out of the request's findings shown beside it.
	if emp && !mgr && (beforeDecision || ag.State == distans.AgreementAwaitingSignature) {
		pre, err := web.svc.Agreements.Preconditions(r.Context(), ag.ID)
		if err != nil {
			return nil, err
		}
		page.ShowPreconditions = true
		inBox := map[string]bool{}
		for _, f := range pre {
			page.Preconditions = append(page.Preconditions, findingRow(p, f))
			inBox[f.RuleID] = true
		}
		page.RequestFindings = slices.DeleteFunc(page.RequestFindings, func(f view.AgreementFindingRow) bool { return inBox[f.RuleID] })
	}

	if ag.Terms != nil {
		page.TermsDays = daysText(p, ag.Terms.Weekdays, ag.Terms.DaysPerWeek)
		page.Terms = termsText(p, ag.Terms)
		page.Hash = ag.TermsHash
	}
	for _, f := range ag.Findings {
		row := findingRow(p, f)
		if ag.Terms != nil {
			row.Comment = ag.Terms.Comments[f.RuleID]
		}
		page.Findings = append(page.Findings, row)
	}
	if ag.State == distans.AgreementAwaitingSignature && ag.Terms != nil {
		if mgr {
			page.TermsForm = termsForm(ag.Terms, version)
			web.fillHeldEquipment(r, page, ag)
		}
		switch {
		case emp && ag.Signed(distans.SignerEmployee) == nil:
			page.SignForm, page.SignRole = newForm(), string(distans.SignerEmployee)
		case mgr && ag.Signed(distans.SignerManager) == nil:
			page.SignForm, page.SignRole = newForm(), string(distans.SignerManager)
		}
	}
	for _, s := range ag.Signatures {
		prefix := s.Hash
		if len(prefix) > 12 {
			prefix = prefix[:12]
		}
		page.Signatures = append(page.Signatures, view.SignatureRow{Role: p.T("agr.signer." + string(s.Role)), Name: s.Name,
			At: l.DateTime(s.At), HashPrefix: prefix})
	}
	page.PDF = ag.Signed(distans.SignerEmployee) != nil && ag.Signed(distans.SignerManager) != nil
	for _, fu := range ag.FollowUps {
		page.FollowUps = append(page.FollowUps, view.FollowUpRow{Date: l.Date(fu.Date), RecordedBy: fu.RecordedByName, Answers: []view.QA{
			{Q: p.T("agr.fu.goals"), A: fu.Goals}, {Q: p.T("agr.fu.quality"), A: fu.Quality},
			{Q: p.T("agr.fu.availability"), A: fu.Availability}, {Q: p.T("agr.fu.work_situation"), A: fu.WorkSituation},
			{Q: p.T("agr.fu.digital_env"), A: fu.DigitalEnv}, {Q: p.T("agr.fu.spill_over"), A: fu.SpillOver},
			{Q: p.T("agr.fu.spill_over_rating"), A: fu.SpillOverRating.Label(p.Lang())},
			{Q: p.T("agr.fu.measures"), A: fu.Measures}}})
	}
	for _, r := range distans.SpillOverRatings {
		page.SpillOverRatings = append(page.SpillOverRatings, view.Option{Value: string(r), Label: r.Label(p.Lang())})
	}
	if ag.State == distans.AgreementActive {
		today := l.Date(web.today(r, a))
		if mgr {
			f := newForm()
			f.Set("date", today)
			page.FollowUpForm = f
			f = newForm()
			f.Set("evaluation_date", today)
			page.EvaluationForm = f
			if ag.Evaluation != nil && ag.Evaluation.Continue && ag.RenewedBy == "" {
				page.RenewForm = newForm()
			}
		}
		if emp || mgr {
			page.EndForm, page.EndByManager = newForm(), mgr
		}
	}
	return page, nil
}

// agreementSteps is the journey in order: what is done, by whom and when,
// and the step the case waits for.
func agreementSteps(l *view.Layout, ag *distans.Agreement) []view.StepRow {
	p := l.P
	steps := []view.StepRow{{Label: p.T("agr.step.request"), Done: true, Detail: ag.PersonName + ", " + l.DateTime(ag.CreatedAt)}}
	add := func(key string, done bool, detail string) {
		steps = append(steps, view.StepRow{Label: p.T(key), Done: done, Detail: detail})
	}
	if ag.State == distans.AgreementWithdrawn {
		add("agr.step.withdrawn", true, l.DateTime(ag.UpdatedAt))
		return steps
	}
	if as := ag.Assessment; as != nil {
		add("agr.step.assessment", true, as.AssessedName+", "+l.DateTime(as.AssessedAt))
	} else {
		add("agr.step.assessment", false, "")
	}
	if rk := ag.Risk; rk != nil && rk.Outcome != "" {
		add("agr.step.risk", true, rk.ReviewedName+", "+l.DateTimeP(rk.ReviewedAt)+": "+p.T("agr.outcome."+string(rk.Outcome)))
	} else if rk != nil {
		add("agr.step.risk", false, p.T("agr.risk_answered", l.DateTime(rk.AnsweredAt)))
	} else {
		add("agr.step.risk", false, "")
	}
	if d := ag.Decision; d != nil {
		verdict := p.T("agr.declined")
		if d.Approved {
			verdict = p.T("agr.approved")
		}
		add("agr.step.decision", true, verdict+", "+d.DecidedName+", "+l.DateTime(d.DecidedAt))
	} else {
		add("agr.step.decision", false, "")
	}
	if ag.State == distans.AgreementDeclined {
		return markCurrent(steps)
	}
	var names []string
	for _, s := range ag.Signatures {
		names = append(names, s.Name+" "+l.DateTime(s.At))
	}
	add("agr.step.signed", len(ag.Signatures) >= 2, strings.Join(names, "; "))
	fu := ""
	if len(ag.FollowUps) > 0 {
		fu = l.Date(ag.FollowUps[0].Date)
	} else if ag.NextFollowUp() != nil {
		fu = p.T("agr.next_follow_up_on", l.DateP(ag.NextFollowUp()))
	}
	add("agr.step.follow_up", len(ag.FollowUps) > 0, fu)
	if ag.State == distans.AgreementEnded {
		detail := p.T("agr.end_reason." + string(ag.EndReason))
		if ag.EndedOn != nil {
			detail += ", " + l.DateP(ag.EndedOn)
		}
		add("agr.step.ended", true, detail)
	} else {
		add("agr.step.ended", false, "")
	}
	return markCurrent(steps)
}

func markCurrent(steps []view.StepRow) []view.StepRow {
	for i := range steps {
		if !steps[i].Done {
			steps[i].Current = true
			break
		}
	}
	return steps
}

// daysText is the remote days in words: the weekdays, or a number a week.
func daysText(p locale.Printer, weekdays []string, perWeek int) string {
	if len(weekdays) > 0 {
		names := make([]string, 0, len(weekdays))
		for _, d := range distans.Weekdays {
			if slices.Contains(weekdays, d) {
				names = append(names, p.T("weekday."+d))
			}
		}
		return strings.Join(names, ", ")
	}
	if perWeek > 0 {
		return p.T("agr.per_week", perWeek)
	}
	return ""
}

// termsText is every part of the written agreement in words (002 §11).
func termsText(p locale.Printer, t *distans.Terms) []view.QA {
	yes := func(b bool) string {
		if b {
			return p.T("agr.yes")
		}
		return p.T("agr.no")
	}
	words := func(prefix string, keys []string) string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = p.T(prefix + k)
		}
		return strings.Join(out, ", ")
	}
	tax := p.T("agr.tax.none")
	if t.TaxWorkplace != "" {
		tax = p.T("agr.tax." + t.TaxWorkplace)
	}
	return []view.QA{
		{Q: p.T("agr.period"), A: t.Start.Format("2006-01-02") + " – " + t.End.Format("2006-01-02")},
		{Q: p.T("agr.days"), A: daysText(p, t.Weekdays, t.DaysPerWeek)},
		{Q: p.T("agr.share_remote"), A: strconv.Itoa(t.ShareRemote) + " %"},
		{Q: p.T("agr.main_workplace"), A: t.MainWorkplace},
		{Q: p.T("agr.tax_workplace"), A: tax},
		{Q: p.T("agr.tasks"), A: t.Tasks},
		{Q: p.T("agr.secrecy_tasks"), A: yes(t.SecrecyTasks)},
		{Q: p.T("agr.working_hours"), A: t.WorkingHours},
		{Q: p.T("agr.availability"), A: words("agr.channel.", t.Availability)},
		{Q: p.T("agr.return_minutes"), A: p.T("agr.minutes", t.ReturnMinutes)},
		{Q: p.T("agr.client_meetings"), A: yes(t.ClientMeetingsAtRemote)},
		{Q: p.T("agr.physical_meetings"), A: t.PhysicalMeetings},
		{Q: p.T("agr.equipment"), A: words("agr.equipment.", t.Equipment)},
		{Q: p.T("agr.conditions"), A: t.Conditions},
		{Q: p.T("agr.evaluation_terms"), A: t.Evaluation},
	}
}

// termsForm is the terms form prefilled from the saved terms. The remote
// place is never read for it: it stays blank unless revealed.
func termsForm(t *distans.Terms, version string) *view.Form {
	f := view.NewForm()
	f.Set("version", version)
	f.Set("start", t.Start.Format("2006-01-02"))
	f.Set("end", t.End.Format("2006-01-02"))
	for _, d := range t.Weekdays {
		f.Set("weekdays_remote."+d, "1")
	}
	if t.DaysPerWeek > 0 {
		f.Set("days_per_week", strconv.Itoa(t.DaysPerWeek))
	}
	f.Set("share_remote", strconv.Itoa(t.ShareRemote))
	f.Set("remote_place", t.RemotePlace)
	f.Set("main_workplace", t.MainWorkplace)
	f.Set("tax_workplace", t.TaxWorkplace)
	f.Set("tasks", t.Tasks)
	f.Set("secrecy_tasks", boolField(t.SecrecyTasks))
	f.Set("working_hours", t.WorkingHours)
	for _, c := range t.Availability {
		f.Set("availability."+c, "1")
	}
	f.Set("return_minutes", strconv.Itoa(t.ReturnMinutes))
	f.Set("client_meetings_at_remote", boolField(t.ClientMeetingsAtRemote))
	f.Set("physical_meetings", t.PhysicalMeetings)
	for _, e := range t.Equipment {
		f.Set("equipment."+e, "1")
	}
	f.Set("conditions", t.Conditions)
	f.Set("evaluation", t.Evaluation)
	for id, c := range t.Comments {
		f.Set("comments."+id, c)
	}
	return f
}

func boolField(b bool) string {
	if b {
		return "1"
	}
	return ""
}

// findingRow is a policy finding in the reader's language, with its clause.
func findingRow(p locale.Printer, f distans.AgreementFinding) view.AgreementFindingRow {
	msg := f.MessageSv
	if p.Lang() == "en" && f.MessageEn != "" {
		msg = f.MessageEn
	}
	citation := f.Citation
	if citation == "" { // stored before findings carried their citation
		citation = policy.Cite(nil, policy.Source{Document: f.Document, Section: f.Section}).String()
	}
	row := view.AgreementFindingRow{RuleID: f.RuleID, Severity: f.Severity, SeverityLabel: p.T("agr.severity." + f.Severity),
		Message: msg, Citation: citation, Quote: f.Quote, CommentLabel: p.T("agr.comment"), QuoteLabel: p.T("clause.quote")}
	if f.Severity == "warn" {
		row.CommentField = "comments." + f.RuleID
	}
	return row
}

// checks are the checkboxes of a multiple choice, ticked as the form says:
// the form keeps a ticked box as name.value = "1".
func checks(p locale.Printer, f *view.Form, name, labelPrefix string, values []string) []view.WeekdayOption {
	out := make([]view.WeekdayOption, len(values))
	for i, v := range values {
		out[i] = view.WeekdayOption{Value: v, Label: p.T(labelPrefix + v), Checked: f.Checked(name + "." + v)}
	}
	return out
}

// readChecks copies the ticked boxes of name into f and returns them in
// the order of allowed; unknown values are kept for the service to refuse.
func readChecks(r *http.Request, f *view.Form, name string) []string {
	var out []string
	for _, v := range r.PostForm[name] {
		v = strings.TrimSpace(v)
		if v == "" || slices.Contains(out, v) {
			continue
		}
		f.Set(name+"."+v, "1")
		out = append(out, v)
	}
	return out
}

// formVersion reads the hidden version a form was made on.
func formVersion(r *http.Request) int {
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	return v
}

// agreementFailed shows the case again after a step failed: a stale
// version as a message with a reload link, bad input next to the fields
// (renamed to the form's names where two forms share a domain name) with
// what was typed kept, and anything else as an error page.
func (web *Web) agreementFailed(w http.ResponseWriter, r *http.Request, a *distans.Actor, form *view.Form, err error,
	rename map[string]string, fallback string, set func(*view.AgreementPage, *view.Form)) {
	var e *distans.Error
	if !errors.As(err, &e) {
		web.fail(w, r, err)
		return
	}
	status := http.StatusUnprocessableEntity
	conflict := ""
	switch e.Code {
	case distans.ECONFLICT:
		status, conflict = http.StatusConflict, e.Message(httpx.Lang(r))
	case distans.EINVALID, distans.EUNAUTHORIZED, distans.ELOCKED:
		tmp := view.NewForm()
		formFailed(r, tmp, err, "")
		form.Message = tmp.Message
		for _, n := range tmp.Order {
			name := n
			if to, ok := rename[n]; ok {
				name = to
			}
			form.Fail(name, tmp.Errors[n])
		}
		if len(tmp.Order) == 0 && fallback != "" {
			form.Fail(fallback, form.Message)
		}
	default:
		web.fail(w, r, err)
		return
	}
	page, perr := web.agreementPage(w, r, a, r.PathValue("id"))
	if perr != nil {
		web.fail(w, r, perr)
		return
	}
	page.Conflict = conflict
	if conflict == "" {
		set(page, form)
	}
	web.render(w, r, status, page)
}

// agreementBack is the case page a step goes back to.
func agreementBack(r *http.Request) string { return "/agreements/" + r.PathValue("id") }

// packNotes are the notes that the active pack of the actor's organisation
// has for a form, in the request's language: a form shows what the
// organisation's own document says, never another's. Without a pack (or
// when it cannot be read) the form shows none.
func (web *Web) packNotes(r *http.Request, form string) []view.PackNote {
	pack, _, err := web.svc.Policies.ActivePolicy(r.Context())
	if err != nil {
		return nil
	}
	en := httpx.Lang(r) == "en"
	var out []view.PackNote
	for _, n := range pack.NotesFor(form) {
		heading, text := n.Heading.Sv, n.Text.Sv
		if en && n.Text.En != "" {
			heading, text = n.Heading.En, n.Text.En
		}
		out = append(out, view.PackNote{Heading: heading, Text: text, Citation: n.Citation, Quote: n.Source.Quote})
	}
	return out
}

// fillHeldEquipment offers to fill the terms' arbetsutrustning from what
// the person has been issued (EquipmentService.HeldCategories) and, when
// asked (?equipment=held), ticks those boxes on the form; nothing is saved
// until the terms are.
func (web *Web) fillHeldEquipment(r *http.Request, page *view.AgreementPage, ag *distans.Agreement) {
	if web.svc.Equipment == nil {
		return
	}
	page.FillEquipment = "/agreements/" + ag.ID + "?equipment=held#terms-form-heading"
	if r.URL.Query().Get("equipment") != "held" {
		return
	}
	held, err := web.svc.Equipment.HeldCategories(r.Context(), ag.PersonID)
	if err != nil {
		web.log.WarnContext(r.Context(), "held equipment for the agreement", "err", err)
		return
	}
	for k := range page.TermsForm.Values {
		if strings.HasPrefix(k, "equipment.") {
			delete(page.TermsForm.Values, k)
		}
	}
	for _, kind := range held {
		page.TermsForm.Set("equipment."+kind, "1")
	}
	page.EquipmentFilled = true
}
