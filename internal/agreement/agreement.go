// Package agreement is the remote-work agreement service: the business
// rules between the handlers and the distans.AgreementStore. It applies
// the organisation's policy pack to requests and terms (the longest period
// an agreement may run, every part Bjurholm 002 §11 asks for), prefills
// the terms when a manager approves a request, checks the terms again and
// re-authenticates the signer before a signature, sets the follow-ups due,
// prefills renewals and writes the signed agreement as a PDF.
//
// Permissions, states, versions, the organisation and the audit trail are
// the store's, which this service wraps: what the store refuses reaches the
// caller as the store said it.
package agreement

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/pdf"
	"github.com/distans/distans/internal/policy"
)

// Parameters of the policy packs that the service reads without a rule.
const (
	// MaxMonthsParam is the longest an agreement runs, in calendar months
	// counted from its first day (Bjurholm 002 §11: one year at a time,
	// 12): the last day is at the latest the day before the same date that
	// many months later (distans.LastDayWithin).
	MaxMonthsParam = "max_agreement_months"
	// FollowUpParam is the number of days between follow-ups (Bjurholm 002
	// §12: at the yearly review).
	FollowUpParam = "follow_up_interval_days"
	// ReturnParam is the longest time to get back to the main workplace,
	// in minutes (Stockholm 000 Utgångspunkter: about 1.5 hours).
	ReturnParam = "max_return_travel_minutes"
)

// DefaultFollowUpDays is the follow-up interval when the pack has no
// FollowUpParam. Stockholm asks for follow-up "löpande" (continuously,
// 000 Uppföljning och utvärdering) without a number; half a year makes
// sure that a follow-up falls due at least twice in an agreement's year,
// and the manager may always record one sooner.
const DefaultFollowUpDays = 180

// DefaultReturnMinutes is the return time prefilled on approval when the
// pack has no ReturnParam: Stockholm's "cirka 1,5 timme" (000
// Utgångspunkter), the only number any of the documents gives.
const DefaultReturnMinutes = 90

// Prefilled texts of the terms on approval; the manager edits them.
const (
	DefaultWorkingHours = "Enligt gällande arbetstidsavtal"
	DefaultEvaluation   = "Vid det årliga medarbetarsamtalet (002 §12)"
)

// DefaultAvailability are the channels prefilled on approval (000
// Utgångspunkter: phone, e-mail and Skype or Teams).
var DefaultAvailability = []string{"phone", "email", "teams"}

// Packs gives the active policy pack of the actor's organisation;
// *policy.Service is one.
type Packs interface {
	Active(ctx context.Context) (*policy.Pack, *distans.PolicyVersion, error)
}

// Reauthenticator checks the actor's password again before a signature;
// distans.SignInService is one.
type Reauthenticator interface {
	Reauthenticate(ctx context.Context, password string) error
}

// Config is what the service is built from. Every field is required.
type Config struct {
	Store         distans.AgreementStore
	Packs         Packs
	Reauth        Reauthenticator
	People        distans.PersonService                       // the person, for their main workplace
	Sites         distans.SiteService                         // the name of that workplace
	Organisations distans.OrganisationService                 // the name, and the time zone that says which day it is
	PDF           func(w io.Writer, d pdf.AgreementDoc) error // pdf.WriteAgreement
	// Preconditions reads what the pack's precondition rules need of the
	// employee (*training.Service is one). Nil: the precondition rules
	// have nothing to read and find nothing.
	Preconditions PreconditionReader
}

// PreconditionReader gives the precondition input of a person: the
// courses they have not done and the required documents they have not
// acknowledged.
type PreconditionReader interface {
	Precondition(ctx context.Context, personID string) (*policy.Precondition, error)
}

// Service is distans.AgreementService on a distans.AgreementStore.
type Service struct {
	store  distans.AgreementStore
	packs  Packs
	reauth Reauthenticator
	people distans.PersonService
	sites  distans.SiteService
	orgs   distans.OrganisationService
	pdf    func(w io.Writer, d pdf.AgreementDoc) error
	pre    PreconditionReader
}

var _ distans.AgreementService = (*Service)(nil)

// New returns the service.
func New(c Config) *Service {
	return &Service{store: c.Store, packs: c.Packs, reauth: c.Reauth, people: c.People, sites: c.Sites,
		orgs: c.Organisations, pdf: c.PDF, pre: c.Preconditions}
}

// FindAgreement is the store's.
func (s *Service) FindAgreement(ctx context.Context, id string) (*distans.Agreement, error) {
	return s.store.FindAgreement(ctx, id)
}

// ListAgreements is the store's.
func (s *Service) ListAgreements(ctx context.Context, f distans.AgreementFilter) ([]*distans.Agreement, int, error) {
	return s.store.ListAgreements(ctx, f)
}

// RevealRemotePlace is the store's, which audits the read.
func (s *Service) RevealRemotePlace(ctx context.Context, id string) (string, string, error) {
	return s.store.RevealRemotePlace(ctx, id)
}

// Request validates the request against today in the organisation's time
// zone and the pack's longest period, and opens the case for the actor.
func (s *Service) Request(ctx context.Context, r *distans.AgreementRequest) (*distans.Agreement, error) {
	if err := s.checkRequest(ctx, r); err != nil {
		return nil, err
	}
	a := &distans.Agreement{Request: *r}
	if err := s.store.CreateAgreement(ctx, a); err != nil {
		return nil, err
	}
	// Read it back as every read is: without the remote place.
	return s.store.FindAgreement(ctx, a.ID)
}

// UpdateRequest checks the changed request as Request does.
func (s *Service) UpdateRequest(ctx context.Context, id string, version int, r *distans.AgreementRequest) (*distans.Agreement, error) {
	check := *r
	if strings.TrimSpace(check.Place) == "" {
		check.Place = keptPlace // the store keeps the registered place
	}
	if err := s.checkRequest(ctx, &check); err != nil {
		return nil, err
	}
	return s.store.UpdateRequest(ctx, id, version, r)
}

func (s *Service) checkRequest(ctx context.Context, r *distans.AgreementRequest) error {
	today, _, err := s.today(ctx)
	if err != nil {
		return err
	}
	if err := r.Validate(today); err != nil {
		return err
	}
	pack, err := s.pack(ctx)
	if err != nil {
		return err
	}
	return tooLong(pack, r.Start, r.End)
}

// Withdraw is the store's.
func (s *Service) Withdraw(ctx context.Context, id string, version int) (*distans.Agreement, error) {
	return s.store.Withdraw(ctx, id, version)
}

// SaveAssessment checks that every question is answered, then stores it.
func (s *Service) SaveAssessment(ctx context.Context, id string, version int, as *distans.Assessment) (*distans.Agreement, error) {
	if err := as.Validate(); err != nil {
		return nil, err
	}
	return s.store.SaveAssessment(ctx, id, version, as)
}

// AnswerRisk checks that every point is answered, then stores the answers.
func (s *Service) AnswerRisk(ctx context.Context, id string, version int, answers map[string]distans.RiskAnswer) (*distans.Agreement, error) {
	if err := (&distans.RiskAssessment{Answers: answers}).ValidateAnswers(); err != nil {
		return nil, err
	}
	return s.store.AnswerRisk(ctx, id, version, answers)
}

// ReviewRisk checks the outcome (and measures when needed), then stores it.
func (s *Service) ReviewRisk(ctx context.Context, id string, version int, outcome distans.RiskOutcome, measures string) (*distans.Agreement, error) {
	if err := (&distans.RiskAssessment{Outcome: outcome, Measures: measures}).ValidateReview(); err != nil {
		return nil, err
	}
	return s.store.ReviewRisk(ctx, id, version, outcome, measures)
}

// Decide approves or declines the request. A decline needs reasons (it
// cannot be appealed, 000 Du beslutar). An approval writes the terms from
// the request (its period, days, place and tasks), the person's site as
// the main workplace, the usual channels, the pack's return time, the
// working hours and evaluation texts and the share of working time, with
// the pack's findings on them: the manager completes them with SaveTerms.
func (s *Service) Decide(ctx context.Context, id string, version int, approve bool, reasons string) (*distans.Agreement, error) {
	d := &distans.Decision{Approved: approve, Reasons: strings.TrimSpace(reasons)}
	if !approve {
		if err := d.Validate(); err != nil {
			return nil, err
		}
		return s.store.Decide(ctx, id, version, d, nil, nil, 0)
	}
	var v distans.Validation
	v.MaxLen("reasons", d.Reasons, 4000)
	if err := v.Err(); err != nil {
		return nil, err
	}
	a, err := s.managerOf(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.State != distans.AgreementRequested && a.State != distans.AgreementAssessed {
		return nil, distans.Errorf(distans.ECONFLICT, "Ansökan är redan avgjord.", "The request has already been decided.")
	}
	pack, err := s.pack(ctx)
	if err != nil {
		return nil, err
	}
	pre, err := s.preconditions(ctx, pack, a.PersonID)
	if err != nil {
		return nil, err
	}
	if err := unmet(pack, pre, true); err != nil {
		return nil, err
	}
	t, err := s.prefill(ctx, pack, a)
	if err != nil {
		return nil, err
	}
	findings, err := s.check(ctx, pack, t, a.Risk)
	if err != nil {
		return nil, err
	}
	return s.store.Decide(ctx, id, version, d, t, findings, pack.Version)
}

// prefill writes the first terms of an approved request.
func (s *Service) prefill(ctx context.Context, pack *policy.Pack, a *distans.Agreement) (*distans.Terms, error) {
	place, _, err := s.store.RevealRemotePlace(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	main, err := s.mainWorkplace(ctx, a.PersonID)
	if err != nil {
		return nil, err
	}
	r := a.Request
	ret := DefaultReturnMinutes
	if n, ok := pack.Int(ReturnParam); ok {
		ret = int(n)
	}
	if r.ReturnMinutes > 0 {
		ret = r.ReturnMinutes // what the employee stated beats the pack's longest
	}
	return &distans.Terms{
		Start: r.Start, End: r.End,
		Weekdays: slices.Clone(r.Weekdays), DaysPerWeek: r.DaysPerWeek,
		ShareRemote:   distans.RemoteShare(r.Weekdays, r.DaysPerWeek),
		RemotePlace:   place,
		MainWorkplace: main,
		Tasks:         r.Tasks,
		WorkingHours:  DefaultWorkingHours,
		Availability:  slices.Clone(DefaultAvailability),
		ReturnMinutes: ret,
		Evaluation:    DefaultEvaluation,

		SecrecyTasks:           r.SecrecyTasks,
		ClientMeetingsAtRemote: r.ClientMeetingsAtRemote,
	}, nil
}

// requestFacts are the variables of the agreement kind that a request
// states (or, for the risk assessment, that the case holds before the
// decision). A rule that reads anything else is about the terms, which
// the manager writes after approving: it has nothing to say yet.
var requestFacts = []string{"start", "end", "length_days", "weekdays_remote", "share_remote", "remote_place", "tasks",
	"return_minutes", "secrecy_tasks", "client_meetings_at_remote", "risk_assessment", "now"}

// RequestFindings checks the request against the active pack with the
// rules that read only what a request states, so that the manager sees
// them while assessing and deciding. The remote place counts as stated
// when one is registered; it is not read (a read is audited).
func (s *Service) RequestFindings(ctx context.Context, id string) ([]distans.AgreementFinding, error) {
	a, err := s.store.FindAgreement(ctx, id)
	if err != nil {
		return nil, err
	}
	pack, err := s.pack(ctx)
	if err != nil {
		return nil, err
	}
	r := a.Request
	t := &distans.Terms{Start: r.Start, End: r.End, Weekdays: r.Weekdays, DaysPerWeek: r.DaysPerWeek,
		ShareRemote: distans.RemoteShare(r.Weekdays, r.DaysPerWeek), Tasks: r.Tasks, ReturnMinutes: r.ReturnMinutes,
		SecrecyTasks: r.SecrecyTasks, ClientMeetingsAtRemote: r.ClientMeetingsAtRemote}
	if a.PlaceSet {
		t.RemotePlace = keptPlace
	}
	fs, err := s.checkPolicy(ctx, pack, t, a.Risk)
	if err != nil {
		return nil, err
	}
	fs = slices.DeleteFunc(fs, func(f policy.Finding) bool {
		rule, ok := pack.Rule(f.RuleID)
		if !ok {
			return true
		}
		for _, v := range rule.Uses() {
			if !slices.Contains(requestFacts, v) {
				return true
			}
		}
		return false
	})
	pre, err := s.preconditions(ctx, pack, a.PersonID)
	if err != nil {
		return nil, err
	}
	return toFindings(append(pre, fs...)), nil
}

// Preconditions returns the findings of the pack's precondition rules
// for the employee of case id, or for the actor when id is empty.
func (s *Service) Preconditions(ctx context.Context, id string) ([]distans.AgreementFinding, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	personID := actor.PersonID
	if id != "" {
		a, err := s.store.FindAgreement(ctx, id)
		if err != nil {
			return nil, err
		}
		personID = a.PersonID
	}
	pack, err := s.pack(ctx)
	if err != nil {
		return nil, err
	}
	fs, err := s.preconditions(ctx, pack, personID)
	if err != nil {
		return nil, err
	}
	return toFindings(fs), nil
}

// preconditions runs the pack's precondition rules on what the person has
// not yet done; a pack without such rules reads nothing.
func (s *Service) preconditions(ctx context.Context, pack *policy.Pack, personID string) ([]policy.Finding, error) {
	if s.pre == nil || personID == "" || !slices.ContainsFunc(pack.Rules, func(r *policy.Rule) bool { return r.Kind == policy.KindPrecondition }) {
		return nil, nil
	}
	in, err := s.pre.Precondition(ctx, personID)
	if err != nil {
		return nil, err
	}
	return pack.Check(policy.KindPrecondition, in, distans.NowFrom(ctx))
}

// unmet is the EINVALID error for blocking precondition findings, each
// on field "preconditions.<rule>" with its clause; nil when none blocks.
func unmet(pack *policy.Pack, findings []policy.Finding, approving bool) error {
	var v distans.Validation
	for _, f := range findings {
		if f.Severity == policy.SeverityBlock {
			v.Add("preconditions."+f.RuleID, cite(f.MessageSv, pack, &f.Source, "sv"), cite(f.MessageEn, pack, &f.Source, "en"))
		}
	}
	err, _ := v.Err().(*distans.Error)
	if err == nil {
		return nil
	}
	if approving {
		err.Sv = "Ansökan kan inte godkännas förrän medarbetaren uppfyller organisationens förutsättningar."
		err.En = "The request cannot be approved until the person meets the organisation's preconditions."
	} else {
		err.Sv = "Överenskommelsen kan inte skrivas under förrän medarbetaren uppfyller organisationens förutsättningar."
		err.En = "The agreement cannot be signed until the person meets the organisation's preconditions."
	}
	return err
}

// mainWorkplace is the name of the site of the person's current
// employment, or "" when it names none (the pack's finding then asks for it).
func (s *Service) mainWorkplace(ctx context.Context, personID string) (string, error) {
	p, err := s.people.FindPerson(ctx, personID)
	if err != nil {
		return "", err
	}
	if p.SiteID == "" {
		return "", nil
	}
	site, err := s.sites.FindSite(ctx, p.SiteID)
	if err != nil {
		return "", err
	}
	return site.Name, nil
}

// SaveTerms checks the terms' fields and the pack, and saves them with the
// findings: blocking findings are saved so that the form shows them, and
// Sign refuses while there are any.
func (s *Service) SaveTerms(ctx context.Context, id string, version int, t *distans.Terms) (*distans.Agreement, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	a, err := s.store.FindAgreement(ctx, id)
	if err != nil {
		return nil, err
	}
	pack, err := s.pack(ctx)
	if err != nil {
		return nil, err
	}
	check := *t
	if strings.TrimSpace(check.RemotePlace) == "" && a.PlaceSet {
		// The store keeps the registered place; the rules only ask
		// whether there is one, so it need not be read (and audited).
		check.RemotePlace = keptPlace
	}
	findings, err := s.check(ctx, pack, &check, a.Risk)
	if err != nil {
		return nil, err
	}
	pre, err := s.preconditions(ctx, pack, a.PersonID)
	if err != nil {
		return nil, err
	}
	findings = append(toFindings(pre), findings...)
	return s.store.SaveTerms(ctx, id, version, t, findings, pack.Version)
}

// keptPlace stands in for a registered remote place that a change leaves
// as it is (an empty place in UpdateRequest or SaveTerms keeps it).
const keptPlace = "(registrerad plats)"

// CheckTerms returns the pack's findings on the terms, and the pack
// version, without saving. Without an agreement there is no risk
// assessment, so the pack's rule on a missing one, if it has one, trips.
func (s *Service) CheckTerms(ctx context.Context, agreementID string, t *distans.Terms) ([]distans.AgreementFinding, int, error) {
	if err := t.Validate(); err != nil {
		return nil, 0, err
	}
	check := *t
	var risk *distans.RiskAssessment
	personID := ""
	if agreementID != "" {
		a, err := s.store.FindAgreement(ctx, agreementID)
		if err != nil {
			return nil, 0, err
		}
		risk, personID = a.Risk, a.PersonID
		if strings.TrimSpace(check.RemotePlace) == "" && a.PlaceSet {
			check.RemotePlace = keptPlace
		}
	}
	pack, err := s.pack(ctx)
	if err != nil {
		return nil, 0, err
	}
	findings, err := s.check(ctx, pack, &check, risk)
	if err != nil {
		return nil, 0, err
	}
	pre, err := s.preconditions(ctx, pack, personID)
	if err != nil {
		return nil, 0, err
	}
	return append(toFindings(pre), findings...), pack.Version, nil
}

// check runs the pack's agreement rules on the terms at the instant of ctx.
func (s *Service) check(ctx context.Context, pack *policy.Pack, t *distans.Terms, risk *distans.RiskAssessment) ([]distans.AgreementFinding, error) {
	fs, err := s.checkPolicy(ctx, pack, t, risk)
	if err != nil {
		return nil, err
	}
	return toFindings(fs), nil
}

func (s *Service) checkPolicy(ctx context.Context, pack *policy.Pack, t *distans.Terms, risk *distans.RiskAssessment) ([]policy.Finding, error) {
	var outcome distans.RiskOutcome
	if risk != nil {
		outcome = risk.Outcome
	}
	return pack.Check(policy.KindAgreement, policy.AgreementOf(t, outcome), distans.NowFrom(ctx))
}

func toFindings(fs []policy.Finding) []distans.AgreementFinding {
	if len(fs) == 0 {
		return nil
	}
	out := make([]distans.AgreementFinding, len(fs))
	for i, f := range fs {
		out[i] = distans.AgreementFinding{RuleID: f.RuleID, Severity: string(f.Severity), MessageSv: f.MessageSv,
			MessageEn: f.MessageEn, Document: f.Source.Document, Section: f.Source.Section, Quote: f.Source.Quote,
			Citation: f.Citation}
	}
	return out
}

// Sign signs the current terms as role. In this order: the terms are
// checked again under the active pack (it may have changed since they were
// saved), and a blocking finding, or a warning without a comment in
// Terms.Comments, refuses the signature with EINVALID naming each rule;
// then the actor's password is checked (Reauthenticate's error is returned
// as it is); then the store checks, in the signature's transaction, that
// the hash the signer saw is the current terms' hash, or else they signed
// something that has since changed (ECONFLICT). The first follow-up falls
// due the pack's interval after the first day.
//
// The hash covers the remote place, which only the store reads here: it
// audits that read with the signature, so a refused signature (a finding,
// a wrong password, a stale version or hash) leaves no read in the trail.
func (s *Service) Sign(ctx context.Context, id string, version int, role distans.SignerRole, hash, password string) (*distans.Agreement, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if role != distans.SignerEmployee && role != distans.SignerManager {
		var v distans.Validation
		v.Add("role", "Välj om du skriver under som medarbetare eller chef.", "Choose whether you sign as the employee or the manager.")
		return nil, v.Err()
	}
	a, err := s.store.FindAgreement(ctx, id)
	if err != nil {
		return nil, err
	}
	// The person signs as the employee and a manager as the manager, never
	// the other way round.
	if !actor.System && (role == distans.SignerEmployee && !actor.IsAgreementEmployee(a) ||
		role == distans.SignerManager && !actor.ManagesAgreement(a)) {
		return nil, distans.Errorf(distans.EFORBIDDEN, "Du kan inte skriva under som "+signerLabel(role)+".",
			"You cannot sign as the "+string(role)+".")
	}
	if a.Terms == nil || a.State != distans.AgreementAwaitingSignature {
		return nil, distans.Errorf(distans.ECONFLICT, "Överenskommelsen väntar inte på underskrift.",
			"The agreement is not awaiting signatures.")
	}
	// Reads never carry the remote place; the rules only ask whether there
	// is one, as in SaveTerms.
	terms := *a.Terms
	if strings.TrimSpace(terms.RemotePlace) == "" && a.PlaceSet {
		terms.RemotePlace = keptPlace
	}
	pack, err := s.pack(ctx)
	if err != nil {
		return nil, err
	}
	findings, err := s.checkPolicy(ctx, pack, &terms, a.Risk)
	if err != nil {
		return nil, err
	}
	if err := unsignable(pack, findings, terms.Comments); err != nil {
		return nil, err
	}
	pre, err := s.preconditions(ctx, pack, a.PersonID)
	if err != nil {
		return nil, err
	}
	if err := unmet(pack, pre, false); err != nil {
		return nil, err
	}
	if err := s.reauth.Reauthenticate(ctx, password); err != nil {
		return nil, err
	}
	sig := distans.Signature{Role: role, PersonID: actor.PersonID, Name: actor.Name, At: distans.NowFrom(ctx), Hash: hash,
		Method: "password"}
	return s.store.Sign(ctx, id, version, sig, distans.FollowUpDue(terms.Start, followUpDays(pack), terms.End))
}

func signerLabel(r distans.SignerRole) string {
	if r == distans.SignerManager {
		return "chef"
	}
	return "medarbetare"
}

// managerOf finds the agreement for a change that only the person's
// manager may make, and refuses at once anyone who is not one
// (Actor.ManagesAgreement, which the store enforces too), before the
// change reads the remote place: that read is audited, and should not be
// made for nothing.
func (s *Service) managerOf(ctx context.Context, id string) (*distans.Agreement, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	a, err := s.store.FindAgreement(ctx, id)
	if err != nil {
		return nil, err
	}
	if !actor.System && !actor.ManagesAgreement(a) {
		return nil, distans.Forbidden()
	}
	return a, nil
}

// unsignable is the EINVALID error for findings that stand in the way of a
// signature: each blocking finding (field "findings.<rule>": the terms
// must change) and each warning without a comment (field
// "comments.<rule>": the parties must answer it), with the clause.
func unsignable(pack *policy.Pack, findings []policy.Finding, comments map[string]string) error {
	var v distans.Validation
	blocked, uncommented := false, false
	for _, f := range findings {
		switch {
		case f.Severity == policy.SeverityBlock:
			blocked = true
			v.Add("findings."+f.RuleID, cite(f.MessageSv, pack, &f.Source, "sv"), cite(f.MessageEn, pack, &f.Source, "en"))
		case distans.FindingNeedsComment(string(f.Severity), f.RuleID, comments):
			uncommented = true
			v.Add("comments."+f.RuleID, cite(f.MessageSv, pack, &f.Source, "sv"), cite(f.MessageEn, pack, &f.Source, "en"))
		}
	}
	err, _ := v.Err().(*distans.Error)
	switch {
	case err == nil:
		return nil
	case blocked:
		err.Sv = "Överenskommelsen kan inte skrivas under: villkoren strider mot organisationens regler. Ändra villkoren först."
		err.En = "The agreement cannot be signed: the terms break the organisation's rules. Change the terms first."
	case uncommented:
		err.Sv = "Överenskommelsen kan inte skrivas under förrän varje varning har en kommentar."
		err.En = "The agreement cannot be signed until every warning has a comment."
	}
	return err
}

// AddFollowUp checks the follow-up against today and records it, with the
// next one due the pack's interval after it, or on the agreement's last
// day if that comes first; a follow-up on the last day leaves none due.
func (s *Service) AddFollowUp(ctx context.Context, id string, version int, f *distans.FollowUp) (*distans.Agreement, error) {
	today, _, err := s.today(ctx)
	if err != nil {
		return nil, err
	}
	if err := f.Validate(today); err != nil {
		return nil, err
	}
	pack, err := s.pack(ctx)
	if err != nil {
		return nil, err
	}
	a, err := s.store.FindAgreement(ctx, id)
	if err != nil {
		return nil, err
	}
	var next time.Time
	if a.Terms != nil {
		next = distans.FollowUpDue(distans.DateOf(f.Date), followUpDays(pack), a.Terms.End)
		if !next.After(distans.DateOf(f.Date)) {
			next = time.Time{}
		}
	}
	return s.store.AddFollowUp(ctx, id, version, f, next)
}

// followUpDays is the pack's FollowUpParam, else DefaultFollowUpDays.
func followUpDays(pack *policy.Pack) int {
	if n, ok := pack.Int(FollowUpParam); ok && n > 0 {
		return int(n)
	}
	return DefaultFollowUpDays
}

// SaveEvaluation checks the evaluation against today and stores it.
func (s *Service) SaveEvaluation(ctx context.Context, id string, version int, e *distans.Evaluation) (*distans.Agreement, error) {
	today, _, err := s.today(ctx)
	if err != nil {
		return nil, err
	}
	if err := e.Validate(today); err != nil {
		return nil, err
	}
	return s.store.SaveEvaluation(ctx, id, version, e)
}

// Renew opens the renewal of an active agreement with its terms copied
// (the remote place included, which the store audits reading), starting
// the day after its last day and ending on end, or when end is zero as
// late as the pack's MaxMonthsParam allows (without the parameter, as long
// as the agreement renewed). An end past the maximum is EINVALID citing
// the clause. The store requires an evaluation that recommends renewal.
func (s *Service) Renew(ctx context.Context, id string, version int, end time.Time) (*distans.Agreement, error) {
	a, err := s.managerOf(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Terms == nil || a.State != distans.AgreementActive {
		return nil, distans.Errorf(distans.ECONFLICT, "Bara en gällande överenskommelse kan förlängas.",
			"Only an agreement in force can be renewed.")
	}
	_, place, err := s.store.RevealRemotePlace(ctx, id)
	if err != nil {
		return nil, err
	}
	pack, err := s.pack(ctx)
	if err != nil {
		return nil, err
	}
	t := copyTerms(a.Terms)
	t.RemotePlace = place
	t.Start = a.Terms.End.AddDate(0, 0, 1)
	t.End = distans.DateOf(end)
	if end.IsZero() {
		t.End = t.Start.AddDate(0, 0, a.Terms.LengthDays()-1)
		if n, ok := pack.Int(MaxMonthsParam); ok && n > 0 {
			t.End = distans.LastDayWithin(t.Start, int(n))
		}
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	if err := tooLong(pack, t.Start, t.End); err != nil {
		return nil, err
	}
	findings, err := s.check(ctx, pack, t, a.Risk)
	if err != nil {
		return nil, err
	}
	return s.store.Renew(ctx, id, version, t, findings, pack.Version)
}

func copyTerms(t *distans.Terms) *distans.Terms {
	c := *t
	c.Weekdays = slices.Clone(t.Weekdays)
	c.Availability = slices.Clone(t.Availability)
	c.Equipment = slices.Clone(t.Equipment)
	c.Comments = maps.Clone(t.Comments)
	return &c
}

// End ends an active agreement on the day on (today when zero): by the
// employee at will, or by the manager after a dialogue that the note
// documents (002 §11). The other reasons are the housekeeping job's.
func (s *Service) End(ctx context.Context, id string, version int, reason distans.EndReason, note string, on time.Time) (*distans.Agreement, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	var v distans.Validation
	switch reason {
	case distans.EndByEmployee:
	case distans.EndByManager:
		if note == "" {
			v.Add("note", "Beskriv dialogen med medarbetaren som ligger till grund för beslutet.",
				"Describe the dialogue with the employee on which the decision rests.")
		}
	default:
		v.Add("reason", "Välj om överenskommelsen avslutas av medarbetaren eller av chefen.",
			"Choose whether the employee or the manager ends the agreement.")
	}
	v.MaxLen("note", note, 4000)
	if err := v.Err(); err != nil {
		return nil, err
	}
	a, err := s.store.FindAgreement(ctx, id)
	if err != nil {
		return nil, err
	}
	if !actor.System {
		own := actor.PersonID == a.PersonID
		if reason == distans.EndByEmployee && !own {
			return nil, distans.Errorf(distans.EFORBIDDEN, "Bara medarbetaren själv kan avsluta överenskommelsen på egen begäran.",
				"Only the employee can end the agreement at their own request.")
		}
		if reason == distans.EndByManager && own {
			return nil, distans.Errorf(distans.EFORBIDDEN, "Du kan inte avsluta din egen överenskommelse som chef.",
				"You cannot end your own agreement as the manager.")
		}
	}
	if on.IsZero() {
		if on, _, err = s.today(ctx); err != nil {
			return nil, err
		}
	}
	return s.store.End(ctx, id, version, reason, note, distans.DateOf(on))
}

// PDF writes the agreement signed by both as a PDF; the read of the
// remote places is audited by the store.
func (s *Service) PDF(ctx context.Context, id string, w io.Writer) error {
	a, err := s.store.FindAgreement(ctx, id)
	if err != nil {
		return err
	}
	if a.Terms == nil || a.Signed(distans.SignerEmployee) == nil || a.Signed(distans.SignerManager) == nil {
		return distans.Errorf(distans.ECONFLICT, "Överenskommelsen är inte underskriven av båda ännu.",
			"The agreement is not yet signed by both.")
	}
	req, terms, err := s.store.RevealRemotePlace(ctx, id)
	if err != nil {
		return err
	}
	_, o, err := s.today(ctx)
	if err != nil {
		return err
	}
	return s.pdf(w, pdf.AgreementDoc{Agreement: a, Organisation: o.Name, RequestPlace: req, TermsPlace: terms,
		Location: o.Location()})
}

// DefaultStatus is the presence service's distans.DefaultStatusFunc:
// people work remotely on the weekdays their agreement in force on the day
// gives; otherwise nothing says. People the actor may not see have no
// default either, rather than an error: the switchboard's directory is
// open to everyone, and one person out of reach must not fail a search.
func (s *Service) DefaultStatus(ctx context.Context, personIDs []string, date time.Time) (map[string]distans.StatusKind, error) {
	days, err := s.store.RemoteWeekdays(ctx, personIDs, date)
	if err != nil {
		return nil, err
	}
	out := map[string]distans.StatusKind{}
	wd := distans.WeekdayOf(date)
	for id, d := range days {
		if slices.Contains(d, wd) {
			out[id] = distans.StatusRemote
		}
	}
	return out, nil
}

// tooLong is the EINVALID error, on the field "end", for a period longer
// than the pack's MaxMonthsParam, citing where the maximum comes from.
func tooLong(pack *policy.Pack, start, end time.Time) error {
	n, ok := pack.Int(MaxMonthsParam)
	if !ok || n <= 0 || start.IsZero() || end.Before(start) {
		return nil
	}
	last := distans.LastDayWithin(start, int(n))
	if !end.After(last) {
		return nil
	}
	p, _ := pack.Param(MaxMonthsParam)
	var v distans.Validation
	v.Add("end", cite(fmt.Sprintf("Överenskommelsen får gälla högst %d månader i taget: sista dagen är senast %s.", n, last.Format(time.DateOnly)), pack, p.Source, "sv"),
		cite(fmt.Sprintf("The agreement may run for at most %d months at a time: the last day is %s at the latest.", n, last.Format(time.DateOnly)), pack, p.Source, "en"))
	return v.Err()
}

// cite appends the clause to a sentence ending in a full stop:
// "… i taget (Bjurholms kommun, Riktlinjer för distansarbete, 11. Skriftlig
// individuell överenskommelse: ”Överenskommelsen ska gälla för maximalt ett
// år i taget”)."
func cite(msg string, pack *policy.Pack, src *policy.Source, lang string) string {
	if src == nil || src.Document == "" {
		return msg
	}
	c := policy.Cite(pack, *src)
	ref := c.String()
	if c.Quote != "" {
		if lang == "en" {
			ref += ": “" + c.Quote + "”"
		} else {
			ref += ": ”" + c.Quote + "”"
		}
	}
	return strings.TrimSuffix(msg, ".") + " (" + ref + ")."
}

// today is the actor's organisation's calendar day at the instant of the
// request (distans.TodayIn), and the organisation.
func (s *Service) today(ctx context.Context) (time.Time, *distans.Organisation, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return time.Time{}, nil, err
	}
	return distans.TodayIn(ctx, s.orgs, a.OrganisationID)
}

func (s *Service) pack(ctx context.Context) (*policy.Pack, error) {
	p, _, err := s.packs.Active(ctx)
	return p, err
}

func actorOf(ctx context.Context) (*distans.Actor, error) {
	a := distans.ActorFrom(ctx)
	if a == nil || a.OrganisationID == "" {
		return nil, distans.Errorf(distans.EUNAUTHORIZED, "Du måste logga in.", "You must sign in.")
	}
	return a, nil
}
