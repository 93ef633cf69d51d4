package distans

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// AgreementState is where a remote-work case stands. A case starts as the
// employee's request and, if approved, becomes the written agreement
// (distansarbetsöverenskommelse) that both sign; the history of a case is
// never removed.
type AgreementState string

const (
	AgreementRequested         AgreementState = "requested"          // the employee has asked
	AgreementAssessed          AgreementState = "assessed"           // the manager has answered the assessment questions
	AgreementDeclined          AgreementState = "declined"           // the manager said no; final, cannot be appealed (000)
	AgreementWithdrawn         AgreementState = "withdrawn"          // the employee took the request back before a decision
	AgreementAwaitingSignature AgreementState = "awaiting_signature" // approved; the agreement is written and signed
	AgreementActive            AgreementState = "active"             // signed by both; in force from Terms.Start to Terms.End
	AgreementEnded             AgreementState = "ended"              // ended early, by a move, by the end of employment or at expiry
)

// AgreementStates lists the states in the order of the journey.
var AgreementStates = []AgreementState{AgreementRequested, AgreementAssessed, AgreementDeclined, AgreementWithdrawn,
	AgreementAwaitingSignature, AgreementActive, AgreementEnded}

// Open reports whether the case still waits for someone: a request, an
// assessment or signatures. A person has at most one open case.
func (s AgreementState) Open() bool {
	return s == AgreementRequested || s == AgreementAssessed || s == AgreementAwaitingSignature
}

// EndReason says why an agreement ended.
type EndReason string

const (
	EndByManager       EndReason = "manager"        // at once, after a documented dialogue (002 §11)
	EndByEmployee      EndReason = "employee"       // at will: remote work is voluntary (002 §11)
	EndUnitMove        EndReason = "unit_move"      // moved to another unit: the new manager assesses anew (000)
	EndEmploymentEnded EndReason = "employment_end" // the employment ended
	EndExpired         EndReason = "expired"        // the last day has passed
)

// EndReasons lists the reasons in the order the pages show them.
var EndReasons = []EndReason{EndByManager, EndByEmployee, EndUnitMove, EndEmploymentEnded, EndExpired}

// Channels are the ways a person working remotely is reachable (000
// Utgångspunkter: phone, e-mail and Skype or Teams).
var Channels = []string{"phone", "email", "teams", "skype", "sms"}

// EquipmentKinds are the kinds of work equipment an agreement can list.
var EquipmentKinds = []string{"computer", "phone", "sim", "tablet", "usb_memory", "headset", "screen",
	"mobile_broadband", "furniture"}

// AgreementRequest is what the employee asks for. Place is the remote
// place, normally the home (002 §3); it is secret, see Agreement. The last
// three fields are what the packs' rules need to check a request before
// the manager decides (Stockholm's return time of about 1.5 hours, its
// rule on tasks under secrecy, Bjurholm 002 §7 on meeting clients at the
// remote place); the approval carries them into the terms.
type AgreementRequest struct {
	Weekdays    []string  `json:"weekdays,omitempty"`      // fixed remote weekdays, or
	DaysPerWeek int       `json:"days_per_week,omitempty"` // a number of days a week, 1–5
	Place       string    `json:"place,omitempty"`
	Start       time.Time `json:"start"` // the first day (midnight UTC)
	End         time.Time `json:"end"`   // the last day (midnight UTC)
	Tasks       string    `json:"tasks"`
	Reasons     string    `json:"reasons"`
	// ReturnMinutes is the travel time from the remote place back to the
	// main workplace, in minutes; 0 is not stated.
	ReturnMinutes          int  `json:"return_minutes,omitempty"`
	SecrecyTasks           bool `json:"secrecy_tasks,omitempty"`
	ClientMeetingsAtRemote bool `json:"client_meetings_at_remote,omitempty"`
}

// Validate checks the request's own fields; today is the current calendar
// day of the organisation. The pack's maximum length is the service's.
func (r *AgreementRequest) Validate(today time.Time) error {
	var v Validation
	validatePeriod(&v, r.Start, r.End, today)
	validateDays(&v, r.Weekdays, r.DaysPerWeek)
	v.Required("place", r.Place)
	v.MaxLen("place", r.Place, 300)
	v.Required("tasks", r.Tasks)
	v.MaxLen("tasks", r.Tasks, 4000)
	v.MaxLen("reasons", r.Reasons, 4000)
	if r.ReturnMinutes < 0 || r.ReturnMinutes > maxReturnMinutes {
		v.Add("return_minutes", "Ange restiden i minuter, 0–1440.", "Give the travel time in minutes, 0–1440.")
	}
	return v.Err()
}

// maxReturnMinutes is a day: a longer travel time is a typing error.
const maxReturnMinutes = 24 * 60

func validatePeriod(v *Validation, start, end, today time.Time) {
	switch {
	case start.IsZero():
		v.Add("start", "Ange första dag.", "Give the first day.")
	case start.Before(today):
		v.Add("start", "Första dagen har redan varit.", "The first day has passed.")
	}
	switch {
	case end.IsZero():
		v.Add("end", "Ange sista dag.", "Give the last day.")
	case !start.IsZero() && end.Before(start):
		v.Add("end", "Sista dagen ligger före den första.", "The last day is before the first.")
	}
}

func validateDays(v *Validation, weekdays []string, perWeek int) {
	for _, d := range weekdays {
		if !slices.Contains(Weekdays, d) {
			v.Add("weekdays", fmt.Sprintf("Okänd veckodag %q.", d), fmt.Sprintf("Unknown weekday %q.", d))
		}
	}
	switch {
	case len(weekdays) == 0 && perWeek == 0:
		v.Add("weekdays", "Välj veckodagar eller ett antal dagar per vecka.", "Choose weekdays or a number of days a week.")
	case len(weekdays) > 0 && perWeek != 0:
		v.Add("days_per_week", "Ange antingen veckodagar eller antal dagar per vecka, inte båda.", "Give either weekdays or days a week, not both.")
	case perWeek < 0 || perWeek > 5:
		v.Add("days_per_week", "Antal dagar per vecka ska vara 1–5.", "Days a week must be 1–5.")
	}
}

// Assessment is the manager's analysis before deciding, with the
// questions of the Stockholm support material for managers (000
// Stödmaterial, Analysera och bedöm). Every answer is kept.
type Assessment struct {
	Operation    string    `json:"operation"`     // how does it affect the operation and colleagues?
	Individual   string    `json:"individual"`    // the person's conditions, experience, digital skills
	Extent       string    `json:"extent"`        // to what extent can or should the work be done at home?
	Availability string    `json:"availability"`  // physical and digital availability needs
	Meetings     string    `json:"meetings"`      // which meetings need presence, mixed meetings
	CommonDays   string    `json:"common_days"`   // common days on site
	AssessedBy   string    `json:"assessed_by"`   // person ID, set by the store
	AssessedName string    `json:"assessed_name"` // set by the store
	AssessedAt   time.Time `json:"assessed_at"`
}

// Validate requires every question answered.
func (a *Assessment) Validate() error {
	var v Validation
	for _, f := range []struct{ name, val string }{
		{"operation", a.Operation}, {"individual", a.Individual}, {"extent", a.Extent},
		{"availability", a.Availability}, {"meetings", a.Meetings}, {"common_days", a.CommonDays},
	} {
		v.Required(f.name, f.val)
		v.MaxLen(f.name, f.val, 4000)
	}
	return v.Err()
}

// RiskItems are the points of the home-workplace risk assessment (002 §5,
// §6, §9.3, §9.4; 001): the keys of RiskAssessment.Answers.
var RiskItems = []string{"ergonomics", "light", "outlet", "privacy", "network", "recovery"}

// RiskOutcome is the manager's conclusion on the home workplace. Its values
// are the policy packs' risk_assessment values.
type RiskOutcome string

const (
	RiskAcceptable    RiskOutcome = "acceptable"
	RiskNeedsMeasures RiskOutcome = "needs_measures"
	RiskNotAcceptable RiskOutcome = "not_acceptable" // blocks approval (002 §5)
)

// RiskOutcomes lists the outcomes in the order the pages show them.
var RiskOutcomes = []RiskOutcome{RiskAcceptable, RiskNeedsMeasures, RiskNotAcceptable}

// RiskAnswer is the employee's answer to one point: OK, or a deficiency
// described in Comment.
type RiskAnswer struct {
	OK      bool   `json:"ok"`
	Comment string `json:"comment,omitempty"`
}

// RiskAssessment of the home workplace: the employee answers every point,
// the manager reviews with an outcome and, when needed, measures.
type RiskAssessment struct {
	Answers      map[string]RiskAnswer `json:"answers"`
	AnsweredAt   time.Time             `json:"answered_at"`
	Outcome      RiskOutcome           `json:"outcome,omitempty"` // empty until reviewed
	Measures     string                `json:"measures,omitempty"`
	ReviewedBy   string                `json:"reviewed_by,omitempty"`
	ReviewedName string                `json:"reviewed_name,omitempty"`
	ReviewedAt   *time.Time            `json:"reviewed_at,omitempty"`
}

// ValidateAnswers requires an answer to every point, and a comment for
// every point that is not OK.
func (r *RiskAssessment) ValidateAnswers() error {
	var v Validation
	for _, k := range RiskItems {
		ans, ok := r.Answers[k]
		switch {
		case !ok:
			v.Add("answers."+k, "Svara på frågan.", "Answer the question.")
		case !ans.OK && strings.TrimSpace(ans.Comment) == "":
			v.Add("answers."+k, "Beskriv bristen.", "Describe the deficiency.")
		}
		v.MaxLen("answers."+k, ans.Comment, 2000)
	}
	for k := range r.Answers {
		if !slices.Contains(RiskItems, k) {
			v.Add("answers."+k, "Okänd fråga.", "Unknown question.")
		}
	}
	return v.Err()
}

// ValidateReview requires an outcome, and measures when some are needed.
func (r *RiskAssessment) ValidateReview() error {
	var v Validation
	if !slices.Contains(RiskOutcomes, r.Outcome) {
		v.Add("outcome", "Välj bedömning.", "Choose an outcome.")
	}
	if r.Outcome == RiskNeedsMeasures && strings.TrimSpace(r.Measures) == "" {
		v.Add("measures", "Beskriv åtgärderna.", "Describe the measures.")
	}
	v.MaxLen("measures", r.Measures, 4000)
	return v.Err()
}

// Decision is the manager's decision with reasons. A decline cannot be
// appealed (000 Stödmaterial, Du beslutar); the pages say so.
type Decision struct {
	Approved    bool      `json:"approved"`
	Reasons     string    `json:"reasons"`
	DecidedBy   string    `json:"decided_by"`
	DecidedName string    `json:"decided_name"`
	DecidedAt   time.Time `json:"decided_at"`
}

// Validate requires reasons.
func (d *Decision) Validate() error {
	var v Validation
	v.Required("reasons", d.Reasons)
	v.MaxLen("reasons", d.Reasons, 4000)
	return v.Err()
}

// Terms are the written agreement, with every part Bjurholm 002 §11
// requires. Their JSON names follow the policy packs' agreement input.
type Terms struct {
	Start                  time.Time `json:"start"` // midnight UTC
	End                    time.Time `json:"end"`   // the last day, midnight UTC
	Weekdays               []string  `json:"weekdays_remote"`
	DaysPerWeek            int       `json:"days_per_week,omitempty"`
	ShareRemote            int       `json:"share_remote"` // percent of working time
	RemotePlace            string    `json:"remote_place,omitempty"`
	MainWorkplace          string    `json:"main_workplace"`
	TaxWorkplace           string    `json:"tax_workplace"` // "", "main" or "remote" (002 §4)
	Tasks                  string    `json:"tasks"`
	SecrecyTasks           bool      `json:"secrecy_tasks"`
	WorkingHours           string    `json:"working_hours"`
	Availability           []string  `json:"availability"`
	ReturnMinutes          int       `json:"return_minutes"`
	ClientMeetingsAtRemote bool      `json:"client_meetings_at_remote"`
	// PhysicalMeetings is what the agreement says about physical meetings
	// at the remote workplace, a part of its own in Bjurholm 002 §11. It is
	// left out of the JSON when empty so that the hash of terms signed
	// before it existed stays the same.
	PhysicalMeetings string   `json:"physical_meetings,omitempty"`
	Equipment        []string `json:"equipment"`
	Conditions       string   `json:"conditions"`
	Evaluation       string   `json:"evaluation"`
	// Comments answer the pack's warnings, by rule ID: a warning needs an
	// explicit comment before the agreement can be signed.
	Comments map[string]string `json:"comments,omitempty"`
}

// Validate checks the terms' own fields (not the pack's rules: a missing
// part is the pack's finding, citing §11, so that it can be shown while the
// agreement is written).
func (t *Terms) Validate() error {
	var v Validation
	switch {
	case t.Start.IsZero():
		v.Add("start", "Ange första dag.", "Give the first day.")
	case t.End.IsZero():
		v.Add("end", "Ange sista dag.", "Give the last day.")
	case t.End.Before(t.Start):
		v.Add("end", "Sista dagen ligger före den första.", "The last day is before the first.")
	}
	validateDays(&v, t.Weekdays, t.DaysPerWeek)
	if t.ShareRemote < 0 || t.ShareRemote > 100 {
		v.Add("share_remote", "Andelen ska vara 0–100 procent.", "The share must be 0–100 percent.")
	} else {
		CheckRemoteShare(&v, t.Weekdays, t.DaysPerWeek, t.ShareRemote)
	}
	if !slices.Contains([]string{"", "main", "remote"}, t.TaxWorkplace) {
		v.Add("tax_workplace", "Välj tjänsteställe.", "Choose the tax workplace.")
	}
	for _, c := range t.Availability {
		if !slices.Contains(Channels, c) {
			v.Add("availability", fmt.Sprintf("Okänd kanal %q.", c), fmt.Sprintf("Unknown channel %q.", c))
		}
	}
	for _, e := range t.Equipment {
		if !slices.Contains(EquipmentKinds, e) {
			v.Add("equipment", fmt.Sprintf("Okänd utrustning %q.", e), fmt.Sprintf("Unknown equipment %q.", e))
		}
	}
	if t.ReturnMinutes < 0 || t.ReturnMinutes > 24*60 {
		v.Add("return_minutes", "Inställelsetiden ska vara 0–1440 minuter.", "The return time must be 0–1440 minutes.")
	}
	for _, f := range []struct {
		name, val string
		n         int
	}{
		{"remote_place", t.RemotePlace, 300}, {"main_workplace", t.MainWorkplace, 300}, {"tasks", t.Tasks, 4000},
		{"working_hours", t.WorkingHours, 1000}, {"physical_meetings", t.PhysicalMeetings, 2000},
		{"conditions", t.Conditions, 4000}, {"evaluation", t.Evaluation, 2000},
	} {
		v.MaxLen(f.name, f.val, f.n)
	}
	for id, c := range t.Comments {
		v.MaxLen("comments."+id, c, 2000)
	}
	return v.Err()
}

// Hash is the SHA-256 of the terms and whose agreement they are, which a
// signature records: any change after the first signature changes it, and
// the signature no longer holds. Start and End are hashed as dates.
func (t *Terms) Hash(agreementID, personID string) string {
	type hashed struct {
		Terms
		Start, End string
		ID, Person string
	}
	b, err := json.Marshal(hashed{Terms: *t, Start: t.Start.Format(time.DateOnly), End: t.End.Format(time.DateOnly),
		ID: agreementID, Person: personID})
	if err != nil {
		panic(err) // the struct has only plain fields
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// LengthDays is the number of days the terms cover, both ends included.
func (t *Terms) LengthDays() int {
	if t.Start.IsZero() || t.End.Before(t.Start) {
		return 0
	}
	return int(t.End.Sub(t.Start)/(24*time.Hour)) + 1
}

// SignerRole is which party signs.
type SignerRole string

const (
	SignerEmployee SignerRole = "employee"
	SignerManager  SignerRole = "manager"
)

// Signature is one party's signature: who, when, after which kind of
// re-authentication, and the hash of the terms they signed.
type Signature struct {
	Role     SignerRole `json:"role"`
	PersonID string     `json:"person_id"`
	Name     string     `json:"name"`
	At       time.Time  `json:"at"`
	Hash     string     `json:"hash"`
	Method   string     `json:"method"` // "password"
}

// AgreementFinding is a policy finding stored with the agreement: the rule, its
// severity ("block", "warn", "info"), its message and the clause it cites.
type AgreementFinding struct {
	RuleID    string `json:"rule_id"`
	Severity  string `json:"severity"`
	MessageSv string `json:"message_sv"`
	MessageEn string `json:"message_en"`
	Document  string `json:"document"`
	Section   string `json:"section"`
	Quote     string `json:"quote"`
	// Citation names the clause as people know it (organisation, title,
	// section; internal/policy.Cite), never by the document's file name.
	Citation string `json:"citation,omitempty"`
}

// FollowUp is one follow-up of an active agreement, covering what the
// Stockholm framework asks for (000 Uppföljning och utvärdering).
type FollowUp struct {
	ID            string    `json:"id"`
	AgreementID   string    `json:"agreement_id"`
	Date          time.Time `json:"date"`           // the day of the dialogue, midnight UTC
	Goals         string    `json:"goals"`          // måluppfyllelse
	Quality       string    `json:"quality"`        // kvalitet
	Availability  string    `json:"availability"`   // tillgänglighet
	WorkSituation string    `json:"work_situation"` // arbetssituation
	DigitalEnv    string    `json:"digital_env"`    // den digitala arbetsmiljön
	SpillOver     string    `json:"spill_over"`     // övervältringseffekter på kollegor
	// SpillOverRating is the manager's rating of the spill-over, which the
	// reports count (the text cannot be counted); empty: not rated, as
	// every follow-up before ratings existed.
	SpillOverRating SpillOverRating `json:"spill_over_rating,omitempty"`
	Measures        string          `json:"measures"`    // agreed measures, may be empty
	RecordedBy      string          `json:"recorded_by"` // set by the store
	RecordedByName  string          `json:"recorded_by_name"`
	RecordedAt      time.Time       `json:"recorded_at"`
}

// Validate requires every point answered and a day that is not in the
// future.
func (f *FollowUp) Validate(today time.Time) error {
	var v Validation
	if f.Date.IsZero() {
		v.Add("date", "Ange dag för uppföljningen.", "Give the day of the follow-up.")
	} else if f.Date.After(today) {
		v.Add("date", "Uppföljningen kan inte ligga i framtiden.", "The follow-up cannot be in the future.")
	}
	for _, x := range []struct{ name, val string }{
		{"goals", f.Goals}, {"quality", f.Quality}, {"availability", f.Availability},
		{"work_situation", f.WorkSituation}, {"digital_env", f.DigitalEnv}, {"spill_over", f.SpillOver},
	} {
		v.Required(x.name, x.val)
		v.MaxLen(x.name, x.val, 4000)
	}
	v.MaxLen("measures", f.Measures, 4000)
	if !f.SpillOverRating.Valid() {
		v.Add("spill_over_rating", "Välj ingen, viss eller betydande påverkan.", "Choose none, some or considerable spill-over.")
	}
	return v.Err()
}

// SpillOverRating is how much a follow-up found remote work spilling over
// onto colleagues (Stockholms stad, Riktlinjer för distansarbete,
// Uppföljning och utvärdering: övervältringseffekter på kollegor).
type SpillOverRating string

const (
	SpillOverUnrated      SpillOverRating = ""
	SpillOverNone         SpillOverRating = "none"
	SpillOverSome         SpillOverRating = "some"
	SpillOverConsiderable SpillOverRating = "considerable"
)

// SpillOverRatings lists the ratings a follow-up may give, mildest first.
var SpillOverRatings = []SpillOverRating{SpillOverNone, SpillOverSome, SpillOverConsiderable}

// Valid reports whether r is a rating or none.
func (r SpillOverRating) Valid() bool {
	return r == SpillOverUnrated || slices.Contains(SpillOverRatings, r)
}

// Label returns the rating for people to read.
func (r SpillOverRating) Label(lang string) string {
	l := map[SpillOverRating][2]string{SpillOverUnrated: {"Ej bedömd", "Not rated"}, SpillOverNone: {"Ingen", "None"},
		SpillOverSome: {"Viss", "Some"}, SpillOverConsiderable: {"Betydande", "Considerable"}}[r]
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

// Evaluation is the more thorough evaluation before a renewal or the end,
// at the yearly review (002 §12). Renewal needs one that recommends it.
type Evaluation struct {
	Date           time.Time `json:"date"`
	Summary        string    `json:"summary"`
	Continue       bool      `json:"continue"` // the parties recommend renewal
	RecordedBy     string    `json:"recorded_by"`
	RecordedByName string    `json:"recorded_by_name"`
	RecordedAt     time.Time `json:"recorded_at"`
}

// Validate requires a summary and a day that is not in the future.
func (e *Evaluation) Validate(today time.Time) error {
	var v Validation
	if e.Date.IsZero() {
		v.Add("date", "Ange dag för utvärderingen.", "Give the day of the evaluation.")
	} else if e.Date.After(today) {
		v.Add("date", "Utvärderingen kan inte ligga i framtiden.", "The evaluation cannot be in the future.")
	}
	v.Required("summary", e.Summary)
	v.MaxLen("summary", e.Summary, 8000)
	return v.Err()
}

// Agreement is one remote-work case from request to end.
//
// The remote place (Request.Place, Terms.RemotePlace) is a home address:
// reads never carry it. RevealRemotePlace returns it to the employee, their
// manager (PermDecideAgreements over the person's unit) and HR
// (PermViewAgreements everywhere), and audits every read; PlaceSet says
// whether there is one.
type Agreement struct {
	ID             string         `json:"id"`
	OrganisationID string         `json:"organisation_id"`
	Number         string         `json:"number"` // registration number, e.g. "DIST 2026/0042"
	PersonID       string         `json:"person_id"`
	PersonName     string         `json:"person_name"`
	UnitID         string         `json:"unit_id"` // the person's unit when the case was opened
	UnitName       string         `json:"unit_name"`
	UnitPath       string         `json:"-"`
	State          AgreementState `json:"state"`
	// Version counts changes; every change names the version it was made
	// on, and a stale one (a double submit, a second tab) is ECONFLICT.
	Version int `json:"version"`

	Request    AgreementRequest `json:"request"`
	Assessment *Assessment      `json:"assessment,omitempty"`
	Risk       *RiskAssessment  `json:"risk,omitempty"`
	Decision   *Decision        `json:"decision,omitempty"`
	Terms      *Terms           `json:"terms,omitempty"`
	PlaceSet   bool             `json:"place_set"`
	// TermsHash is Terms.Hash of the terms as stored, the remote place
	// included, which a signer signs (FindAgreement only).
	TermsHash string `json:"terms_hash,omitempty"`
	// Findings are the pack's findings on Terms when they were last saved,
	// checked against PackVersion.
	Findings    []AgreementFinding `json:"findings,omitempty"`
	PackVersion int                `json:"pack_version,omitempty"`
	Signatures  []Signature        `json:"signatures,omitempty"`

	FollowUps      []*FollowUp `json:"follow_ups,omitempty"` // FindAgreement only, newest first
	NextFollowUpOn *time.Time  `json:"next_follow_up_on,omitempty"`
	Evaluation     *Evaluation `json:"evaluation,omitempty"`

	RenewalOf string `json:"renewal_of,omitempty"` // the agreement this one renews
	RenewedBy string `json:"renewed_by,omitempty"` // the agreement that renews this one

	EndedOn   *time.Time `json:"ended_on,omitempty"` // the last day in force
	EndReason EndReason  `json:"end_reason,omitempty"`
	EndNote   string     `json:"end_note,omitempty"` // the documented dialogue, for EndByManager
	EndedBy   string     `json:"ended_by,omitempty"` // empty for the system

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Signed returns the party's signature, or nil.
func (a *Agreement) Signed(role SignerRole) *Signature {
	for i := range a.Signatures {
		if a.Signatures[i].Role == role {
			return &a.Signatures[i]
		}
	}
	return nil
}

// FindingNeedsComment reports whether a finding on the terms still stands
// in the way of a signature for want of a comment: a warning must be
// answered in Terms.Comments before the parties sign.
func FindingNeedsComment(severity, ruleID string, comments map[string]string) bool {
	return severity == "warn" && strings.TrimSpace(comments[ruleID]) == ""
}

// OpenFindings counts what keeps the saved terms from being signed: the
// blocking findings, and the warnings without a comment. The service
// checks the terms against the active pack once more when someone signs.
func (a *Agreement) OpenFindings() (blocking, uncommented int) {
	var comments map[string]string
	if a.Terms != nil {
		comments = a.Terms.Comments
	}
	for _, f := range a.Findings {
		switch {
		case f.Severity == "block":
			blocking++
		case FindingNeedsComment(f.Severity, f.RuleID, comments):
			uncommented++
		}
	}
	return blocking, uncommented
}

// NextFollowUp is the day the next follow-up falls due, for an active
// agreement only: an agreement that has ended (or not yet begun to apply)
// has no follow-up due, whatever an older record says.
func (a *Agreement) NextFollowUp() *time.Time {
	if a.State != AgreementActive {
		return nil
	}
	return a.NextFollowUpOn
}

// FollowUpDue is the day a follow-up falls due intervalDays after from,
// but never after last, the agreement's last day: a follow-up after the
// end follows up nothing. The pages, the API and the jobs get the day
// from here, and the store refuses any other.
func FollowUpDue(from time.Time, intervalDays int, last time.Time) time.Time {
	next := from.AddDate(0, 0, intervalDays)
	if next.After(last) {
		return last
	}
	return next
}

// FollowUpOverdue reports whether an active agreement's follow-up is past due on today.
func (a *Agreement) FollowUpOverdue(today time.Time) bool {
	return a.State == AgreementActive && a.NextFollowUpOn != nil && a.NextFollowUpOn.Before(today)
}

// ExpiresWithin reports whether an active agreement's last day is within
// days of today.
func (a *Agreement) ExpiresWithin(today time.Time, days int) bool {
	return a.State == AgreementActive && a.Terms != nil && !a.Terms.End.Before(today) &&
		!a.Terms.End.After(today.AddDate(0, 0, days))
}

// AgreementFilter selects agreements for a list. Lists are of what the
// actor may see: their own always; their PermViewAgreements scope.
type AgreementFilter struct {
	PersonID string           // one person's cases
	UnitID   string           // a unit's subtree
	States   []AgreementState // any of these; empty for all
	// Due selects the manager's queue: open cases waiting for the actor's
	// decision or signature, follow-ups due, and agreements expiring
	// within 60 days, in the actor's PermDecideAgreements scope.
	Queue      bool
	ExpiringBy *time.Time // active agreements whose last day is on or before this day
	Overdue    *time.Time // active agreements whose next follow-up is before this day
	Query      string     // the person's name, or the registration number
	Limit      int        // 0 for the default page of 50
	Offset     int
}

// AgreementStore keeps agreements. Permissions are enforced here:
//   - the employee opens a case for themselves, changes and withdraws their
//     request until a decision, answers the risk questions, signs as the
//     employee and ends their active agreement at will;
//   - a manager (PermDecideAgreements over the person's unit, and not the
//     person) assesses, reviews the risk assessment, decides, writes the
//     terms, signs as the manager, records follow-ups and the evaluation,
//     renews and ends;
//   - HR (PermViewAgreements) reads.
//
// Anything outside the caller's reach is ENOTFOUND; a case they see but
// may not change is EFORBIDDEN; a change in the wrong state, or on a stale
// version, is ECONFLICT with a message saying what happened. Every change
// writes an audit event and its notifications in its transaction.
type AgreementStore interface {
	FindAgreement(ctx context.Context, id string) (*Agreement, error)
	ListAgreements(ctx context.Context, f AgreementFilter) ([]*Agreement, int, error)
	// RevealRemotePlace returns the request's and the terms' remote place,
	// and audits the read.
	RevealRemotePlace(ctx context.Context, id string) (request, terms string, err error)

	// CreateAgreement opens a case for the actor with a.Request and assigns
	// the registration number; ECONFLICT when the actor already has an open
	// case. It notifies the managers.
	CreateAgreement(ctx context.Context, a *Agreement) error
	// UpdateRequest and SaveTerms keep the registered remote place when
	// the new one is empty: reads never carry it, so clients cannot send
	// it back unchanged.
	UpdateRequest(ctx context.Context, id string, version int, r *AgreementRequest) (*Agreement, error)
	Withdraw(ctx context.Context, id string, version int) (*Agreement, error)
	SaveAssessment(ctx context.Context, id string, version int, as *Assessment) (*Agreement, error)
	AnswerRisk(ctx context.Context, id string, version int, answers map[string]RiskAnswer) (*Agreement, error)
	ReviewRisk(ctx context.Context, id string, version int, outcome RiskOutcome, measures string) (*Agreement, error)
	// Decide records the decision. An approval needs a reviewed risk
	// assessment that is not RiskNotAcceptable, and stores terms (prefilled
	// by the service) with their findings: the case awaits signatures. A
	// decline ends the case.
	Decide(ctx context.Context, id string, version int, d *Decision, terms *Terms, findings []AgreementFinding, packVersion int) (*Agreement, error)
	// SaveTerms replaces the terms and findings while the case awaits
	// signatures, and voids any signature made on the old terms.
	SaveTerms(ctx context.Context, id string, version int, t *Terms, findings []AgreementFinding, packVersion int) (*Agreement, error)
	// Sign records a signature whose Hash must be the current terms' hash,
	// remote place included (ECONFLICT otherwise), and audits that read of
	// the place with the signature; the second signature makes the
	// agreement active with the first follow-up due on nextFollowUp.
	Sign(ctx context.Context, id string, version int, s Signature, nextFollowUp time.Time) (*Agreement, error)
	// AddFollowUp records a follow-up of an active agreement and sets the next one due.
	AddFollowUp(ctx context.Context, id string, version int, f *FollowUp, next time.Time) (*Agreement, error)
	SaveEvaluation(ctx context.Context, id string, version int, e *Evaluation) (*Agreement, error)
	// Renew opens a new case awaiting signatures with terms, linked to the
	// active agreement id, which needs an evaluation that recommends it;
	// ECONFLICT when it is already renewed.
	Renew(ctx context.Context, id string, version int, terms *Terms, findings []AgreementFinding, packVersion int) (*Agreement, error)
	// End ends an active agreement on the day on (today or later, and not
	// after its last day) for reason, by the actor.
	End(ctx context.Context, id string, version int, reason EndReason, note string, on time.Time) (*Agreement, error)

	// EndAgreements is for the housekeeping job (system actor): it ends the
	// actor's organisation's active agreements whose last day is before
	// today (EndExpired), whose person has moved to another unit
	// (EndUnitMove, telling the new unit's managers) or whose employment has
	// ended (EndEmploymentEnded), and returns how many it ended.
	EndAgreements(ctx context.Context, today time.Time) (int, error)
	// QueueReminders is for the reminder job (system actor): it records the
	// reminders due on today for the actor's organisation (expiry in 60, 30
	// and 7 days; follow-up due and overdue) as notifications with unique
	// keys, so that each is made once however often and wherever it runs,
	// and returns how many it made.
	QueueReminders(ctx context.Context, today time.Time) (int, error)
	// ImportAgreement stores a complete case as it stands (any state, with
	// its history and remote place), for agreements made before Distans
	// and for the demo; it needs the system actor. It assigns a number
	// when a.Number is empty and writes one audit event.
	ImportAgreement(ctx context.Context, a *Agreement, requestPlace, termsPlace string, followUps []*FollowUp) error
	// RemoteWeekdays returns, by person, the remote weekdays of the
	// agreement in force on date, in one query for all of personIDs. People
	// without one, and people the actor may not see (the person, the system
	// and PermViewPeople see), are absent.
	RemoteWeekdays(ctx context.Context, personIDs []string, date time.Time) (map[string][]string, error)
}

// AgreementService is what the pages and the API use (internal/agreement):
// the store with the policy pack applied to requests and terms, terms
// prefilled on approval, and signatures after re-authentication.
type AgreementService interface {
	FindAgreement(ctx context.Context, id string) (*Agreement, error)
	ListAgreements(ctx context.Context, f AgreementFilter) ([]*Agreement, int, error)
	RevealRemotePlace(ctx context.Context, id string) (request, terms string, err error)

	// Request opens a case; a period past the pack's maximum length is
	// EINVALID citing the clause.
	Request(ctx context.Context, r *AgreementRequest) (*Agreement, error)
	UpdateRequest(ctx context.Context, id string, version int, r *AgreementRequest) (*Agreement, error)
	Withdraw(ctx context.Context, id string, version int) (*Agreement, error)
	SaveAssessment(ctx context.Context, id string, version int, as *Assessment) (*Agreement, error)
	AnswerRisk(ctx context.Context, id string, version int, answers map[string]RiskAnswer) (*Agreement, error)
	ReviewRisk(ctx context.Context, id string, version int, outcome RiskOutcome, measures string) (*Agreement, error)
	// RequestFindings returns the active pack's findings on the request
	// as it stands, with their clauses, for the manager to see before
	// deciding: only the rules that read nothing but what a request states
	// (its period, days, share, place, tasks, travel time, secrecy, client
	// meetings) and the risk assessment. ENOTFOUND for a case the actor
	// may not see.
	RequestFindings(ctx context.Context, id string) ([]AgreementFinding, error)
	// Preconditions returns the active pack's findings on what the
	// employee must have done before an agreement is approved or signed
	// (the pack's precondition rules: a course completed, the current
	// version of a document acknowledged; Kristianstads kommun,
	// Instruktion för digital kommunikation, Behörighet and Utbildning),
	// for the employee of case id, or with id empty for the actor about
	// to request one. RequestFindings, CheckTerms and SaveTerms include
	// them; approving (Decide) and Sign refuse with EINVALID citing the
	// clause while a blocking one stands. ENOTFOUND for a case the actor
	// may not see.
	Preconditions(ctx context.Context, id string) ([]AgreementFinding, error)
	// Decide approves (prefilling the terms from the request, the person's
	// site and the pack) or declines.
	Decide(ctx context.Context, id string, version int, approve bool, reasons string) (*Agreement, error)
	// SaveTerms checks the terms against the pack and saves them with the
	// findings; blocking findings are saved (so the form shows them) but
	// prevent signing.
	SaveTerms(ctx context.Context, id string, version int, t *Terms) (*Agreement, error)
	// CheckTerms returns the pack's findings on terms without saving. With
	// an agreement ID the case's risk assessment and registered place apply
	// (ENOTFOUND for a case the actor may not see); without one the terms
	// are checked as if no risk assessment had been made.
	CheckTerms(ctx context.Context, agreementID string, t *Terms) ([]AgreementFinding, int, error)
	// Sign re-authenticates the actor with password, then signs as role the
	// terms whose hash the signer saw; blocking findings, or a warning
	// without a comment, refuse it with EINVALID.
	Sign(ctx context.Context, id string, version int, role SignerRole, hash, password string) (*Agreement, error)
	AddFollowUp(ctx context.Context, id string, version int, f *FollowUp) (*Agreement, error)
	SaveEvaluation(ctx context.Context, id string, version int, e *Evaluation) (*Agreement, error)
	// Renew prefills new terms from the agreement, starting the day after
	// its last day and as long as the pack allows (or end, when given and
	// shorter), and opens the renewal.
	Renew(ctx context.Context, id string, version int, end time.Time) (*Agreement, error)
	End(ctx context.Context, id string, version int, reason EndReason, note string, on time.Time) (*Agreement, error)
	// PDF writes the signed agreement as a PDF, in Swedish, with every part
	// and both signatures; the read of the remote place is audited.
	PDF(ctx context.Context, id string, w io.Writer) error
}

// Agreement audit actions and notification kinds share these names.
const (
	AgreementAuditPlaceRead = "agreement.place_read"
)
