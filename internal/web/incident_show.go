package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// incidentShow is one incident: the facts, the clocks as countdowns, a
// form for each thing the viewer may do next, and the timeline.
func (web *Web) incidentShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		page, err := web.incidentPage(w, r, a, r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// incidentPage builds the incident page with the forms the viewer is
// offered. What the viewer sees is the service's answer and
// Actor.IncidentAccess; what they may do, Actor.HandlesIncident.
func (web *Web) incidentPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, id string) (*view.IncidentPage, error) {
	ctx := r.Context()
	svc := web.svc.Incidents
	inc, err := svc.Incident(ctx, id)
	if err != nil {
		return nil, err
	}
	l := web.layout(w, r)
	p := l.P
	now := distans.NowFrom(ctx)
	l.Title = p.T("inc.case_title", inc.Number)
	page := &view.IncidentPage{Layout: l, I: inc, Access: a.IncidentAccess(inc), State: p.T("inc.state." + string(inc.State)),
		Kind: p.T("inc.kind_short." + string(inc.Kind))}
	if inc.Severity != "" {
		page.Severity = p.T("inc.severity." + string(inc.Severity))
	}
	handles := a.HandlesIncident(inc) && inc.State != distans.IncidentClosed
	page.Handles = handles
	pl := &page.Layout

	secret := func(field string) (withheld, marked bool) {
		return slices.Contains(inc.Redacted, field), slices.Contains(inc.SecretFields, field)
	}
	yes := func(b bool) string {
		if b {
			return p.T("inc.yes")
		}
		return p.T("inc.no")
	}
	fact := func(q, field, value string, para bool) view.SecretQA {
		withheld, marked := secret(field)
		return view.SecretQA{Q: q, A: value, Secret: withheld, Marked: marked && !withheld, Paragraph: para}
	}
	page.Facts = []view.SecretQA{
		{Q: p.T("inc.occurred"), A: pl.DateTimeP(inc.OccurredAt)},
		{Q: p.T("inc.discovered"), A: pl.DateTime(inc.DiscoveredAt)},
		fact(p.T("inc.description"), "description", inc.Description, true),
		fact(p.T("inc.systems"), "systems", inc.Systems, true),
		{Q: p.T("inc.ongoing"), A: yes(inc.Ongoing)},
		{Q: p.T("inc.outside_premises"), A: yes(inc.OutsidePremises)},
	}
	if inc.Kind == distans.IncidentWorkInjury || inc.InjurySerious {
		page.Facts = append(page.Facts, view.SecretQA{Q: p.T("inc.injury_serious"), A: yes(inc.InjurySerious)})
	}
	if inc.CyberSignificant {
		page.Facts = append(page.Facts, view.SecretQA{Q: p.T("inc.cyber_significant"), A: yes(true)})
	}
	if inc.PoliceReport != "" || slices.Contains(inc.Redacted, "police_report") {
		page.Facts = append(page.Facts, fact(p.T("inc.police_report"), "police_report", inc.PoliceReport, false))
	}
	if inc.RegisteredByID != "" && inc.RegisteredByID != inc.ReporterID {
		page.Facts = append(page.Facts, view.SecretQA{Q: p.T("inc.reported_at"), A: pl.DateTime(inc.CreatedAt)})
	}

	page.DutyOutcomes = []view.Option{{Value: "done", Label: p.T("inc.duty.done")}, {Value: "not_required", Label: p.T("inc.duty.not_required")}}
	for _, c := range inc.Clocks {
		row := view.ClockRow{Duty: c.Duty, Label: policyText(p, c.Label, "inc.duty_label."+c.Duty), Citation: c.Citation,
			Light: clockLight(pl, c, now), Note: c.Note, Open: c.Open()}
		switch {
		case c.DoneAt != nil && c.NotRequired:
			row.Outcome = p.T("inc.clock.not_required", pl.DateTime(*c.DoneAt))
		case c.DoneAt != nil:
			row.Outcome = p.T("inc.clock.done", pl.DateTime(*c.DoneAt))
			if c.Reference != "" {
				row.Outcome += " · " + p.T("inc.clock.reference", c.Reference)
			}
		}
		page.Clocks = append(page.Clocks, row)
		if handles && c.Open() {
			prefix := "duty." + c.Duty + "."
			f := view.NewForm()
			f.Set("duty", c.Duty)
			f.Set(prefix+"at", pl.DateTime(now))
			page.DutyForms = append(page.DutyForms, view.DutyFormView{Duty: c.Duty, Label: row.Label, Prefix: prefix, Form: f})
		}
	}

	owners := web.incidentOwners(r, a, inc)
	page.Owners = owners
	if handles {
		f := view.NewForm()
		f.Set("version", strconv.Itoa(inc.Version))
		f.Set("kind", string(inc.Kind))
		f.Set("severity", string(inc.Severity))
		f.Set("owner_id", inc.OwnerID)
		if inc.OwnerID == "" {
			f.Set("owner_id", a.PersonID)
		}
		for name, on := range map[string]bool{"cyber_significant": inc.CyberSignificant, "injury_serious": inc.InjurySerious,
			"outside_premises": inc.OutsidePremises} {
			if on {
				f.Set(name, "1")
			}
		}
		for _, s := range inc.SecretFields {
			f.Set("secret_fields."+s, "1")
		}
		page.TriageForm = f
		page.Kinds = kindOptions(p, "inc.kind_short.")
		page.Severities = []view.Option{{Value: "", Label: p.T("inc.not_classified")}}
		for _, s := range distans.IncidentSeverities {
			page.Severities = append(page.Severities, view.Option{Value: string(s), Label: p.T("inc.severity." + string(s))})
		}
	}

	if inc.Kind == distans.IncidentPersonalData && page.Access >= distans.IncidentAccessUnit {
		versions, err := svc.RiskAssessments(ctx, inc.ID)
		switch {
		case err == nil:
			page.ShowRisk = true
			slices.SortFunc(versions, func(x, y *distans.IncidentRiskAssessment) int { return y.Version - x.Version })
			for i, v := range versions {
				row := riskRow(pl, v)
				if i == 0 {
					page.RiskCurrent = &row
				} else {
					page.RiskEarlier = append(page.RiskEarlier, row)
				}
			}
			if handles {
				f := view.NewForm()
				if len(versions) > 0 {
					v := versions[0]
					for _, c := range v.DataCategories {
						f.Set("data_categories."+c, "1")
					}
					for _, c := range v.Consequences {
						f.Set("consequences."+c, "1")
					}
					f.Set("data_subjects", v.DataSubjects)
					f.Set("subject_count", strconv.Itoa(v.SubjectCount))
					f.Set("record_count", strconv.Itoa(v.RecordCount))
					f.Set("risk_level", v.RiskLevel)
					f.Set("reasoning", v.Reasoning)
				}
				page.RiskForm = f
			}
		case !refused(err):
			return nil, err
		}

		n, err := svc.IMYNotification(ctx, inc.ID)
		switch {
		case err == nil:
			page.IMY, page.ShowIMY = n, true
			for _, s := range n.Supplements {
				page.Supplements = append(page.Supplements, view.SupplementRow{At: pl.DateTime(s.At), Text: s.Text})
			}
		case !refused(err):
			return nil, err
		}
		if handles {
			page.ShowIMY = true
			page.IMYForm = imyForm(pl, inc, n)
			if n != nil {
				f := view.NewForm()
				f.Set("supplement.at", pl.DateTime(now))
				page.SupplementForm = f
			}
		}
	}
	page.RiskCats = checkOptions(page.RiskForm, p, "data_categories", "inc.cat.", distans.IncidentDataCategories)
	page.RiskCons = checkOptions(page.RiskForm, p, "consequences", "inc.cons.", distans.IncidentConsequences)
	for _, lv := range distans.IncidentRiskLevels {
		page.RiskLevel = append(page.RiskLevel, view.Option{Value: lv, Label: p.T("inc.level." + lv)})
	}
	for _, c := range imyCategories {
		page.IMYCategories = append(page.IMYCategories, view.Option{Value: c, Label: p.T("inc.imy.cat." + c)})
	}
	page.IMYSecretParts = checkOptions(page.IMYForm, p, "imy.secret_parts", "inc.imy.", imySecretParts)
	page.Secrets = checkOptions(page.TriageForm, p, "secret_fields", "inc.secret_field.", distans.IncidentSecretFields)

	today := distans.DateOf(now.In(pl.Loc))
	for _, m := range inc.Measures {
		row := view.MeasureRow{ID: m.ID, Text: m.Text, Owner: m.OwnerName, Due: pl.Date(m.DueOn), Status: p.T("inc.measure.open")}
		switch {
		case m.DoneAt != nil:
			row.Status = p.T("inc.measure.done", pl.DateTime(*m.DoneAt))
		case m.DueOn.Before(today):
			row.Status, row.Overdue = p.T("inc.measure.overdue"), true
		}
		row.CanComplete = handles && m.DoneAt == nil
		page.Measures = append(page.Measures, row)
	}
	if handles {
		f := view.NewForm()
		f.Set("measure.owner_id", a.PersonID)
		page.MeasureForm = f
	}

	for _, lk := range inc.Links {
		row := view.LinkRow{Kind: p.T("inc.link.kind." + lk.Kind), Label: lk.Label}
		if row.Label == "" {
			row.Label = lk.TargetID
		}
		switch lk.Kind {
		case "person":
			row.Href = "/people/" + lk.TargetID
		case "agreement":
			row.Href = "/agreements/" + lk.TargetID
		case "equipment":
			row.Href = "/equipment/items/" + lk.TargetID
		case "equipment_loss":
			row.Href = "/equipment/losses/" + lk.TargetID
		}
		page.Links = append(page.Links, row)
	}
	if handles {
		page.LinkForm = view.NewForm()
		page.LinkTargets = web.incidentLinkTargets(r, p, inc)
		page.LinkKinds = []view.Option{{Value: "", Label: p.T("inc.link.choose")}}
		for _, k := range distans.IncidentLinkKinds {
			page.LinkKinds = append(page.LinkKinds, view.Option{Value: k, Label: p.T("inc.link.kind." + k)})
		}
		f := view.NewForm()
		f.Set("version", strconv.Itoa(inc.Version))
		page.CloseForm = f
	}

	if page.Access >= distans.IncidentAccessUnit {
		events, err := svc.Timeline(ctx, inc.ID)
		if err != nil && !refused(err) {
			return nil, err
		}
		for _, e := range events {
			what := e.Summary
			if what == "" {
				what = e.Action
			}
			page.Timeline = append(page.Timeline, view.TimelineRow{At: pl.DateTime(e.At), ISO: pl.ISO(e.At), Who: e.ActorName, What: what})
		}
	}
	return page, nil
}

// refused reports whether err is the service refusing the viewer a part of
// an incident they see (or a part that does not exist yet): the page then
// leaves that part out.
func refused(err error) bool {
	var e *distans.Error
	return errors.As(err, &e) && (e.Code == distans.EFORBIDDEN || e.Code == distans.ENOTFOUND)
}

// imyCategories are IMY's categories of breach; imySecretParts the parts
// of the notification that may be marked for a secrecy examination.
var (
	imyCategories  = []string{"confidentiality", "integrity", "availability"}
	imySecretParts = []string{"data_subjects", "data_kinds", "consequences", "measures"}
)

// imyForm is the IMY notification form, prefilled from the saved
// notification or, before there is one, from the incident.
func imyForm(l *view.Layout, inc *distans.Incident, n *distans.IMYNotification) *view.Form {
	f := view.NewForm()
	if n == nil {
		f.Set("imy.discovered_at", l.DateTime(inc.DiscoveredAt))
		f.Set("imy.started_at", l.DateTimeP(inc.OccurredAt))
		f.Set("imy.controller", l.User.OrgName)
		return f
	}
	for k, v := range map[string]string{"controller": n.Controller, "org_number": n.OrgNumber, "contact": n.Contact,
		"started_at": l.DateTimeP(n.StartedAt), "ended_at": l.DateTimeP(n.EndedAt), "discovered_at": l.DateTime(n.DiscoveredAt),
		"category": n.Category, "data_subjects": n.DataSubjects, "data_kinds": n.DataKinds,
		"consequences": n.Consequences, "measures": n.Measures, "subjects_informed": n.SubjectsInformed,
		"late_reasons": n.LateReasons, "filed_at": l.DateTimeP(n.FiledAt), "imy_reference": n.IMYReference} {
		f.Set("imy."+k, v)
	}
	f.Set("imy.subject_count", strconv.Itoa(n.SubjectCount))
	for _, s := range n.SecretParts {
		f.Set("imy.secret_parts."+s, "1")
	}
	return f
}

// riskRow is one version of the risk assessment in words.
func riskRow(l *view.Layout, v *distans.IncidentRiskAssessment) view.RiskVersionRow {
	p := l.P
	words := func(prefix string, keys []string) string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = p.T(prefix + k)
		}
		return strings.Join(out, ", ")
	}
	level := ""
	if v.RiskLevel != "" {
		level = p.T("inc.level." + v.RiskLevel)
	}
	return view.RiskVersionRow{Heading: p.T("inc.risk.version", v.Version, l.DateTime(v.AssessedAt)),
		Answers: []view.QA{
			{Q: p.T("inc.risk.categories"), A: words("inc.cat.", v.DataCategories)},
			{Q: p.T("inc.risk.subjects"), A: v.DataSubjects},
			{Q: p.T("inc.risk.subject_count"), A: strconv.Itoa(v.SubjectCount)},
			{Q: p.T("inc.risk.record_count"), A: strconv.Itoa(v.RecordCount)},
			{Q: p.T("inc.risk.consequences"), A: words("inc.cons.", v.Consequences)},
			{Q: p.T("inc.risk.level"), A: level},
			{Q: p.T("inc.risk.reasoning"), A: v.Reasoning},
		}}
}

// checkOptions are the boxes of a multiple choice, ticked as f says (f may
// be nil: nothing ticked).
func checkOptions(f *view.Form, p locale.Printer, name, labelPrefix string, values []string) []view.CheckOption {
	out := make([]view.CheckOption, len(values))
	for i, v := range values {
		out[i] = view.CheckOption{Value: v, Label: p.T(labelPrefix + v), Checked: f.Checked(name + "." + v)}
	}
	return out
}

// kindOptions are the eight kinds in the report form's order.
func kindOptions(p locale.Printer, labelPrefix string) []view.Option {
	out := make([]view.Option, len(distans.IncidentKinds))
	for i, k := range distans.IncidentKinds {
		out[i] = view.Option{Value: string(k), Label: p.T(labelPrefix + string(k))}
	}
	return out
}

// policyText is a pack's text in the reader's language, the catalog's
// fallback key when the pack gave none.
func policyText(p locale.Printer, t distans.PolicyText, fallback string) string {
	if p.Lang() == "en" && t.En != "" {
		return t.En
	}
	if t.Sv != "" {
		return t.Sv
	}
	if locale.Has(fallback) {
		return p.T(fallback)
	}
	return strings.TrimPrefix(fallback, "inc.duty_label.")
}

// clockSoon is how near a deadline turns the light amber: a quarter of
// the 72 hours, or the last day of a longer clock.
const clockSoon = 24 * time.Hour

// clockLight is a clock as a traffic light in words: done, passed (red),
// within a day (amber) or further off (green), with the time left.
func clockLight(l *view.Layout, c distans.IncidentClock, now time.Time) view.ClockLight {
	p := l.P
	light := view.ClockLight{Due: l.DateTime(c.DueAt), ISO: l.ISO(c.DueAt), Label: policyText(p, c.Label, "inc.duty_label."+c.Duty)}
	left := c.DueAt.Sub(now)
	switch {
	case !c.Open():
		light.Class, light.Symbol, light.Text = "light-done", "✓", p.T("inc.light.done")
	case c.Passed || left <= 0:
		light.Class, light.Symbol, light.Text = "light-red", "■", p.T("inc.light.passed", duration(p, -left))
	case left <= clockSoon:
		light.Class, light.Symbol, light.Text = "light-amber", "▲", p.T("inc.light.soon", duration(p, left))
	default:
		light.Class, light.Symbol, light.Text = "light-green", "●", p.T("inc.light.ok", duration(p, left))
	}
	return light
}

// duration is d in days and hours, hours and minutes, or minutes.
func duration(p locale.Printer, d time.Duration) string {
	if d < 0 {
		d = 0
	}
	minutes := int(d / time.Minute)
	switch {
	case minutes >= 24*60:
		return p.T("inc.dur.days", minutes/(24*60), minutes%(24*60)/60)
	case minutes >= 60:
		return p.T("inc.dur.hours", minutes/60, minutes%60)
	}
	return p.T("inc.dur.minutes", minutes)
}

// incidentOwners are the people the triage and a measure may name as
// owner: the viewer, the current owner and the reporter.
func (web *Web) incidentOwners(r *http.Request, a *distans.Actor, inc *distans.Incident) []view.Option {
	out := []view.Option{{Value: a.PersonID, Label: a.Name}}
	add := func(id, name string) {
		if id == "" || slices.ContainsFunc(out, func(o view.Option) bool { return o.Value == id }) {
			return
		}
		if name == "" {
			name = id
		}
		out = append(out, view.Option{Value: id, Label: name})
	}
	add(inc.OwnerID, inc.OwnerName)
	for _, m := range inc.Measures {
		add(m.OwnerID, m.OwnerName)
	}
	add(inc.ReporterID, inc.ReporterName)
	return out
}

// incidentLinkTargets are the records offered to link to: the reporter,
// and the reporter's remote-work agreements (a home-workplace injury).
func (web *Web) incidentLinkTargets(r *http.Request, p locale.Printer, inc *distans.Incident) []view.Option {
	out := []view.Option{{Value: "", Label: p.T("inc.link.choose")}}
	if inc.ReporterID != "" {
		out = append(out, view.Option{Value: "person:" + inc.ReporterID, Label: p.T("inc.link.reporter", inc.ReporterName)})
	}
	if web.svc.Agreements != nil && inc.ReporterID != "" {
		ags, _, err := web.svc.Agreements.ListAgreements(r.Context(), distans.AgreementFilter{PersonID: inc.ReporterID, Limit: 20})
		if err != nil {
			web.log.WarnContext(r.Context(), "agreements for incident links", "err", err)
		}
		for _, ag := range ags {
			out = append(out, view.Option{Value: "agreement:" + ag.ID, Label: p.T("inc.link.agreement", ag.Number)})
		}
	}
	return out
}

// parseInstant reads a date and time field, 2026-11-22 14:05, in the
// organisation's time zone. An empty optional field is nil; a bad one gets
// a message on the form.
func parseInstant(r *http.Request, f *view.Form, name string, loc *time.Location, required bool) *time.Time {
	s := strings.TrimSpace(f.Value(name))
	if s == "" {
		if required {
			f.Fail(name, printer(r).T("form.required"))
		}
		return nil
	}
	if loc == nil {
		loc = (&distans.Organisation{}).Location()
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return &t
		}
	}
	f.Fail(name, printer(r).T("inc.bad_time"))
	return nil
}

// incidentFailed answers an incident action the service refused: a user
// error goes back onto the incident page with the form as typed (set puts
// it in its place) and its messages on the fields named prefix + field; a
// stale version says so with a reload link; anything else is an error page.
func (web *Web) incidentFailed(w http.ResponseWriter, r *http.Request, a *distans.Actor, form *view.Form, err error,
	prefix, fallback string, set func(*view.IncidentPage, *view.Form)) {
	var e *distans.Error
	if !errors.As(err, &e) || (e.Code != distans.EINVALID && e.Code != distans.ECONFLICT) {
		web.fail(w, r, err)
		return
	}
	page, perr := web.incidentPage(w, r, a, r.PathValue("id"))
	if perr != nil {
		web.fail(w, r, perr)
		return
	}
	lang := httpx.Lang(r)
	form.Message = e.Message(lang)
	for _, fe := range e.Fields {
		msg := fe.Sv
		if lang == "en" {
			msg = fe.En
		}
		name := prefix + fe.Field
		if _, ok := form.Values[name]; !ok && fallback != "" {
			name = fallback
		}
		form.Fail(name, msg)
	}
	if len(e.Fields) == 0 && fallback != "" {
		form.Fail(fallback, form.Message)
	}
	if e.Code == distans.ECONFLICT && len(e.Fields) == 0 {
		page.Conflict = form.Message
	}
	if set != nil {
		set(page, form)
	}
	status := http.StatusUnprocessableEntity
	if e.Code == distans.ECONFLICT {
		status = http.StatusConflict
	}
	web.render(w, r, status, page)
}

// invalidForm is the error of a form that failed the page's own parsing
// (a date that is not one), for incidentFailed.
func invalidForm(r *http.Request) error {
	msg := printer(r).T("form.invalid")
	return &distans.Error{Code: distans.EINVALID, Sv: msg, En: msg}
}

// formInt reads a whole number field; empty is 0, anything else not a
// number gets a message.
func formInt(r *http.Request, f *view.Form, name string) int {
	s := f.Value(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		f.Fail(name, printer(r).T("inc.bad_number"))
		return 0
	}
	return n
}

// ticked reads a multiple choice into the values given, keeping each tick
// on the form as name.value = "1".
func ticked(r *http.Request, f *view.Form, name string, allowed []string) []string {
	var out []string
	for _, v := range r.PostForm[name] {
		if slices.Contains(allowed, v) && !slices.Contains(out, v) {
			out = append(out, v)
			f.Set(name+"."+v, "1")
		}
	}
	return out
}

// box reads a checkbox, keeping it on the form.
func box(r *http.Request, f *view.Form, name string) bool {
	on := r.PostFormValue(name) == "1"
	if on {
		f.Set(name, "1")
	}
	return on
}
