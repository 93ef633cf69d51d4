package policy

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"

	"github.com/distans/distans"
)

// Input is the typed input of one kind: *Agreement, *PhoneHours, *Redirect,
// *Leave, *EmploymentEnd, *Travel, *Incident, *Loss, *Meeting or *Precondition (their values work too). The JSON
// field names are the CEL variable names.
type Input interface {
	inputKind() string
	// facts validates the input and returns the activation the rules of its
	// kind are evaluated against. It is the only place an input turns into
	// CEL values, and it does so without reflection so that a check costs
	// little more than the rules themselves.
	facts(now time.Time) (facts, error)
}

// facts is an input ready for evaluation: a CEL activation that also knows
// the times that deadlines are counted from.
type facts interface {
	interpreter.Activation
	timeOf(name string) (time.Time, bool)
	// release hands the facts back once the check no longer uses them; no
	// CEL value or finding refers to them afterwards.
	release()
}

// baseFacts holds what every kind shares. The time of the check is boxed
// for CEL only when a rule asks for it, which few agreement rules do.
type baseFacts struct{ t time.Time }

func (b baseFacts) nowVal() ref.Val { return types.Timestamp{Time: b.t} }

// release is called when a check is done with the facts; kinds whose facts
// are pooled put them back.
func (baseFacts) release() {}

func (baseFacts) Parent() interpreter.Activation       { return nil }
func (baseFacts) timeOf(name string) (time.Time, bool) { return time.Time{}, false }
func newBase(now time.Time) baseFacts                  { return baseFacts{t: now} }

// text trims free text so that a field of only spaces counts as not stated.
func text(s string) ref.Val { return types.String(strings.TrimSpace(s)) }
func textList(l []string) ref.Val {
	if len(l) == 0 {
		return emptyList
	}
	return types.NewStringList(types.DefaultTypeAdapter, l)
}

// emptyList and enumVals are CEL values made once: an enumeration has few
// values, and boxing one per check was a measurable share of its cost.
var (
	emptyList = types.NewStringList(types.DefaultTypeAdapter, nil)
	enumVals  = func() map[string]ref.Val {
		m := map[string]ref.Val{}
		for _, k := range kinds {
			for _, x := range k.Variables {
				for _, val := range x.Values {
					m[val] = types.String(val)
				}
			}
		}
		return m
	}()
)

// enumText returns the CEL value of an enumeration's value (validated
// before it gets here) without allocating.
func enumText(s string) ref.Val {
	if v, ok := enumVals[s]; ok {
		return v
	}
	return text(s)
}
func str(s string) (any, bool)       { return text(s), true }
func strList(l []string) (any, bool) { return textList(l), true }

func checkEnum(v *distans.Validation, field, val string, allowed []string) {
	if !slices.Contains(allowed, val) {
		badValue(v, field, val, allowed)
	}
}

// badValue is apart from checkEnum so that the valid case, which is nearly
// every case, formats nothing.
func badValue(v *distans.Validation, field, val string, allowed []string) {
	allowed = slices.DeleteFunc(slices.Clone(allowed), func(s string) bool { return s == "" })
	v.Add(field, fmt.Sprintf("Okänt värde %q. Tillåtna värden: %s.", val, strings.Join(allowed, ", ")),
		fmt.Sprintf("Unknown value %q. Allowed values: %s.", val, strings.Join(allowed, ", ")))
}

func checkEnumList(v *distans.Validation, field string, vals, allowed []string) {
	for i, val := range vals {
		if !slices.Contains(allowed, val) {
			badValue(v, fmt.Sprintf("%s[%d]", field, i), val, allowed)
		}
		if slices.Index(vals, val) != i {
			v.Add(field, fmt.Sprintf("Värdet %q förekommer flera gånger.", val),
				fmt.Sprintf("The value %q appears more than once.", val))
		}
	}
}

// Agreement is a remote-work agreement (distansarbetsöverenskommelse) as
// the rules see it. Empty strings and lists mean "not stated"; the rules
// decide whether that is allowed (Bjurholm §11 says it is not).
type Agreement struct {
	Start                  string   `json:"start"` // YYYY-MM-DD
	End                    string   `json:"end"`   // YYYY-MM-DD, the last day
	WeekdaysRemote         []string `json:"weekdays_remote"`
	ShareRemote            int      `json:"share_remote"` // percent of working time, 0–100
	RemotePlace            string   `json:"remote_place"`
	MainWorkplace          string   `json:"main_workplace"`
	TaxWorkplace           string   `json:"tax_workplace"` // "", "main" or "remote"
	Tasks                  string   `json:"tasks"`
	SecrecyTasks           bool     `json:"secrecy_tasks"`
	WorkingHours           string   `json:"working_hours"`
	Availability           []string `json:"availability"`
	ReturnMinutes          int      `json:"return_minutes"`
	ClientMeetingsAtRemote bool     `json:"client_meetings_at_remote"`
	PhysicalMeetings       string   `json:"physical_meetings"`
	Equipment              []string `json:"equipment"`
	Conditions             string   `json:"conditions"`
	Evaluation             string   `json:"evaluation"`
	RiskAssessment         string   `json:"risk_assessment"`
}

func (*Agreement) inputKind() string { return KindAgreement }

// facts takes a pointer so that checking a stored agreement copies nothing.
func (a *Agreement) facts(now time.Time) (facts, error) { return a.validate(now) }

func (a *Agreement) validate(now time.Time) (*agreementFacts, error) {
	var v distans.Validation
	start := parseDate(&v, "start", a.Start)
	end := parseDate(&v, "end", a.End)
	var length, months int64
	if !start.IsZero() && !end.IsZero() {
		if end.Before(start) {
			v.Add("end", "Sista dagen ligger före den första.", "The last day is before the first.")
		} else {
			// Calendar dates at UTC midnight are exactly 24 hours apart, so the
			// division is exact whatever the daylight-saving rules.
			length = int64(end.Sub(start)/(24*time.Hour)) + 1
			months = int64(distans.MonthsSpanned(start, end))
		}
	}
	checkEnumList(&v, "weekdays_remote", a.WeekdaysRemote, weekdays)
	if a.ShareRemote < 0 || a.ShareRemote > 100 {
		v.Add("share_remote", "Andelen ska vara 0–100 procent.", "The share must be 0–100 percent.")
	}
	share := int64(a.ShareRemote)
	if share == 0 {
		// No share stated: the weekdays say it, so that three remote days
		// count as 60 % in every rule on the share.
		share = int64(distans.RemoteShare(a.WeekdaysRemote, 0))
	} else if share <= 100 {
		distans.CheckRemoteShare(&v, a.WeekdaysRemote, 0, a.ShareRemote)
	}
	checkEnum(&v, "tax_workplace", a.TaxWorkplace, taxWorkplaces)
	checkEnumList(&v, "availability", a.Availability, channels)
	if a.ReturnMinutes < 0 {
		v.Add("return_minutes", "Inställelsetiden kan inte vara negativ.", "The return time cannot be negative.")
	}
	checkEnumList(&v, "equipment", a.Equipment, equipmentKinds)
	checkEnum(&v, "risk_assessment", a.RiskAssessment, riskValues)
	if err := v.Err(); err != nil {
		return nil, err
	}
	f := agreementPool.Get().(*agreementFacts)
	f.baseFacts, f.a, f.length, f.months, f.share = newBase(now), a, length, months, share
	return f, nil
}

func parseDate(v *distans.Validation, field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, ok := isoDate(s)
	if !ok {
		v.Add(field, "Ange ett datum som ÅÅÅÅ-MM-DD.", "Give a date as YYYY-MM-DD.")
	}
	return t
}

// isoDate parses YYYY-MM-DD at UTC midnight. It is written out because
// time.Parse was a tenth of the cost of checking an agreement.
func isoDate(s string) (time.Time, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	n := func(b string) int {
		x := 0
		for i := 0; i < len(b); i++ {
			if b[i] < '0' || b[i] > '9' {
				return -1
			}
			x = x*10 + int(b[i]-'0')
		}
		return x
	}
	y, m, d := n(s[:4]), n(s[5:7]), n(s[8:])
	if y < 1 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 2025-02-30 normalises to March
		return time.Time{}, false
	}
	return t, true
}

// agreementPool recycles agreement facts: a check of a million stored
// agreements would otherwise allocate a million of them.
var agreementPool = sync.Pool{New: func() any { return new(agreementFacts) }}

func (f *agreementFacts) release() {
	*f = agreementFacts{}
	agreementPool.Put(f)
}

// agreementFacts caches each CEL value the first time a rule asks for it:
// several rules read the same field (share_remote, risk_assessment), and
// boxing a string or wrapping a list allocates.
type agreementFacts struct {
	baseFacts
	a      *Agreement
	length int64
	months int64
	share  int64 // the stated share, or the weekdays' when none is stated
	vals   [agreementVars]ref.Val
}

// The agreement's variables in the order of kinds.go, as cache slots.
const (
	aStart = iota
	aEnd
	aLength
	aMonths
	aWeekdays
	aShare
	aRemotePlace
	aMainWorkplace
	aTaxWorkplace
	aTasks
	aSecrecy
	aWorkingHours
	aAvailability
	aReturn
	aClientMeetings
	aPhysicalMeetings
	aEquipment
	aConditions
	aEvaluation
	aRisk
	agreementVars
)

func (f *agreementFacts) ResolveName(name string) (any, bool) {
	i := agreementSlot(name)
	if i < 0 {
		if name == "now" {
			return f.nowVal(), true
		}
		return nil, false
	}
	if f.vals[i] == nil {
		f.vals[i] = f.value(i)
	}
	return f.vals[i], true
}

func agreementSlot(name string) int {
	switch name {
	case "start":
		return aStart
	case "end":
		return aEnd
	case "length_days":
		return aLength
	case "length_months":
		return aMonths
	case "weekdays_remote":
		return aWeekdays
	case "share_remote":
		return aShare
	case "remote_place":
		return aRemotePlace
	case "main_workplace":
		return aMainWorkplace
	case "tax_workplace":
		return aTaxWorkplace
	case "tasks":
		return aTasks
	case "secrecy_tasks":
		return aSecrecy
	case "working_hours":
		return aWorkingHours
	case "availability":
		return aAvailability
	case "return_minutes":
		return aReturn
	case "client_meetings_at_remote":
		return aClientMeetings
	case "physical_meetings":
		return aPhysicalMeetings
	case "equipment":
		return aEquipment
	case "conditions":
		return aConditions
	case "evaluation":
		return aEvaluation
	case "risk_assessment":
		return aRisk
	}
	return -1
}

func (f *agreementFacts) value(i int) ref.Val {
	a := f.a
	switch i {
	case aStart:
		return text(a.Start)
	case aEnd:
		return text(a.End)
	case aLength:
		return types.Int(f.length)
	case aMonths:
		return types.Int(f.months)
	case aWeekdays:
		return textList(a.WeekdaysRemote)
	case aShare:
		return types.Int(f.share)
	case aRemotePlace:
		return text(a.RemotePlace)
	case aMainWorkplace:
		return text(a.MainWorkplace)
	case aTaxWorkplace:
		return enumText(a.TaxWorkplace)
	case aTasks:
		return text(a.Tasks)
	case aSecrecy:
		return types.Bool(a.SecrecyTasks)
	case aWorkingHours:
		return text(a.WorkingHours)
	case aAvailability:
		return textList(a.Availability)
	case aReturn:
		return types.Int(a.ReturnMinutes)
	case aClientMeetings:
		return types.Bool(a.ClientMeetingsAtRemote)
	case aPhysicalMeetings:
		return text(a.PhysicalMeetings)
	case aEquipment:
		return textList(a.Equipment)
	case aConditions:
		return text(a.Conditions)
	case aEvaluation:
		return text(a.Evaluation)
	}
	return enumText(a.RiskAssessment)
}

// PhoneHours is the weekly phone hours (telefontider) of a person or a
// unit. Exception says that a decision allowing phone hours for them stands
// (Sorsele 004 §3: none at all unless the kommunchef decides otherwise).
type PhoneHours struct {
	Sessions  []PhoneSession `json:"sessions"`
	Exception bool           `json:"exception"`
}

// PhoneSession is one weekly phone session; Start and End are HH:MM.
type PhoneSession struct {
	Weekday string `json:"weekday"`
	Start   string `json:"start"`
	End     string `json:"end"`
}

func (PhoneHours) inputKind() string { return KindPhoneHours }

func (p PhoneHours) facts(now time.Time) (facts, error) {
	var v distans.Validation
	type span struct{ day, from, to int }
	spans := make([]span, 0, len(p.Sessions))
	sessions := make([]map[string]any, 0, len(p.Sessions))
	f := &phoneFacts{baseFacts: newBase(now)}
	for i, s := range p.Sessions {
		field := fmt.Sprintf("sessions[%d]", i)
		checkEnum(&v, field+".weekday", s.Weekday, weekdays)
		from, ok1 := parseClock(&v, field+".start", s.Start)
		to, ok2 := parseClock(&v, field+".end", s.End)
		if !ok1 || !ok2 {
			continue
		}
		if to <= from {
			v.Add(field+".end", "Sluttiden ska vara efter starttiden.", "The end must be after the start.")
			continue
		}
		day := slices.Index(weekdays, s.Weekday)
		for _, o := range spans {
			if o.day == day && from < o.to && o.from < to {
				v.Add(field, "Telefontiden överlappar en annan samma dag.", "The session overlaps another on the same day.")
			}
		}
		spans = append(spans, span{day, from, to})
		minutes := int64(to - from)
		f.total += minutes
		if f.shortest == 0 || minutes < f.shortest {
			f.shortest = minutes
		}
		sessions = append(sessions, map[string]any{"weekday": s.Weekday, "start": s.Start, "end": s.End, "minutes": minutes})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	f.count = int64(len(sessions))
	f.exception = p.Exception
	f.sessions = types.DefaultTypeAdapter.NativeToValue(sessions)
	return f, nil
}

func parseClock(v *distans.Validation, field, s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		v.Add(field, "Ange en tid som TT:MM, till exempel 09:00.", "Give a time as HH:MM, for example 09:00.")
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

type phoneFacts struct {
	baseFacts
	sessions               ref.Val
	count, total, shortest int64
	exception              bool
}

func (f *phoneFacts) ResolveName(name string) (any, bool) {
	switch name {
	case "sessions":
		return f.sessions, true
	case "session_count":
		return types.Int(f.count), true
	case "total_minutes":
		return types.Int(f.total), true
	case "shortest_minutes":
		return types.Int(f.shortest), true
	case "exception":
		return types.Bool(f.exception), true
	case "now":
		return f.nowVal(), true
	}
	return nil, false
}

// Redirect is a redirection (hänvisning) of a phone. A zero Until means no
// return time was given.
type Redirect struct {
	Phone  string    `json:"phone"`
	Target string    `json:"target"`
	Until  time.Time `json:"until"`
}

func (Redirect) inputKind() string { return KindRedirect }

func (r Redirect) facts(now time.Time) (facts, error) {
	var v distans.Validation
	checkEnum(&v, "phone", r.Phone, phoneKinds)
	checkEnum(&v, "target", r.Target, redirectTargets)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return &redirectFacts{baseFacts: newBase(now), r: r}, nil
}

type redirectFacts struct {
	baseFacts
	r Redirect
}

func (f *redirectFacts) ResolveName(name string) (any, bool) {
	switch name {
	case "phone":
		return str(f.r.Phone)
	case "target":
		return str(f.r.Target)
	case "until":
		return types.Timestamp{Time: f.r.Until}, true
	case "has_until":
		return types.Bool(!f.r.Until.IsZero()), true
	case "now":
		return f.nowVal(), true
	}
	return nil, false
}

func (f *redirectFacts) timeOf(name string) (time.Time, bool) {
	if name == "until" && !f.r.Until.IsZero() {
		return f.r.Until, true
	}
	return time.Time{}, false
}

// Leave is a leave of absence (tjänstledighet) and the equipment the person
// holds during it. FirstDay, when not zero, is the leave's first day (local
// midnight): the return tasks' deadlines count from it.
type Leave struct {
	Days      int       `json:"days"`
	Equipment []string  `json:"equipment"`
	FirstDay  time.Time `json:"first_day,omitzero"`
}

func (Leave) inputKind() string { return KindLeave }

func (l Leave) facts(now time.Time) (facts, error) {
	var v distans.Validation
	if l.Days < 1 {
		v.Add("days", "Ange ledighetens längd i dagar (minst 1).", "Give the length of the leave in days (at least 1).")
	}
	checkEnumList(&v, "equipment", l.Equipment, equipmentKinds)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return &leaveFacts{baseFacts: newBase(now), l: l}, nil
}

type leaveFacts struct {
	baseFacts
	l Leave
}

func (f *leaveFacts) ResolveName(name string) (any, bool) {
	switch name {
	case "days":
		return types.Int(f.l.Days), true
	case "equipment":
		return strList(f.l.Equipment)
	case "first_day":
		return types.Timestamp{Time: f.l.FirstDay}, true
	case "now":
		return f.nowVal(), true
	}
	return nil, false
}

func (f *leaveFacts) timeOf(name string) (time.Time, bool) {
	if name == "first_day" && !f.l.FirstDay.IsZero() {
		return f.l.FirstDay, true
	}
	return time.Time{}, false
}

// EmploymentEnd is the end of a person's employment and the equipment they
// hold. LastDay, when not zero, is the employment's last day (local
// midnight): the return tasks' deadlines count from it.
type EmploymentEnd struct {
	Equipment []string  `json:"equipment"`
	LastDay   time.Time `json:"last_day,omitzero"`
}

func (EmploymentEnd) inputKind() string { return KindEmploymentEnd }

func (e EmploymentEnd) facts(now time.Time) (facts, error) {
	var v distans.Validation
	checkEnumList(&v, "equipment", e.Equipment, itemCategories)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return &employmentEndFacts{baseFacts: newBase(now), e: e}, nil
}

type employmentEndFacts struct {
	baseFacts
	e EmploymentEnd
}

func (f *employmentEndFacts) ResolveName(name string) (any, bool) {
	switch name {
	case "equipment":
		return strList(f.e.Equipment)
	case "last_day":
		return types.Timestamp{Time: f.e.LastDay}, true
	case "now":
		return f.nowVal(), true
	}
	return nil, false
}

func (f *employmentEndFacts) timeOf(name string) (time.Time, bool) {
	if name == "last_day" && !f.e.LastDay.IsZero() {
		return f.e.LastDay, true
	}
	return time.Time{}, false
}

// Precondition is what a person has not yet done that a remote-work
// agreement may wait for: the IDs of the courses whose status is not done
// (distans.TrainingStatusOf: due, overdue or expired) and the titles of
// the required documents that apply to them and that they have not
// acknowledged at the current version.
type Precondition struct {
	TrainingMissing         []string `json:"training_missing"`
	DocumentsUnacknowledged []string `json:"documents_unacknowledged"`
}

func (Precondition) inputKind() string { return KindPrecondition }

func (p Precondition) facts(now time.Time) (facts, error) {
	return &preconditionFacts{baseFacts: newBase(now), p: p}, nil
}

type preconditionFacts struct {
	baseFacts
	p Precondition
}

func (f *preconditionFacts) ResolveName(name string) (any, bool) {
	switch name {
	case "training_missing":
		return strList(f.p.TrainingMissing)
	case "documents_unacknowledged":
		return strList(f.p.DocumentsUnacknowledged)
	case "now":
		return f.nowVal(), true
	}
	return nil, false
}

// Loss is a written report of lost, stolen or damaged equipment: what
// happened, to which kinds of equipment (the registry's categories), where,
// and when it was discovered and reported. The loss procedure's steps are
// counted from those two times.
type Loss struct {
	Kind            string   `json:"kind"`
	Categories      []string `json:"categories"`
	OutsidePremises bool     `json:"outside_premises,omitempty"`
	// ReportedByManager: the person's manager made the report, and so
	// needs no telling.
	ReportedByManager bool      `json:"reported_by_manager,omitempty"`
	DiscoveredAt      time.Time `json:"discovered_at"`
	ReportedAt        time.Time `json:"reported_at"`
}

func (Loss) inputKind() string { return KindLoss }

func (l Loss) facts(now time.Time) (facts, error) {
	var v distans.Validation
	checkEnum(&v, "kind", l.Kind, lossKinds)
	checkEnumList(&v, "categories", l.Categories, itemCategories)
	if len(l.Categories) == 0 {
		v.Add("categories", "Ange vilka slags utrustning det gäller.", "Give the kinds of equipment concerned.")
	}
	switch {
	case l.DiscoveredAt.IsZero():
		v.Add("discovered_at", "Ange när förlusten upptäcktes.", "Give the time the loss was discovered.")
	case l.DiscoveredAt.After(now.Add(clockSkew)):
		v.Add("discovered_at", "Upptäcktstiden ligger i framtiden.", "The discovery time is in the future.")
	}
	switch {
	case l.ReportedAt.IsZero():
		v.Add("reported_at", "Ange när förlusten anmäldes.", "Give the time the loss was reported.")
	case !l.DiscoveredAt.IsZero() && l.ReportedAt.Before(l.DiscoveredAt):
		v.Add("reported_at", "Förlusten kan inte ha anmälts innan den upptäcktes.", "The loss cannot have been reported before it was discovered.")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	f := &lossFacts{baseFacts: newBase(now), l: l}
	for _, c := range l.Categories {
		f.hasSIM = f.hasSIM || distans.EquipmentCategory(c).HasSIM()
	}
	return f, nil
}

type lossFacts struct {
	baseFacts
	l      Loss
	hasSIM bool
}

func (f *lossFacts) ResolveName(name string) (any, bool) {
	switch name {
	case "kind":
		return str(f.l.Kind)
	case "categories":
		return strList(f.l.Categories)
	case "has_sim":
		return types.Bool(f.hasSIM), true
	case "outside_premises":
		return types.Bool(f.l.OutsidePremises), true
	case "reported_by_manager":
		return types.Bool(f.l.ReportedByManager), true
	case "discovered_at":
		return types.Timestamp{Time: f.l.DiscoveredAt}, true
	case "reported_at":
		return types.Timestamp{Time: f.l.ReportedAt}, true
	case "now":
		return f.nowVal(), true
	}
	return nil, false
}

// timeOf answers the times the steps count from.
func (f *lossFacts) timeOf(name string) (time.Time, bool) {
	switch name {
	case "discovered_at":
		return f.l.DiscoveredAt, true
	case "reported_at":
		return f.l.ReportedAt, true
	}
	return time.Time{}, false
}

// Travel is a trip on which the person takes the employer's equipment.
type Travel struct {
	Private           bool     `json:"private"`
	Abroad            bool     `json:"abroad"`
	Equipment         []string `json:"equipment"`
	ApprovedByManager bool     `json:"approved_by_manager"`
	MobileDataAbroad  bool     `json:"mobile_data_abroad"`
}

func (Travel) inputKind() string { return KindTravel }

func (t Travel) facts(now time.Time) (facts, error) {
	var v distans.Validation
	checkEnumList(&v, "equipment", t.Equipment, equipmentKinds)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return &travelFacts{baseFacts: newBase(now), t: t}, nil
}

type travelFacts struct {
	baseFacts
	t Travel
}

func (f *travelFacts) ResolveName(name string) (any, bool) {
	switch name {
	case "private":
		return types.Bool(f.t.Private), true
	case "abroad":
		return types.Bool(f.t.Abroad), true
	case "equipment":
		return strList(f.t.Equipment)
	case "approved_by_manager":
		return types.Bool(f.t.ApprovedByManager), true
	case "mobile_data_abroad":
		return types.Bool(f.t.MobileDataAbroad), true
	case "now":
		return f.nowVal(), true
	}
	return nil, false
}

// Incident is a reported incident. DiscoveredAt is an instant: deadlines
// are counted from it in real elapsed time. The other facts are what the
// triage establishes (IncidentOf maps a record to them); a check before
// triage leaves them at their zero values.
type Incident struct {
	Kind             string    `json:"kind"`
	DiscoveredAt     time.Time `json:"discovered_at"`
	Severity         string    `json:"severity,omitempty"` // "" until triaged, else low, medium, high, serious
	Ongoing          bool      `json:"ongoing,omitempty"`
	CyberSignificant bool      `json:"cyber_significant,omitempty"`
	InjurySerious    bool      `json:"injury_serious,omitempty"`
	OutsidePremises  bool      `json:"outside_premises,omitempty"`
	// IMYFiledAt is when the notification to IMY was filed: IMY's
	// supplements are counted from it.
	IMYFiledAt *time.Time `json:"imy_filed_at,omitempty"`
}

// clockSkew is how far in the future a discovery time may lie before it is
// refused: the reporter's clock may run a little ahead of the server's.
const clockSkew = 5 * time.Minute

func (Incident) inputKind() string { return KindIncident }

func (in Incident) facts(now time.Time) (facts, error) {
	var v distans.Validation
	checkEnum(&v, "kind", in.Kind, incidentKinds)
	checkEnum(&v, "severity", in.Severity, incidentSeverities)
	if in.DiscoveredAt.IsZero() {
		v.Add("discovered_at", "Ange när incidenten upptäcktes.", "Give the time the incident was discovered.")
	} else if in.DiscoveredAt.After(now.Add(clockSkew)) {
		v.Add("discovered_at", "Upptäcktstiden ligger i framtiden.", "The discovery time is in the future.")
	}
	if in.IMYFiledAt != nil {
		switch {
		case in.IMYFiledAt.IsZero():
			v.Add("imy_filed_at", "Ange när anmälan till IMY gjordes.", "Give the time the notification to IMY was filed.")
		case in.IMYFiledAt.After(now.Add(clockSkew)):
			v.Add("imy_filed_at", "Tiden för anmälan till IMY ligger i framtiden.", "The time the notification to IMY was filed is in the future.")
		case !in.DiscoveredAt.IsZero() && in.IMYFiledAt.Before(in.DiscoveredAt):
			v.Add("imy_filed_at", "Anmälan till IMY kan inte ha gjorts innan incidenten upptäcktes.", "The notification to IMY cannot have been filed before the incident was discovered.")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	since := int64(max(now.Sub(in.DiscoveredAt), 0) / time.Minute)
	return &incidentFacts{baseFacts: newBase(now), in: in, since: since}, nil
}

type incidentFacts struct {
	baseFacts
	in    Incident
	since int64
}

func (f *incidentFacts) ResolveName(name string) (any, bool) {
	switch name {
	case "kind":
		return str(f.in.Kind)
	case "discovered_at":
		return types.Timestamp{Time: f.in.DiscoveredAt}, true
	case "minutes_since_discovery":
		return types.Int(f.since), true
	case "severity":
		return str(f.in.Severity)
	case "ongoing":
		return types.Bool(f.in.Ongoing), true
	case "cyber_significant":
		return types.Bool(f.in.CyberSignificant), true
	case "injury_serious":
		return types.Bool(f.in.InjurySerious), true
	case "outside_premises":
		return types.Bool(f.in.OutsidePremises), true
	case "imy_filed_at":
		// Absent is the zero time, as redirect's until: a condition asks
		// has_imy_filed first.
		if f.in.IMYFiledAt == nil {
			return types.Timestamp{}, true
		}
		return types.Timestamp{Time: *f.in.IMYFiledAt}, true
	case "has_imy_filed":
		return types.Bool(f.in.IMYFiledAt != nil), true
	case "now":
		return f.nowVal(), true
	}
	return nil, false
}

// timeOf answers the times deadlines count from: discovered_at, and
// imy_filed_at once the notification is filed (IMY's supplements).
func (f *incidentFacts) timeOf(name string) (time.Time, bool) {
	switch name {
	case "discovered_at":
		return f.in.DiscoveredAt, true
	case "imy_filed_at":
		if f.in.IMYFiledAt != nil {
			return *f.in.IMYFiledAt, true
		}
	}
	return time.Time{}, false
}

// Meeting is a digital meeting: which tool, and the most sensitive
// information it will carry.
type Meeting struct {
	Tool             string `json:"tool"`
	InformationClass string `json:"information_class"`
}

func (Meeting) inputKind() string { return KindMeeting }

func (m Meeting) facts(now time.Time) (facts, error) {
	var v distans.Validation
	checkEnum(&v, "tool", m.Tool, meetingTools)
	checkEnum(&v, "information_class", m.InformationClass, infoClasses)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return &meetingFacts{baseFacts: newBase(now), m: m}, nil
}

type meetingFacts struct {
	baseFacts
	m Meeting
}

func (f *meetingFacts) ResolveName(name string) (any, bool) {
	switch name {
	case "tool":
		return str(f.m.Tool)
	case "information_class":
		return str(f.m.InformationClass)
	case "now":
		return f.nowVal(), true
	}
	return nil, false
}

// timeFields are the timestamp variables a deadline may count from.
var timeFields = map[string][]string{
	KindIncident:      {"discovered_at", "imy_filed_at"},
	KindRedirect:      {"until"},
	KindLoss:          {"discovered_at", "reported_at"},
	KindLeave:         {"first_day"},
	KindEmploymentEnd: {"last_day"},
}

// AgreementOf is the agreement input of a written agreement's terms and
// the outcome of its risk assessment ("" when none is reviewed): the one
// mapping from the stored terms to what the rules see.
func AgreementOf(t *distans.Terms, risk distans.RiskOutcome) *Agreement {
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	return &Agreement{
		Start:                  t.Start.Format(time.DateOnly),
		End:                    t.End.Format(time.DateOnly),
		WeekdaysRemote:         nonNil(t.Weekdays),
		ShareRemote:            t.ShareRemote,
		RemotePlace:            t.RemotePlace,
		MainWorkplace:          t.MainWorkplace,
		TaxWorkplace:           t.TaxWorkplace,
		Tasks:                  t.Tasks,
		SecrecyTasks:           t.SecrecyTasks,
		WorkingHours:           t.WorkingHours,
		Availability:           nonNil(t.Availability),
		ReturnMinutes:          t.ReturnMinutes,
		ClientMeetingsAtRemote: t.ClientMeetingsAtRemote,
		PhysicalMeetings:       t.PhysicalMeetings,
		Equipment:              nonNil(t.Equipment),
		Conditions:             t.Conditions,
		Evaluation:             t.Evaluation,
		RiskAssessment:         string(risk),
	}
}

// IncidentOf is the incident input of a stored incident and the time its
// notification to IMY was filed (nil while none is filed): the one mapping
// from the record to what the rules see, so that the checks on a real
// record are those `distans policy check -kind incident` runs.
func IncidentOf(inc *distans.Incident, imyFiledAt *time.Time) *Incident {
	in := &Incident{
		Kind:             string(inc.Kind),
		DiscoveredAt:     inc.DiscoveredAt,
		Severity:         string(inc.Severity),
		Ongoing:          inc.Ongoing,
		CyberSignificant: inc.CyberSignificant,
		InjurySerious:    inc.InjurySerious,
		OutsidePremises:  inc.OutsidePremises,
	}
	if imyFiledAt != nil {
		t := *imyFiledAt
		in.IMYFiledAt = &t
	}
	return in
}

// LossOf is the loss input of a loss report: its kind, the categories of
// its items, where, whether the person's manager reported it, and when it
// was discovered and reported. The one mapping from the record to what the
// rules see.
func LossOf(l *distans.EquipmentLoss, byManager bool, reportedAt time.Time) *Loss {
	in := &Loss{Kind: string(l.Kind), OutsidePremises: l.OutsidePremises, ReportedByManager: byManager,
		DiscoveredAt: l.DiscoveredAt, ReportedAt: reportedAt, Categories: []string{}}
	for _, it := range l.Items {
		if c := string(it.Category); !slices.Contains(in.Categories, c) {
			in.Categories = append(in.Categories, c)
		}
	}
	return in
}
