package agreement_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/agreement"
	"github.com/distans/distans/internal/pdf"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// The service reads the clock (distans.Now) itself, so the tests work in
// days counted from today in Stockholm, the organisations' time zone.
var (
	stockholm, _ = time.LoadLocation("Europe/Stockholm")
	today        = distans.DateOf(distans.Now().In(stockholm))
)

var orgs atomic.Int64

func day(n int) time.Time { return today.AddDate(0, 0, n) }

// password is the one password the re-authentication double accepts.
const password = "rätt lösenord"

// reauth is a test double for the sign-in service, and only for its
// Reauthenticate: everyone's password is the constant password. The real
// check (argon2id, lock-out) is internal/auth's and is tested there.
type reauth func(ctx context.Context, password string) error

func (f reauth) Reauthenticate(ctx context.Context, pw string) error { return f(ctx, pw) }

var fixedPassword = reauth(func(_ context.Context, pw string) error {
	if pw != password {
		var v distans.Validation
		v.Add("password", "Fel lösenord.", "Wrong password.")
		return v.Err()
	}
	return nil
})

// printed records what the service gave the PDF writer, and writes the
// real PDF.
type printed struct {
	mu   sync.Mutex
	docs []pdf.AgreementDoc
}

func (p *printed) write(w io.Writer, d pdf.AgreementDoc) error {
	p.mu.Lock()
	p.docs = append(p.docs, d)
	p.mu.Unlock()
	return pdf.WriteAgreement(w, d)
}

func newService(s *sqlstore.Store, p *printed) *agreement.Service {
	return agreement.New(agreement.Config{Store: s, Packs: policy.NewService(s, s), Reauth: fixedPassword,
		People: s, Sites: s, Organisations: s, PDF: p.write})
}

// org is one organisation of the setting:
//
//	Förvaltningen
//	├── Enhet A: Åsa (employee, main workplace Kommunhuset), Nils (colleague), Kim (manager of A)
//	└── Enhet B: Olle (manager of B)
//	Hedda: HR in the whole organisation
type org struct {
	s                                             *sqlstore.Store
	o                                             *distans.Organisation
	site                                          *distans.Site
	emp, colleague, boss, otherBoss, hr           *distans.Person
	empCtx, colleagueCtx, bossCtx, otherCtx, hrCx context.Context
	sys                                           context.Context
}

// Packs of the setting: the seed packs of Bjurholm (max_agreement_months 12,
// follow_up_interval_days 365) and Stockholm (no maximum, no interval;
// max_return_travel_minutes set to 60 here so that the prefill shows it is
// read), and tom without a pack (the rules of law alone).
//
// Each call makes a new organisation whose slug is the pack's and a
// number, so that a test may set up several with the same pack.
func setup(t *testing.T, s *sqlstore.Store, slug string) *org {
	t.Helper()
	o := &org{s: s, o: storetest.NewOrg(t, s, fmt.Sprintf("%s-%d", slug, orgs.Add(1)))}
	id := o.o.ID
	o.sys = storetest.System(id)
	if slug != "tom" {
		src, err := policy.SeedYAML(slug)
		storetest.Must(t, err)
		text := string(src)
		if slug == "stockholm" {
			text = strings.Replace(text, "    default: 90\n", "    default: 90\n    value: 60\n", 1)
		}
		storetest.Must(t, s.SavePolicyVersion(o.sys, 0, &distans.PolicyVersion{Source: text}))
	}
	root := storetest.NewUnit(t, s, id, "", "Förvaltningen", distans.UnitAdministration)
	a := storetest.NewUnit(t, s, id, root.ID, "Enhet A", distans.UnitSection)
	b := storetest.NewUnit(t, s, id, root.ID, "Enhet B", distans.UnitSection)
	o.site = &distans.Site{Name: "Kommunhuset", Kind: distans.SiteMain, City: "Bjurholm"}
	storetest.Must(t, s.CreateSite(o.sys, o.site))

	o.emp = storetest.NewPerson(t, s, id, "Åsa Öberg", "")
	storetest.Must(t, s.CreateEmployment(o.sys, &distans.Employment{PersonID: o.emp.ID, UnitID: a.ID,
		Title: "Handläggare", SiteID: o.site.ID, StartsOn: storetest.Day(2020, 1, 1)}))
	o.colleague = storetest.NewPerson(t, s, id, "Nils Nilsson", a.ID)
	o.boss = storetest.NewPerson(t, s, id, "Kim Chef", a.ID)
	o.otherBoss = storetest.NewPerson(t, s, id, "Olle Chef", b.ID)
	o.hr = storetest.NewPerson(t, s, id, "Hedda HR", root.ID)
	storetest.Assign(t, s, o.boss, distans.RoleManager, a.ID)
	storetest.Assign(t, s, o.otherBoss, distans.RoleManager, b.ID)
	storetest.Assign(t, s, o.hr, distans.RoleHR, "")

	o.empCtx, o.colleagueCtx = storetest.As(t, s, o.emp), storetest.As(t, s, o.colleague)
	o.bossCtx, o.otherCtx, o.hrCx = storetest.As(t, s, o.boss), storetest.As(t, s, o.otherBoss), storetest.As(t, s, o.hr)
	return o
}

// request is Åsa's usual request: Tuesdays and Thursdays at home for
// days days from a week ahead.
func request(days int) *distans.AgreementRequest {
	return &distans.AgreementRequest{Weekdays: []string{"tue", "thu"}, Place: "Storgatan 1, Bjurholm",
		Start: day(7), End: day(7 + days - 1), Tasks: "Utredningar", Reasons: "Koncentrationskrävande arbete"}
}

// approved takes Åsa's request through assessment and risk review (with
// outcome) to the manager's approval.
func approved(t *testing.T, svc *agreement.Service, o *org, r *distans.AgreementRequest, outcome distans.RiskOutcome) *distans.Agreement {
	t.Helper()
	a, err := svc.Request(o.empCtx, r)
	storetest.Must(t, err)
	a, err = svc.SaveAssessment(o.bossCtx, a.ID, a.Version, &distans.Assessment{Operation: "Fungerar", Individual: "Van",
		Extent: "Två dagar", Availability: "Telefon och Teams", Meetings: "APT på plats", CommonDays: "Måndagar"})
	storetest.Must(t, err)
	answers := map[string]distans.RiskAnswer{}
	for _, k := range distans.RiskItems {
		answers[k] = distans.RiskAnswer{OK: true}
	}
	a, err = svc.AnswerRisk(o.empCtx, a.ID, a.Version, answers)
	storetest.Must(t, err)
	measures := ""
	if outcome == distans.RiskNeedsMeasures {
		measures = "Skrivbordsstol beställs"
	}
	a, err = svc.ReviewRisk(o.bossCtx, a.ID, a.Version, outcome, measures)
	storetest.Must(t, err)
	a, err = svc.Decide(o.bossCtx, a.ID, a.Version, true, "Verksamheten tillåter det")
	storetest.Must(t, err)
	return a
}

// complete fills in the parts the prefill leaves to the manager.
func complete(t *testing.T, svc *agreement.Service, o *org, a *distans.Agreement) *distans.Terms {
	t.Helper()
	terms := seen(t, svc, o.bossCtx, a.ID)
	terms.Equipment = []string{"computer", "headset"}
	terms.Conditions = "Eget arbetsrum med dörr"
	terms.PhysicalMeetings = "Inga fysiska möten på distansarbetsplatsen"
	terms.TaxWorkplace = "main"
	return terms
}

// seen returns the terms as a signer reads them: the agreement's terms
// with the remote place revealed.
func seen(t *testing.T, svc *agreement.Service, ctx context.Context, id string) *distans.Terms {
	t.Helper()
	a, err := svc.FindAgreement(ctx, id)
	storetest.Must(t, err)
	_, place, err := svc.RevealRemotePlace(ctx, id)
	storetest.Must(t, err)
	terms := *a.Terms
	terms.RemotePlace = place
	return &terms
}

func hashOf(t *testing.T, svc *agreement.Service, ctx context.Context, id string) string {
	t.Helper()
	a, err := svc.FindAgreement(ctx, id)
	storetest.Must(t, err)
	return seen(t, svc, ctx, id).Hash(a.ID, a.PersonID)
}

// active makes Åsa's agreement from r active: approved, completed (with
// comments on the warnings), signed by both.
func active(t *testing.T, svc *agreement.Service, o *org, r *distans.AgreementRequest) *distans.Agreement {
	t.Helper()
	a := approved(t, svc, o, r, distans.RiskAcceptable)
	terms := complete(t, svc, o, a)
	a, err := svc.SaveTerms(o.bossCtx, a.ID, a.Version, terms)
	storetest.Must(t, err)
	for _, f := range a.Findings {
		if f.Severity == "block" {
			t.Fatalf("blocking finding %s on complete terms", f.RuleID)
		}
	}
	if len(a.Findings) > 0 {
		terms.Comments = map[string]string{}
		for _, f := range a.Findings {
			terms.Comments[f.RuleID] = "Vi har talat om det."
		}
		a, err = svc.SaveTerms(o.bossCtx, a.ID, a.Version, terms)
		storetest.Must(t, err)
	}
	a, err = svc.Sign(o.empCtx, a.ID, a.Version, distans.SignerEmployee, hashOf(t, svc, o.empCtx, a.ID), password)
	storetest.Must(t, err)
	a, err = svc.Sign(o.bossCtx, a.ID, a.Version, distans.SignerManager, hashOf(t, svc, o.bossCtx, a.ID), password)
	storetest.Must(t, err)
	if a.State != distans.AgreementActive {
		t.Fatalf("state after both signatures = %s", a.State)
	}
	return a
}

// fields returns the field names of an *distans.Error.
func fields(err error) []string {
	e, ok := err.(*distans.Error)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

// fieldSv returns the Swedish message of one field of an *distans.Error.
func fieldSv(err error, field string) string {
	if e, ok := err.(*distans.Error); ok {
		for _, f := range e.Fields {
			if f.Field == field {
				return f.Sv
			}
		}
	}
	return ""
}
