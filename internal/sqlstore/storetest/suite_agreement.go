package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// AgreementRequest: a person opens a case, gets a number, cannot open a
// second one; the managers are told; the place is never read back.
func AgreementRequest(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	today := agrToday()
	a := requestAgreement(t, s, w.EmpX1)
	want := fmt.Sprintf("DIST %d/0001", today.Year())
	if a.Number != want || a.State != distans.AgreementRequested || a.Version != 1 || a.UnitID != w.X1.ID ||
		!a.PlaceSet || a.Request.Place != "" || a.PersonName != w.EmpX1.Name {
		t.Fatalf("created = %+v", a)
	}
	wantLastAction(t, s, w.A.ID, "agreement.request", a.ID)
	if got := notifications(t, s, w.A.ID, "agreement/"+a.ID+"/request_waiting/"); !slices.Equal(got,
		[]string{string(distans.NotifyRequestWaiting) + " " + w.ChefX.ID}) {
		t.Fatalf("request notifications = %v", got)
	}

	err := s.CreateAgreement(As(t, s, w.EmpX1), &distans.Agreement{Request: *agrRequest(today)})
	WantCode(t, err, distans.ECONFLICT)
	if e := (*distans.Error)(nil); !errors.As(err, &e) || !strings.Contains(e.Sv, "pågående ansökan") {
		t.Fatalf("double request: %v", err)
	}
	bad := agrRequest(today)
	bad.Start = today.AddDate(0, 0, -1)
	WantCode(t, s.CreateAgreement(As(t, s, w.EmpY), &distans.Agreement{Request: *bad}), distans.EINVALID)
	WantCode(t, s.CreateAgreement(System(w.A.ID), &distans.Agreement{Request: *agrRequest(today)}), distans.EFORBIDDEN)

	// The second case of the organisation takes the next number; the
	// other organisation counts from one.
	y := requestAgreement(t, s, w.EmpY)
	b := requestAgreement(t, s, w.EmpB)
	if y.Number != fmt.Sprintf("DIST %d/0002", today.Year()) || b.Number != want {
		t.Fatalf("numbers %s, %s", y.Number, b.Number)
	}

	// Who sees the case.
	for _, tc := range []struct {
		name string
		who  *distans.Person
		code string
	}{
		{"employee", w.EmpX1, ""}, {"manager", w.ChefX, ""}, {"hr", w.HRX, ""},
		{"other employee", w.EmpY, distans.ENOTFOUND}, {"switchboard", w.Switchboard, distans.ENOTFOUND},
		{"admin", w.Admin, distans.ENOTFOUND}, {"other organisation", w.AdminB, distans.ENOTFOUND},
	} {
		got, err := s.FindAgreement(As(t, s, tc.who), a.ID)
		WantCode(t, err, tc.code)
		if err == nil && (got.Request.Place != "" || !got.PlaceSet) {
			t.Fatalf("%s reads the place: %+v", tc.name, got.Request)
		}
	}
	_, err = s.FindAgreement(As(t, s, w.EmpB), a.ID)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.FindAgreement(As(t, s, w.EmpB), b.ID)
	Must(t, err)
}

// agreementPeople are the actors of the rule tables.
type agreementPeople struct {
	chefOut, boss *distans.Person
}

func newAgreementPeople(t *testing.T, s *sqlstore.Store, w *World) agreementPeople {
	chefY := NewPerson(t, s, w.A.ID, "Yvonne Chef", w.Y.ID)
	Assign(t, s, chefY, distans.RoleManager, w.Y.ID)
	boss := NewPerson(t, s, w.A.ID, "Bo Direktör", w.Root.ID)
	Assign(t, s, boss, distans.RoleManager, w.Root.ID)
	return agreementPeople{chefOut: chefY, boss: boss}
}

// AgreementRules: who may make each change before the decision, stale
// versions, and the risk assessment blocking approval.
func AgreementRules(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ap := newAgreementPeople(t, s, w)
	type op func(ctx context.Context, a *distans.Agreement) error
	ops := map[string]op{
		"assess": func(ctx context.Context, a *distans.Agreement) error {
			_, err := s.SaveAssessment(ctx, a.ID, a.Version, agrAssessment)
			return err
		},
		"answer risk": func(ctx context.Context, a *distans.Agreement) error {
			_, err := s.AnswerRisk(ctx, a.ID, a.Version, agrAnswers())
			return err
		},
		"update request": func(ctx context.Context, a *distans.Agreement) error {
			_, err := s.UpdateRequest(ctx, a.ID, a.Version, agrRequest(agrToday()))
			return err
		},
		"withdraw": func(ctx context.Context, a *distans.Agreement) error {
			_, err := s.Withdraw(ctx, a.ID, a.Version)
			return err
		},
		"decline": func(ctx context.Context, a *distans.Agreement) error {
			_, err := s.Decide(ctx, a.ID, a.Version, &distans.Decision{Reasons: "Verksamheten kräver närvaro"}, nil, nil, 0)
			return err
		},
	}
	// The codes per actor: employee, other employee, manager in scope,
	// manager out of scope, HR, switchboard, other organisation.
	who := []string{"employee", "other employee", "manager", "manager out of scope", "hr", "switchboard", "other organisation"}
	table := map[string][]string{
		"assess":         {distans.EFORBIDDEN, distans.ENOTFOUND, "", distans.ENOTFOUND, distans.EFORBIDDEN, distans.ENOTFOUND, distans.ENOTFOUND},
		"answer risk":    {"", distans.ENOTFOUND, distans.EFORBIDDEN, distans.ENOTFOUND, distans.EFORBIDDEN, distans.ENOTFOUND, distans.ENOTFOUND},
		"update request": {"", distans.ENOTFOUND, distans.EFORBIDDEN, distans.ENOTFOUND, distans.EFORBIDDEN, distans.ENOTFOUND, distans.ENOTFOUND},
		"withdraw":       {"", distans.ENOTFOUND, distans.EFORBIDDEN, distans.ENOTFOUND, distans.EFORBIDDEN, distans.ENOTFOUND, distans.ENOTFOUND},
		"decline":        {distans.EFORBIDDEN, distans.ENOTFOUND, "", distans.ENOTFOUND, distans.EFORBIDDEN, distans.ENOTFOUND, distans.ENOTFOUND},
	}
	n := 0
	for name, codes := range table {
		for i, code := range codes {
			n++
			emp := NewPerson(t, s, w.A.ID, fmt.Sprintf("Person %d", n), w.X1.ID)
			a := requestAgreement(t, s, emp)
			actor := []*distans.Person{emp, w.EmpY, w.ChefX, ap.chefOut, w.HRX, w.Switchboard, w.AdminB}[i]
			err := ops[name](As(t, s, actor), a)
			if distans.ErrorCode(err) != code {
				t.Errorf("%s by %s: %v, want %q", name, who[i], err, code)
			}
			got, ferr := s.FindAgreement(System(w.A.ID), a.ID)
			Must(t, ferr)
			if (code == "") != (got.Version == 2) {
				t.Errorf("%s by %s: version %d after %v", name, who[i], got.Version, err)
			}
		}
	}

	// The manager's own case: no deciding, assessing or signing for oneself.
	own := requestAgreement(t, s, w.ChefX)
	_, err := s.SaveAssessment(As(t, s, w.ChefX), own.ID, own.Version, agrAssessment)
	WantCode(t, err, distans.EFORBIDDEN)
	if got := notifications(t, s, w.A.ID, "agreement/"+own.ID+"/request_waiting/"); !slices.Equal(got,
		[]string{string(distans.NotifyRequestWaiting) + " " + ap.boss.ID}) {
		t.Fatalf("own case notifies %v", got)
	}

	// A stale version changes nothing.
	a := requestAgreement(t, s, w.EmpX1)
	before := lastEvent(t, s, w.A.ID)
	for _, v := range []int{0, a.Version + 1} {
		_, err := s.SaveAssessment(As(t, s, w.ChefX), a.ID, v, agrAssessment)
		WantCode(t, err, distans.ECONFLICT)
		if e := (*distans.Error)(nil); !errors.As(err, &e) || !strings.Contains(e.Sv, "Ladda om sidan") {
			t.Fatalf("stale: %v", err)
		}
	}
	got, _ := s.FindAgreement(As(t, s, w.EmpX1), a.ID)
	if got.Version != 1 || got.Assessment != nil || got.State != distans.AgreementRequested {
		t.Fatalf("after stale = %+v", got)
	}
	if e := lastEvent(t, s, w.A.ID); e.Seq != before.Seq {
		t.Fatalf("stale change audited: %+v", e)
	}

	// Approval needs the risk assessment reviewed and acceptable.
	chef, emp := As(t, s, w.ChefX), As(t, s, w.EmpX1)
	approve := &distans.Decision{Approved: true, Reasons: "Ja"}
	_, err = s.Decide(chef, a.ID, a.Version, approve, agrTerms(agrToday()), nil, 1)
	WantCode(t, err, distans.EINVALID)
	_, err = s.ReviewRisk(chef, a.ID, a.Version, distans.RiskAcceptable, "")
	WantCode(t, err, distans.ECONFLICT) // not answered yet
	a, err = s.AnswerRisk(emp, a.ID, a.Version, agrAnswers())
	Must(t, err)
	_, err = s.AnswerRisk(emp, a.ID, a.Version, map[string]distans.RiskAnswer{"light": {OK: false}})
	WantCode(t, err, distans.EINVALID)
	a, err = s.ReviewRisk(chef, a.ID, a.Version, distans.RiskNotAcceptable, "")
	Must(t, err)
	_, err = s.Decide(chef, a.ID, a.Version, approve, agrTerms(agrToday()), nil, 1)
	WantCode(t, err, distans.EINVALID)
	if e := (*distans.Error)(nil); !errors.As(err, &e) || !strings.Contains(e.Sv, "002 §5") {
		t.Fatalf("not acceptable: %v", err)
	}
	_, err = s.Decide(chef, a.ID, a.Version, &distans.Decision{Reasons: ""}, nil, nil, 0)
	WantCode(t, err, distans.EINVALID) // a decline needs reasons
	a, err = s.Decide(chef, a.ID, a.Version, &distans.Decision{Reasons: "Hemarbetsplatsen brister"}, nil, nil, 0)
	Must(t, err)
	if a.State != distans.AgreementDeclined || a.Decision.DecidedBy != w.ChefX.ID {
		t.Fatalf("declined = %+v", a)
	}
	wantLastAction(t, s, w.A.ID, "agreement.decide", a.ID)
	if got := append(notifications(t, s, w.A.ID, "agreement/"+a.ID+"/decision/"),
		notifications(t, s, w.A.ID, "agreement/"+a.ID+"/signature_needed/")...); !slices.Equal(got,
		[]string{string(distans.NotifyDecisionMade) + " " + w.EmpX1.ID}) {
		t.Fatalf("decline notifies %v", got)
	}
	_, err = s.Withdraw(emp, a.ID, a.Version)
	WantCode(t, err, distans.ECONFLICT)
	// A declined case is closed: a new request is possible.
	requestAgreement(t, s, w.EmpX1)
}

// AgreementSigning: approval, signatures, voided signatures and the hash.
func AgreementSigning(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ap := newAgreementPeople(t, s, w)
	today := agrToday()
	emp, chef := As(t, s, w.EmpX1), As(t, s, w.ChefX)
	a := approvedAgreement(t, s, w.EmpX1, w.ChefX)
	if a.State != distans.AgreementAwaitingSignature || a.Terms == nil || a.Terms.RemotePlace != "" || !a.PlaceSet {
		t.Fatalf("approved = %+v", a)
	}
	// The decision tells the employee; the request to sign comes when the
	// manager has signed the terms, so one version is announced once.
	if got := append(notifications(t, s, w.A.ID, "agreement/"+a.ID+"/decision/"),
		notifications(t, s, w.A.ID, "agreement/"+a.ID+"/signature_needed/")...); !slices.Equal(got, []string{
		string(distans.NotifyDecisionMade) + " " + w.EmpX1.ID}) {
		t.Fatalf("approval notifies %v", got)
	}
	hash := agrTerms(today).Hash(a.ID, a.PersonID)
	sig := func(role distans.SignerRole, h string) distans.Signature {
		return distans.Signature{Role: role, Hash: h, Method: "password"}
	}
	for _, tc := range []struct {
		name string
		who  *distans.Person
		role distans.SignerRole
		hash string
		code string
	}{
		{"wrong hash", w.EmpX1, distans.SignerEmployee, strings.Repeat("0", 64), distans.ECONFLICT},
		{"the terms without the place", w.EmpX1, distans.SignerEmployee, a.Terms.Hash(a.ID, a.PersonID), distans.ECONFLICT},
		{"manager as employee", w.ChefX, distans.SignerEmployee, hash, distans.EFORBIDDEN},
		{"employee as manager", w.EmpX1, distans.SignerManager, hash, distans.EFORBIDDEN},
		{"hr as manager", w.HRX, distans.SignerManager, hash, distans.EFORBIDDEN},
		{"manager out of scope", ap.chefOut, distans.SignerManager, hash, distans.ENOTFOUND},
		{"other employee", w.EmpY, distans.SignerEmployee, hash, distans.ENOTFOUND},
	} {
		_, err := s.Sign(As(t, s, tc.who), a.ID, a.Version, sig(tc.role, tc.hash), today.AddDate(0, 3, 0))
		if distans.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	a, err := s.Sign(emp, a.ID, a.Version, sig(distans.SignerEmployee, hash), time.Time{})
	Must(t, err)
	if a.Signed(distans.SignerEmployee) == nil || a.Signed(distans.SignerEmployee).PersonID != w.EmpX1.ID {
		t.Fatalf("signed = %+v", a.Signatures)
	}
	if got := notifications(t, s, w.A.ID, "agreement/"+a.ID+"/signature_needed/"); !slices.Contains(got,
		string(distans.NotifySignatureNeeded)+" "+w.ChefX.ID) {
		t.Fatalf("after the employee signs: %v", got)
	}
	_, err = s.Sign(emp, a.ID, a.Version, sig(distans.SignerEmployee, hash), time.Time{})
	WantCode(t, err, distans.ECONFLICT) // signed already

	// New terms void the signature.
	terms := agrTerms(today)
	terms.ShareRemote = 60 // more than two days make: someone working part time
	a, err = s.SaveTerms(chef, a.ID, a.Version, terms, []distans.AgreementFinding{{RuleID: "r1", Severity: "info"}}, 2)
	Must(t, err)
	if len(a.Signatures) != 0 || a.PackVersion != 2 || len(a.Findings) != 1 || a.Terms.ShareRemote != 60 {
		t.Fatalf("after SaveTerms = %+v", a)
	}
	if e := lastEvent(t, s, w.A.ID); e.Action != "agreement.terms" || !strings.Contains(e.Summary, "voided") {
		t.Fatalf("SaveTerms audit = %+v", e)
	}
	_, err = s.SaveTerms(emp, a.ID, a.Version, terms, nil, 2)
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.Sign(emp, a.ID, a.Version, sig(distans.SignerEmployee, hash), time.Time{})
	WantCode(t, err, distans.ECONFLICT) // the old hash
	hash = terms.Hash(a.ID, a.PersonID)
	a, err = s.Sign(chef, a.ID, a.Version, sig(distans.SignerManager, hash), time.Time{})
	Must(t, err)
	_, err = s.Sign(emp, a.ID, a.Version, sig(distans.SignerEmployee, hash), time.Time{})
	WantCode(t, err, distans.EINVALID) // the second signature needs the first follow-up
	nf := today.AddDate(0, 3, 0)
	a, err = s.Sign(emp, a.ID, a.Version, sig(distans.SignerEmployee, hash), nf)
	Must(t, err)
	if a.State != distans.AgreementActive || a.NextFollowUpOn == nil || !a.NextFollowUpOn.Equal(nf) {
		t.Fatalf("active = %+v", a)
	}
	if got := notifications(t, s, w.A.ID, "agreement/"+a.ID+"/active/"); !slices.Equal(got, []string{
		string(distans.NotifyAgreementActive) + " " + w.ChefX.ID, string(distans.NotifyAgreementActive) + " " + w.EmpX1.ID}) &&
		!slices.Equal(got, []string{string(distans.NotifyAgreementActive) + " " + w.EmpX1.ID, string(distans.NotifyAgreementActive) + " " + w.ChefX.ID}) {
		t.Fatalf("active notifies %v", got)
	}

	// The manager cannot sign their own agreement as the manager.
	own := approvedAgreement(t, s, w.ChefX, ap.boss)
	_, err = s.Sign(chef, own.ID, own.Version, sig(distans.SignerManager, agrTerms(today).Hash(own.ID, own.PersonID)), nf)
	WantCode(t, err, distans.EFORBIDDEN)
	own = signBoth(t, s, own, w.ChefX, ap.boss)
	if own.State != distans.AgreementActive {
		t.Fatalf("own = %+v", own)
	}
}

// AgreementActiveLife: follow-ups, evaluation, renewal and ending, and the
// remote weekdays in force.
func AgreementActiveLife(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	today := agrToday()
	emp, chef := As(t, s, w.EmpX1), As(t, s, w.ChefX)
	a := signBoth(t, s, approvedAgreement(t, s, w.EmpX1, w.ChefX), w.EmpX1, w.ChefX)

	weekdays := func(ctx context.Context, on time.Time) []string {
		t.Helper()
		m, err := s.RemoteWeekdays(ctx, []string{w.EmpX1.ID, w.EmpY.ID}, on)
		Must(t, err)
		if _, ok := m[w.EmpY.ID]; ok || len(m) > 1 {
			t.Fatalf("RemoteWeekdays answers for people without an agreement: %v", m)
		}
		return m[w.EmpX1.ID]
	}
	for _, ctx := range []context.Context{System(w.A.ID), emp, As(t, s, w.Switchboard)} {
		if days := weekdays(ctx, a.Terms.Start); !slices.Equal(days, []string{"mon", "fri"}) {
			t.Fatalf("RemoteWeekdays = %v", days)
		}
	}
	if days := weekdays(emp, a.Terms.Start.AddDate(0, 0, -1)); days != nil {
		t.Fatalf("before the start: %v", days)
	}
	// A colleague without a role may not see EmpX1: nothing is said.
	if days := weekdays(As(t, s, w.EmpY), a.Terms.Start); days != nil {
		t.Fatalf("a colleague learns the remote days: %v", days)
	}

	f := func(d time.Time) *distans.FollowUp {
		return &distans.FollowUp{Date: d, Goals: "Nådda", Quality: "God", Availability: "God", WorkSituation: "Bra",
			DigitalEnv: "Fungerar", SpillOver: "Ingen"}
	}
	_, err := s.AddFollowUp(emp, a.ID, a.Version, f(today), today.AddDate(0, 3, 0))
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.AddFollowUp(chef, a.ID, a.Version, f(today.AddDate(0, 0, 1)), today.AddDate(0, 3, 0))
	WantCode(t, err, distans.EINVALID) // in the future
	seen := a.Version
	a, err = s.AddFollowUp(chef, a.ID, a.Version, f(today.AddDate(0, 0, -2)), today.AddDate(0, 3, 0))
	Must(t, err)
	_, err = s.AddFollowUp(chef, a.ID, seen, f(today.AddDate(0, 0, -2)), today.AddDate(0, 3, 0))
	WantCode(t, err, distans.ECONFLICT) // the same form sent twice records one follow-up
	a, err = s.AddFollowUp(chef, a.ID, a.Version, f(today), today.AddDate(0, 6, 0))
	Must(t, err)
	wantLastAction(t, s, w.A.ID, "agreement.follow_up", a.ID)
	got, err := s.FindAgreement(emp, a.ID)
	Must(t, err)
	if len(got.FollowUps) != 2 || !got.FollowUps[0].Date.Equal(today) || got.FollowUps[0].RecordedBy != w.ChefX.ID ||
		got.FollowUps[1].Goals != "Nådda" || !got.NextFollowUpOn.Equal(today.AddDate(0, 6, 0)) {
		t.Fatalf("follow-ups = %+v", got.FollowUps)
	}

	// Renewal needs an evaluation that recommends it.
	terms := agrTerms(today)
	terms.Start, terms.End = a.Terms.End.AddDate(0, 0, 1), a.Terms.End.AddDate(1, 0, 0)
	_, err = s.Renew(chef, a.ID, a.Version, terms, nil, 1)
	WantCode(t, err, distans.EINVALID)
	_, err = s.SaveEvaluation(emp, a.ID, a.Version, &distans.Evaluation{Date: today, Summary: "Bra", Continue: true})
	WantCode(t, err, distans.EFORBIDDEN)
	a, err = s.SaveEvaluation(chef, a.ID, a.Version, &distans.Evaluation{Date: today, Summary: "Bra", Continue: true})
	Must(t, err)
	r, err := s.Renew(chef, a.ID, a.Version, terms, nil, 1)
	Must(t, err)
	if r.State != distans.AgreementAwaitingSignature || r.RenewalOf != a.ID || r.Number == a.Number || !r.PlaceSet ||
		r.Terms.RemotePlace != "" || r.Version != 1 {
		t.Fatalf("renewal = %+v", r)
	}
	a, err = s.FindAgreement(chef, a.ID)
	Must(t, err)
	if a.RenewedBy != r.ID {
		t.Fatalf("renewed by %q", a.RenewedBy)
	}
	_, err = s.Renew(chef, a.ID, a.Version, terms, nil, 1)
	WantCode(t, err, distans.ECONFLICT)
	_, reqPlace, err := s.RevealRemotePlace(emp, r.ID)
	if err != nil || reqPlace != homePlace {
		t.Fatalf("renewal place %q, %v", reqPlace, err)
	}

	// Ending.
	for _, tc := range []struct {
		name   string
		ctx    context.Context
		reason distans.EndReason
		note   string
		on     time.Time
		code   string
	}{
		{"manager without a note", chef, distans.EndByManager, "", today, distans.EINVALID},
		{"employee as manager", emp, distans.EndByManager, "Samtal", today, distans.EFORBIDDEN},
		{"manager as employee", chef, distans.EndByEmployee, "", today, distans.EFORBIDDEN},
		{"hr", As(t, s, w.HRX), distans.EndByEmployee, "", today, distans.EFORBIDDEN},
		{"system reason", emp, distans.EndExpired, "", today, distans.EINVALID},
		{"in the past", emp, distans.EndByEmployee, "", today.AddDate(0, 0, -1), distans.EINVALID},
		{"after the end", emp, distans.EndByEmployee, "", a.Terms.End.AddDate(0, 0, 1), distans.EINVALID},
	} {
		_, err := s.End(tc.ctx, a.ID, a.Version, tc.reason, tc.note, tc.on)
		if distans.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	a, err = s.End(emp, a.ID, a.Version, distans.EndByEmployee, "", today.AddDate(0, 0, 10))
	Must(t, err)
	if a.State != distans.AgreementEnded || a.EndReason != distans.EndByEmployee || !a.EndedOn.Equal(today.AddDate(0, 0, 10)) ||
		a.EndedBy != w.EmpX1.ID {
		t.Fatalf("ended = %+v", a)
	}
	wantLastAction(t, s, w.A.ID, "agreement.end", a.ID)
	if got := notifications(t, s, w.A.ID, "agreement/"+a.ID+"/ended/"); !slices.Equal(got,
		[]string{string(distans.NotifyAgreementEnded) + " " + w.ChefX.ID}) {
		t.Fatalf("end notifies %v", got)
	}
	// In force up to the last day, not after.
	days, after := weekdays(emp, today.AddDate(0, 0, 10)), weekdays(emp, today.AddDate(0, 0, 11))
	if !slices.Equal(days, []string{"mon", "fri"}) || after != nil {
		t.Fatalf("weekdays around the end: %v, %v", days, after)
	}
	_, err = s.End(emp, a.ID, a.Version, distans.EndByEmployee, "", today)
	WantCode(t, err, distans.ECONFLICT)
}

// AgreementReminders: the reminder scan makes each reminder once, to the
// right people, and again for a new due date.
func AgreementReminders(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	T := Day(2031, 1, 10)
	p, m := w.EmpX1, w.ChefX
	a1 := importActive(t, s, p, m, T.AddDate(0, -6, 0), T.AddDate(0, 0, 20), T.AddDate(0, 0, 100)) // expiring 30
	a2 := importActive(t, s, p, m, T.AddDate(0, -6, 0), T.AddDate(0, 0, 200), T.AddDate(0, 0, 10)) // follow-up due
	a3 := importActive(t, s, p, m, T.AddDate(0, -6, 0), T.AddDate(0, 0, 200), T.AddDate(0, 0, -1)) // overdue
	a4 := importActive(t, s, p, m, T.AddDate(0, -6, 0), T.AddDate(0, 0, 5), T.AddDate(0, 0, 100))  // expiring 7
	importActive(t, s, p, m, T.AddDate(0, -6, 0), T.AddDate(0, 0, 100), T.AddDate(0, 0, 100))      // nothing
	importActive(t, s, w.EmpB, w.AdminB, T.AddDate(0, -6, 0), T.AddDate(0, 0, 3), T.AddDate(0, 0, -3))

	_, err := s.QueueReminders(As(t, s, w.ChefX), T)
	WantCode(t, err, distans.EFORBIDDEN)
	n, err := s.QueueReminders(System(w.A.ID), T)
	Must(t, err)
	if n != 7 {
		t.Fatalf("first scan made %d", n)
	}
	if n, err := s.QueueReminders(System(w.A.ID), T); err != nil || n != 0 {
		t.Fatalf("second scan made %d, %v", n, err)
	}
	ek, dk, ok := string(distans.NotifyExpiring), string(distans.NotifyFollowUpDue), string(distans.NotifyFollowUpOverdue)
	for _, tc := range []struct {
		prefix string
		want   []string
	}{
		{"agreement/" + a1.ID + "/expiring/30/" + agrDay(a1.Terms.End), []string{ek + " " + m.ID, ek + " " + p.ID}},
		{"agreement/" + a4.ID + "/expiring/7/", []string{ek + " " + m.ID, ek + " " + p.ID}},
		{"agreement/" + a2.ID + "/", []string{dk + " " + m.ID}},
		{"agreement/" + a3.ID + "/follow_up_overdue/" + agrDay(T.AddDate(0, 0, -1)) + "/", []string{ok + " " + m.ID, ok + " " + p.ID}},
	} {
		got := notifications(t, s, w.A.ID, tc.prefix)
		slices.Sort(tc.want)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.prefix, got, tc.want)
		}
	}
	if got := notifications(t, s, w.B.ID, "agreement/"); len(got) != 0 {
		t.Fatalf("the other organisation got %v", got)
	}
	// Two weeks on: a1 is within 7 days, a2's follow-up is overdue; a3's
	// reminder is made already and a4 has expired.
	n, err = s.QueueReminders(System(w.A.ID), T.AddDate(0, 0, 14))
	Must(t, err)
	if n != 4 {
		t.Fatalf("scan two weeks on made %d", n)
	}
	var params string
	Must(t, Raw(t, s).QueryRow(`SELECT params FROM notifications WHERE organisation_id = $1 AND key = $2`, w.A.ID,
		"agreement/"+a1.ID+"/expiring/7/"+agrDay(a1.Terms.End)+"/"+p.ID).Scan(&params))
	if !strings.Contains(params, `"days":"7"`) {
		t.Fatalf("params %s", params)
	}
	if n, err := s.QueueReminders(System(w.B.ID), T); err != nil || n != 4 { // expiring in 7 and overdue, to both
		t.Fatalf("organisation B: %d, %v", n, err)
	}
}

func agrDay(t time.Time) string { return t.Format(time.DateOnly) }

// AgreementEndJob: the housekeeping job ends expired agreements, those of
// people who moved and those whose employment ended.
func AgreementEndJob(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	T := agrToday().AddDate(0, 2, 0)
	start := T.AddDate(0, -6, 0)
	expired := importActive(t, s, w.EmpX1, w.ChefX, start, T.AddDate(0, 0, -1), T.AddDate(0, 1, 0))
	moved := importActive(t, s, w.EmpY, w.ChefX, start, T.AddDate(0, 3, 0), T.AddDate(0, 1, 0))
	leaver := NewPerson(t, s, w.A.ID, "Lena Slutar", w.X1.ID)
	left := importActive(t, s, leaver, w.ChefX, start, T.AddDate(0, 3, 0), T.AddDate(0, 1, 0))
	stayer := NewPerson(t, s, w.A.ID, "Stina Stannar", w.X1.ID)
	stays := importActive(t, s, stayer, w.ChefX, start, T.AddDate(0, 3, 0), T.AddDate(0, 1, 0))
	// The unit of an employment from 2020 is changed in place (as PATCH
	// /employments/{id} does): its start is no transfer date, and the
	// agreement must not end years before it began.
	patched := NewPerson(t, s, w.A.ID, "Per Flyttar", w.X1.ID)
	inPlace := importActive(t, s, patched, w.ChefX, start, T.AddDate(0, 3, 0), T.AddDate(0, 1, 0))

	sys := System(w.A.ID)
	emps, err := s.ListEmployments(sys, w.EmpY.ID)
	Must(t, err)
	Must(t, s.EndEmployment(sys, emps[0].ID, T.AddDate(0, 0, -11)))
	Must(t, s.CreateEmployment(sys, &distans.Employment{PersonID: w.EmpY.ID, UnitID: w.X1.ID, Title: "Handläggare", StartsOn: T.AddDate(0, 0, -10)}))
	emps, err = s.ListEmployments(sys, leaver.ID)
	Must(t, err)
	Must(t, s.EndEmployment(sys, emps[0].ID, T.AddDate(0, 0, -5)))
	emps, err = s.ListEmployments(sys, patched.ID)
	Must(t, err)
	_, err = s.UpdateEmployment(sys, emps[0].ID, distans.EmploymentUpdate{UnitID: &w.Y.ID})
	Must(t, err)

	_, err = s.EndAgreements(As(t, s, w.ChefX), T)
	WantCode(t, err, distans.EFORBIDDEN)
	n, err := s.EndAgreements(sys, T)
	Must(t, err)
	if n != 4 {
		t.Fatalf("ended %d", n)
	}
	for _, tc := range []struct {
		a      *distans.Agreement
		reason distans.EndReason
		on     time.Time
	}{
		{expired, distans.EndExpired, T.AddDate(0, 0, -1)},
		{moved, distans.EndUnitMove, T.AddDate(0, 0, -11)},
		{left, distans.EndEmploymentEnded, T.AddDate(0, 0, -5)},
		{inPlace, distans.EndUnitMove, T},
	} {
		got, err := s.FindAgreement(sys, tc.a.ID)
		Must(t, err)
		if got.State != distans.AgreementEnded || got.EndReason != tc.reason || got.EndedOn == nil || !got.EndedOn.Equal(tc.on) ||
			got.EndedBy != "" {
			t.Errorf("%s: %s %s %v", tc.reason, got.State, got.EndReason, got.EndedOn)
		}
		if got := notifications(t, s, w.A.ID, "agreement/"+tc.a.ID+"/ended/"); len(got) != 2 {
			t.Errorf("%s notifies %v", tc.reason, got)
		}
	}
	if got := notifications(t, s, w.A.ID, "agreement/"+moved.ID+"/assess_anew/"); !slices.Equal(got,
		[]string{string(distans.NotifyNewManagerAssess) + " " + w.ChefX.ID}) {
		t.Fatalf("assess anew: %v", got)
	}
	got, _ := s.FindAgreement(sys, stays.ID)
	if got.State != distans.AgreementActive {
		t.Fatalf("stayer's agreement: %s", got.State)
	}
	if n, err := s.EndAgreements(sys, T); err != nil || n != 0 {
		t.Fatalf("second run: %d, %v", n, err)
	}
}

// AgreementPlace: only RevealRemotePlace returns the remote place, to those
// who may, and every read is audited; nothing else carries it.
func AgreementPlace(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	a := approvedAgreement(t, s, w.EmpX1, w.ChefX)
	for _, tc := range []struct {
		name string
		who  *distans.Person
		code string
	}{
		{"employee", w.EmpX1, ""}, {"manager", w.ChefX, ""}, {"hr", w.HRX, ""},
		{"switchboard", w.Switchboard, distans.ENOTFOUND}, {"other employee", w.EmpY, distans.ENOTFOUND},
		{"admin", w.Admin, distans.ENOTFOUND}, {"other organisation", w.AdminB, distans.ENOTFOUND},
	} {
		req, terms, err := s.RevealRemotePlace(As(t, s, tc.who), a.ID)
		WantCode(t, err, tc.code)
		if tc.code == "" {
			if req != homePlace || terms != homePlace {
				t.Fatalf("%s: %q %q", tc.name, req, terms)
			}
			e := lastEvent(t, s, w.A.ID)
			if e.Action != distans.AgreementAuditPlaceRead || e.RecordID != a.ID || e.ActorID != tc.who.ID {
				t.Fatalf("%s: audit %+v", tc.name, e)
			}
		}
	}
	list, total, err := s.ListAgreements(As(t, s, w.HRX), distans.AgreementFilter{})
	Must(t, err)
	if total != 1 || len(list) != 1 || list[0].Request.Place != "" || list[0].Terms.RemotePlace != "" || !list[0].PlaceSet {
		t.Fatalf("list = %d %+v", total, list)
	}
	evs, err := s.ListAuditEvents(System(w.A.ID), distans.AuditFilter{Limit: 1000})
	Must(t, err)
	for _, e := range evs {
		if strings.Contains(e.Summary, "Storgatan") {
			t.Fatalf("audit holds the place: %+v", e)
		}
	}
	var n int
	Must(t, Raw(t, s).QueryRow(`SELECT COUNT(*) FROM agreements WHERE request LIKE '%Storgatan%' OR terms LIKE '%Storgatan%'`).Scan(&n))
	if n != 0 {
		t.Fatal("the JSON columns hold the place")
	}

	// Terms saved without a place keep the registered one, and the hash
	// the store hands out covers it.
	blank := agrTerms(agrToday())
	blank.RemotePlace = ""
	a, err = s.SaveTerms(As(t, s, w.ChefX), a.ID, a.Version, blank, nil, 1)
	Must(t, err)
	if _, terms, err := s.RevealRemotePlace(As(t, s, w.EmpX1), a.ID); err != nil || terms != homePlace {
		t.Fatalf("terms place after a blank save = %q, %v", terms, err)
	}
	if want := agrTerms(agrToday()).Hash(a.ID, a.PersonID); a.TermsHash != want {
		t.Fatalf("terms hash %q, want the hash with the place %q", a.TermsHash, want)
	}
}

// AgreementLists: what each actor lists, the manager's queue, searching
// and registration numbers; another organisation's cases are not found.
func AgreementLists(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	ap := newAgreementPeople(t, s, w)
	x1 := requestAgreement(t, s, w.EmpX1)
	y := requestAgreement(t, s, w.EmpY)
	own := requestAgreement(t, s, w.ChefX)
	b := requestAgreement(t, s, w.EmpB)
	idsOf := func(as []*distans.Agreement) []string {
		out := ids(as, func(a *distans.Agreement) string { return a.ID })
		slices.Sort(out)
		return out
	}
	sorted := func(xs ...string) []string { slices.Sort(xs); return xs }
	for _, tc := range []struct {
		name string
		who  *distans.Person
		f    distans.AgreementFilter
		want []string
	}{
		{"employee", w.EmpX1, distans.AgreementFilter{}, []string{x1.ID}},
		{"hr in X", w.HRX, distans.AgreementFilter{}, sorted(x1.ID, own.ID)},
		{"manager of X", w.ChefX, distans.AgreementFilter{}, sorted(x1.ID, own.ID)},
		{"manager queue", w.ChefX, distans.AgreementFilter{Queue: true}, []string{x1.ID}},
		{"boss queue", ap.boss, distans.AgreementFilter{Queue: true}, sorted(x1.ID, y.ID, own.ID)},
		{"boss by unit", ap.boss, distans.AgreementFilter{UnitID: w.X.ID}, sorted(x1.ID, own.ID)},
		{"boss by person", ap.boss, distans.AgreementFilter{PersonID: w.EmpY.ID}, []string{y.ID}},
		{"boss by name", ap.boss, distans.AgreementFilter{Query: "åsa"}, []string{x1.ID}},
		{"boss by number", ap.boss, distans.AgreementFilter{Query: y.Number}, []string{y.ID}},
		{"boss by state", ap.boss, distans.AgreementFilter{States: []distans.AgreementState{distans.AgreementActive}}, []string{}},
		{"switchboard", w.Switchboard, distans.AgreementFilter{}, []string{}},
		{"switchboard queue", w.Switchboard, distans.AgreementFilter{Queue: true}, []string{}},
		{"other organisation", w.EmpB, distans.AgreementFilter{}, []string{b.ID}},
	} {
		list, total, err := s.ListAgreements(As(t, s, tc.who), tc.f)
		Must(t, err)
		if got := idsOf(list); !slices.Equal(got, tc.want) || total != len(tc.want) {
			t.Errorf("%s: %v (%d), want %v", tc.name, got, total, tc.want)
		}
		for _, a := range list {
			if a.PersonName == "" || a.UnitName == "" {
				t.Errorf("%s: names missing in %+v", tc.name, a)
			}
		}
	}
	list, total, err := s.ListAgreements(As(t, s, ap.boss), distans.AgreementFilter{Limit: 2})
	Must(t, err)
	if len(list) != 2 || total != 3 {
		t.Fatalf("page: %d of %d", len(list), total)
	}
	// Tenant isolation.
	_, err = s.SaveAssessment(As(t, s, w.ChefX), b.ID, b.Version, agrAssessment)
	WantCode(t, err, distans.ENOTFOUND)
	_, _, err = s.RevealRemotePlace(System(w.A.ID), b.ID)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.FindAgreement(System(w.A.ID), b.ID)
	WantCode(t, err, distans.ENOTFOUND)

	// Numbers run per organisation and year; an import without a number
	// takes the next one.
	year := agrToday().Year()
	if x1.Number != fmt.Sprintf("DIST %d/0001", year) || y.Number != fmt.Sprintf("DIST %d/0002", year) ||
		own.Number != fmt.Sprintf("DIST %d/0003", year) || b.Number != fmt.Sprintf("DIST %d/0001", year) {
		t.Fatalf("numbers %s %s %s %s", x1.Number, y.Number, own.Number, b.Number)
	}
	old := &distans.Agreement{PersonID: w.EmpY.ID, State: distans.AgreementDeclined, CreatedAt: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
		Request: distans.AgreementRequest{Weekdays: []string{"mon"}, Start: Day(2024, 6, 1), End: Day(2024, 12, 31), Tasks: "X"}}
	Must(t, s.ImportAgreement(System(w.A.ID), old, "", "", nil))
	wantLastAction(t, s, w.A.ID, "agreement.import", old.ID)
	next := requestAgreement(t, s, ap.chefOut)
	if old.Number != "DIST 2024/0001" || next.Number != fmt.Sprintf("DIST %d/0004", year) {
		t.Fatalf("numbers %s, %s", old.Number, next.Number)
	}
	WantCode(t, s.ImportAgreement(As(t, s, w.Admin), &distans.Agreement{}, "", "", nil), distans.EFORBIDDEN)
}
