package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// The changes of a case. Each body names the version of the case the
// client read; agreementChange decodes and checks the body, then lets the
// body call the service, and answers the case as it now stands.

// agreementBody is the request body of one change of a case.
type agreementBody interface {
	// versionField returns the body's version, nil when it was left out.
	versionField() *int
	// check adds the body's own errors to v and returns the domain's
	// validation error, if any; today is the organisation's day.
	check(v *distans.Validation, today time.Time) error
	// do makes the change on the case id, read at version.
	do(ctx context.Context, a *API, id string, version int, today time.Time) (*distans.Agreement, error)
}

// agreementChange is the handler of one change; newBody returns the empty
// body to decode into.
func (a *API) agreementChange(newBody func() agreementBody) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.agreementService(w, r) == nil {
			return
		}
		ctx := r.Context()
		body := newBody()
		if err := httpx.DecodeJSON(w, r, body); err != nil {
			a.error(w, r, err)
			return
		}
		today, _, err := distans.TodayIn(ctx, a.svc.Organisations, distans.ActorFrom(ctx).OrganisationID)
		if err != nil {
			a.error(w, r, err)
			return
		}
		var v distans.Validation
		version := checkVersion(&v, body.versionField())
		if err := validate(&v, body.check(&v, today)); err != nil {
			a.error(w, r, err)
			return
		}
		ag, err := body.do(ctx, a, r.PathValue("id"), version, today)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, agreementView(ag))
	})
}

// checkVersion requires the version the client read.
func checkVersion(v *distans.Validation, version *int) int {
	switch {
	case version == nil:
		v.Add("version", "Ange vilken version av ärendet du utgick från (fältet version, från senaste läsningen).",
			"Give the version of the case you started from (the version field, from your last read).")
		return 0
	case *version < 1:
		v.Add("version", "Versionen ska vara 1 eller högre.", "The version must be 1 or higher.")
		return 0
	}
	return *version
}

// agreementRequestBody is POST /agreements: what the employee asks for.
type agreementRequestBody struct {
	Weekdays    []string `json:"weekdays"`
	DaysPerWeek int      `json:"days_per_week"`
	Place       string   `json:"place"`
	Start       Date     `json:"start"`
	End         Date     `json:"end"`
	Tasks       string   `json:"tasks"`
	Reasons     string   `json:"reasons"`
	// What the pack needs to check the request before the decision.
	ReturnMinutes          int  `json:"return_minutes"`
	SecrecyTasks           bool `json:"secrecy_tasks"`
	ClientMeetingsAtRemote bool `json:"client_meetings_at_remote"`
}

// request checks the dates into v and returns the domain's request.
func (q *agreementRequestBody) request(v *distans.Validation) *distans.AgreementRequest {
	q.Start.check(v, "start", false)
	q.End.check(v, "end", false)
	return &distans.AgreementRequest{Weekdays: weekdays(q.Weekdays), DaysPerWeek: q.DaysPerWeek,
		Place: strings.TrimSpace(q.Place), Start: q.Start.Time(), End: q.End.Time(),
		Tasks: strings.TrimSpace(q.Tasks), Reasons: strings.TrimSpace(q.Reasons),
		ReturnMinutes: q.ReturnMinutes, SecrecyTasks: q.SecrecyTasks, ClientMeetingsAtRemote: q.ClientMeetingsAtRemote}
}

// weekdays folds the names of weekdays to the domain's lower case.
func weekdays(ds []string) []string {
	var out []string
	for _, d := range ds {
		out = append(out, strings.ToLower(strings.TrimSpace(d)))
	}
	return out
}

// requestUpdateBody is PUT /agreements/{id}/request.
type requestUpdateBody struct {
	Weekdays    []string `json:"weekdays"`
	DaysPerWeek int      `json:"days_per_week"`
	Place       string   `json:"place"`
	Start       Date     `json:"start"`
	End         Date     `json:"end"`
	Tasks       string   `json:"tasks"`
	Reasons     string   `json:"reasons"`
	Version     *int     `json:"version"`

	ReturnMinutes          int  `json:"return_minutes"`
	SecrecyTasks           bool `json:"secrecy_tasks"`
	ClientMeetingsAtRemote bool `json:"client_meetings_at_remote"`

	req *distans.AgreementRequest
}

func (q *requestUpdateBody) versionField() *int { return q.Version }

func (q *requestUpdateBody) check(v *distans.Validation, today time.Time) error {
	b := agreementRequestBody{Weekdays: q.Weekdays, DaysPerWeek: q.DaysPerWeek, Place: q.Place, Start: q.Start, End: q.End,
		Tasks: q.Tasks, Reasons: q.Reasons, ReturnMinutes: q.ReturnMinutes, SecrecyTasks: q.SecrecyTasks,
		ClientMeetingsAtRemote: q.ClientMeetingsAtRemote}
	q.req = b.request(v)
	return q.req.Validate(today)
}

func (q *requestUpdateBody) do(ctx context.Context, a *API, id string, version int, _ time.Time) (*distans.Agreement, error) {
	return a.svc.Agreements.UpdateRequest(ctx, id, version, q.req)
}

// withdrawBody is POST /agreements/{id}/withdraw: nothing but the version.
type withdrawBody struct {
	Version *int `json:"version"`
}

func (q *withdrawBody) versionField() *int                         { return q.Version }
func (q *withdrawBody) check(*distans.Validation, time.Time) error { return nil }

func (q *withdrawBody) do(ctx context.Context, a *API, id string, version int, _ time.Time) (*distans.Agreement, error) {
	return a.svc.Agreements.Withdraw(ctx, id, version)
}

// assessmentBody is PUT /agreements/{id}/assessment: the manager's
// answers to the assessment questions.
type assessmentBody struct {
	Operation    string `json:"operation"`
	Individual   string `json:"individual"`
	Extent       string `json:"extent"`
	Availability string `json:"availability"`
	Meetings     string `json:"meetings"`
	CommonDays   string `json:"common_days"`
	Version      *int   `json:"version"`

	as *distans.Assessment
}

func (q *assessmentBody) versionField() *int { return q.Version }

func (q *assessmentBody) check(*distans.Validation, time.Time) error {
	q.as = &distans.Assessment{Operation: strings.TrimSpace(q.Operation), Individual: strings.TrimSpace(q.Individual),
		Extent: strings.TrimSpace(q.Extent), Availability: strings.TrimSpace(q.Availability),
		Meetings: strings.TrimSpace(q.Meetings), CommonDays: strings.TrimSpace(q.CommonDays)}
	return q.as.Validate()
}

func (q *assessmentBody) do(ctx context.Context, a *API, id string, version int, _ time.Time) (*distans.Agreement, error) {
	return a.svc.Agreements.SaveAssessment(ctx, id, version, q.as)
}

// riskBody is PUT /agreements/{id}/risk: the employee's answers, by the
// points of distans.RiskItems.
type riskBody struct {
	Answers map[string]riskAnswerBody `json:"answers"`
	Version *int                      `json:"version"`

	answers map[string]distans.RiskAnswer
}

type riskAnswerBody struct {
	OK      bool   `json:"ok"`
	Comment string `json:"comment"`
}

func (q *riskBody) versionField() *int { return q.Version }

func (q *riskBody) check(*distans.Validation, time.Time) error {
	q.answers = map[string]distans.RiskAnswer{}
	for k, ans := range q.Answers {
		q.answers[k] = distans.RiskAnswer{OK: ans.OK, Comment: strings.TrimSpace(ans.Comment)}
	}
	ra := distans.RiskAssessment{Answers: q.answers}
	return ra.ValidateAnswers()
}

func (q *riskBody) do(ctx context.Context, a *API, id string, version int, _ time.Time) (*distans.Agreement, error) {
	return a.svc.Agreements.AnswerRisk(ctx, id, version, q.answers)
}

// riskReviewBody is POST /agreements/{id}/risk/review: the manager's
// conclusion on the home workplace.
type riskReviewBody struct {
	Outcome  distans.RiskOutcome `json:"outcome"`
	Measures string              `json:"measures"`
	Version  *int                `json:"version"`
}

func (q *riskReviewBody) versionField() *int { return q.Version }

func (q *riskReviewBody) check(*distans.Validation, time.Time) error {
	q.Measures = strings.TrimSpace(q.Measures)
	ra := distans.RiskAssessment{Outcome: q.Outcome, Measures: q.Measures}
	return ra.ValidateReview()
}

func (q *riskReviewBody) do(ctx context.Context, a *API, id string, version int, _ time.Time) (*distans.Agreement, error) {
	return a.svc.Agreements.ReviewRisk(ctx, id, version, q.Outcome, q.Measures)
}

// decisionBody is POST /agreements/{id}/decision.
type decisionBody struct {
	Approve *bool  `json:"approve"`
	Reasons string `json:"reasons"`
	Version *int   `json:"version"`
}

func (q *decisionBody) versionField() *int { return q.Version }

func (q *decisionBody) check(v *distans.Validation, _ time.Time) error {
	if q.Approve == nil {
		v.Add("approve", "Ange beslutet: true för bifall, false för avslag.", "Give the decision: true to approve, false to decline.")
	}
	q.Reasons = strings.TrimSpace(q.Reasons)
	d := distans.Decision{Reasons: q.Reasons}
	return d.Validate()
}

func (q *decisionBody) do(ctx context.Context, a *API, id string, version int, _ time.Time) (*distans.Agreement, error) {
	return a.svc.Agreements.Decide(ctx, id, version, *q.Approve, q.Reasons)
}

// TermsInput is the written agreement as a request: POST /agreements/check,
// and PUT /agreements/{id}/terms with the version beside it. A remote_place
// left out is kept as saved on PUT (and checked as empty). It is exported
// only so that termsPutBody's embedded fields count as its own wherever
// they are read by reflection (the route table's schema test).
type TermsInput struct {
	Start                  Date              `json:"start"`
	End                    Date              `json:"end"`
	Weekdays               []string          `json:"weekdays_remote"`
	DaysPerWeek            int               `json:"days_per_week"`
	ShareRemote            int               `json:"share_remote"`
	RemotePlace            *string           `json:"remote_place"`
	MainWorkplace          string            `json:"main_workplace"`
	TaxWorkplace           string            `json:"tax_workplace"`
	Tasks                  string            `json:"tasks"`
	SecrecyTasks           bool              `json:"secrecy_tasks"`
	WorkingHours           string            `json:"working_hours"`
	Availability           []string          `json:"availability"`
	ReturnMinutes          int               `json:"return_minutes"`
	ClientMeetingsAtRemote bool              `json:"client_meetings_at_remote"`
	PhysicalMeetings       string            `json:"physical_meetings"`
	Equipment              []string          `json:"equipment"`
	Conditions             string            `json:"conditions"`
	Evaluation             string            `json:"evaluation"`
	Comments               map[string]string `json:"comments"`
}

// terms checks the dates into v and returns the domain's terms.
func (q *TermsInput) terms(v *distans.Validation) *distans.Terms {
	q.Start.check(v, "start", false)
	q.End.check(v, "end", false)
	t := &distans.Terms{Start: q.Start.Time(), End: q.End.Time(), Weekdays: weekdays(q.Weekdays), DaysPerWeek: q.DaysPerWeek,
		ShareRemote: q.ShareRemote, MainWorkplace: strings.TrimSpace(q.MainWorkplace), TaxWorkplace: strings.TrimSpace(q.TaxWorkplace),
		Tasks: strings.TrimSpace(q.Tasks), SecrecyTasks: q.SecrecyTasks, WorkingHours: strings.TrimSpace(q.WorkingHours),
		Availability: q.Availability, ReturnMinutes: q.ReturnMinutes, ClientMeetingsAtRemote: q.ClientMeetingsAtRemote,
		PhysicalMeetings: strings.TrimSpace(q.PhysicalMeetings), Equipment: q.Equipment, Conditions: strings.TrimSpace(q.Conditions), Evaluation: strings.TrimSpace(q.Evaluation)}
	if q.RemotePlace != nil {
		t.RemotePlace = trimmed(q.RemotePlace)
	}
	for id, c := range q.Comments {
		if c = strings.TrimSpace(c); c != "" {
			if t.Comments == nil {
				t.Comments = map[string]string{}
			}
			t.Comments[id] = c
		}
	}
	return t
}

// termsPutBody is PUT /agreements/{id}/terms.
type termsPutBody struct {
	TermsInput
	Version *int `json:"version"`

	t *distans.Terms
}

func (q *termsPutBody) versionField() *int { return q.Version }

func (q *termsPutBody) check(v *distans.Validation, _ time.Time) error {
	q.t = q.terms(v)
	return q.t.Validate()
}

func (q *termsPutBody) do(ctx context.Context, a *API, id string, version int, _ time.Time) (*distans.Agreement, error) {
	// Without remote_place the saved place stays (the service's rule):
	// clients never read it back, so most never send it.
	return a.svc.Agreements.SaveTerms(ctx, id, version, q.t)
}

// signatureBody is POST /agreements/{id}/signatures: the signer's role,
// the terms_hash they read, and their password, which re-authenticates them.
type signatureBody struct {
	Role     distans.SignerRole `json:"role"`
	Hash     string             `json:"hash"`
	Password string             `json:"password"`
	Version  *int               `json:"version"`
}

func (q *signatureBody) versionField() *int { return q.Version }

func (q *signatureBody) check(v *distans.Validation, _ time.Time) error {
	if !slices.Contains([]distans.SignerRole{distans.SignerEmployee, distans.SignerManager}, q.Role) {
		v.Add("role", "Ange employee eller manager.", "Give employee or manager.")
	}
	q.Hash = strings.TrimSpace(q.Hash)
	v.Required("hash", q.Hash)
	if q.Password == "" {
		v.Add("password", "Ange ditt lösenord för att skriva under.", "Enter your password to sign.")
	}
	return nil
}

func (q *signatureBody) do(ctx context.Context, a *API, id string, version int, _ time.Time) (*distans.Agreement, error) {
	return a.svc.Agreements.Sign(ctx, id, version, q.Role, q.Hash, q.Password)
}

// followUpBody is POST /agreements/{id}/follow-ups.
type followUpBody struct {
	Date          Date   `json:"date"`
	Goals         string `json:"goals"`
	Quality       string `json:"quality"`
	Availability  string `json:"availability"`
	WorkSituation string `json:"work_situation"`
	DigitalEnv    string `json:"digital_env"`
	SpillOver     string `json:"spill_over"`
	Rating        string `json:"spill_over_rating"`
	Measures      string `json:"measures"`
	Version       *int   `json:"version"`

	f *distans.FollowUp
}

func (q *followUpBody) versionField() *int { return q.Version }

func (q *followUpBody) check(v *distans.Validation, today time.Time) error {
	q.Date.check(v, "date", false)
	q.f = &distans.FollowUp{Date: q.Date.Time(), Goals: strings.TrimSpace(q.Goals), Quality: strings.TrimSpace(q.Quality),
		Availability: strings.TrimSpace(q.Availability), WorkSituation: strings.TrimSpace(q.WorkSituation),
		DigitalEnv: strings.TrimSpace(q.DigitalEnv), SpillOver: strings.TrimSpace(q.SpillOver), Measures: strings.TrimSpace(q.Measures),
		SpillOverRating: distans.SpillOverRating(strings.TrimSpace(q.Rating))}
	return q.f.Validate(today)
}

func (q *followUpBody) do(ctx context.Context, a *API, id string, version int, _ time.Time) (*distans.Agreement, error) {
	return a.svc.Agreements.AddFollowUp(ctx, id, version, q.f)
}

// evaluationBody is PUT /agreements/{id}/evaluation.
type evaluationBody struct {
	Date     Date   `json:"date"`
	Summary  string `json:"summary"`
	Continue bool   `json:"continue"`
	Version  *int   `json:"version"`

	e *distans.Evaluation
}

func (q *evaluationBody) versionField() *int { return q.Version }

func (q *evaluationBody) check(v *distans.Validation, today time.Time) error {
	q.Date.check(v, "date", false)
	q.e = &distans.Evaluation{Date: q.Date.Time(), Summary: strings.TrimSpace(q.Summary), Continue: q.Continue}
	return q.e.Validate(today)
}

func (q *evaluationBody) do(ctx context.Context, a *API, id string, version int, _ time.Time) (*distans.Agreement, error) {
	return a.svc.Agreements.SaveEvaluation(ctx, id, version, q.e)
}

// renewalBody is POST /agreements/{id}/renewal: end, when given, ends the
// renewal earlier than the pack's maximum.
type renewalBody struct {
	End     Date `json:"end"`
	Version *int `json:"version"`
}

func (q *renewalBody) versionField() *int { return q.Version }

func (q *renewalBody) check(v *distans.Validation, _ time.Time) error {
	q.End.check(v, "end", false)
	return nil
}

func (q *renewalBody) do(ctx context.Context, a *API, id string, version int, _ time.Time) (*distans.Agreement, error) {
	return a.svc.Agreements.Renew(ctx, id, version, q.End.Time())
}

// endBody is POST /agreements/{id}/end: why, a note (the documented
// dialogue when the manager ends it), and the last day in force, today
// when left out.
type endBody struct {
	Reason  distans.EndReason `json:"reason"`
	Note    string            `json:"note"`
	On      Date              `json:"on"`
	Version *int              `json:"version"`
}

func (q *endBody) versionField() *int { return q.Version }

func (q *endBody) check(v *distans.Validation, today time.Time) error {
	q.On.check(v, "on", false)
	if !slices.Contains([]distans.EndReason{distans.EndByManager, distans.EndByEmployee}, q.Reason) {
		v.Add("reason", "Ange manager eller employee.", "Give manager or employee.")
	}
	q.Note = strings.TrimSpace(q.Note)
	if q.Reason == distans.EndByManager {
		v.Required("note", q.Note)
	}
	v.MaxLen("note", q.Note, 4000)
	if !q.On.IsZero() && q.On.Time().Before(today) {
		v.Add("on", "Dagen har redan varit.", "The day has passed.")
	}
	return nil
}

func (q *endBody) do(ctx context.Context, a *API, id string, version int, today time.Time) (*distans.Agreement, error) {
	on := q.On.Time()
	if on.IsZero() {
		on = today
	}
	return a.svc.Agreements.End(ctx, id, version, q.Reason, q.Note, on)
}

// The change handlers, one per route.

func (a *API) agreementRequestUpdate() http.Handler {
	return a.agreementChange(func() agreementBody { return &requestUpdateBody{} })
}

func (a *API) agreementWithdraw() http.Handler {
	return a.agreementChange(func() agreementBody { return &withdrawBody{} })
}

func (a *API) agreementAssessment() http.Handler {
	return a.agreementChange(func() agreementBody { return &assessmentBody{} })
}

func (a *API) agreementRisk() http.Handler {
	return a.agreementChange(func() agreementBody { return &riskBody{} })
}

func (a *API) agreementRiskReview() http.Handler {
	return a.agreementChange(func() agreementBody { return &riskReviewBody{} })
}

func (a *API) agreementDecision() http.Handler {
	return a.agreementChange(func() agreementBody { return &decisionBody{} })
}

func (a *API) agreementTerms() http.Handler {
	return a.agreementChange(func() agreementBody { return &termsPutBody{} })
}

func (a *API) agreementSign() http.Handler {
	return a.agreementChange(func() agreementBody { return &signatureBody{} })
}

func (a *API) agreementFollowUp() http.Handler {
	return a.agreementChange(func() agreementBody { return &followUpBody{} })
}

func (a *API) agreementEvaluation() http.Handler {
	return a.agreementChange(func() agreementBody { return &evaluationBody{} })
}

func (a *API) agreementRenew() http.Handler {
	return a.agreementChange(func() agreementBody { return &renewalBody{} })
}

func (a *API) agreementEnd() http.Handler {
	return a.agreementChange(func() agreementBody { return &endBody{} })
}
