package agreement_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/agreement"
	"github.com/distans/distans/internal/pdf"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
	"github.com/distans/distans/internal/training"
)

// withPreconditions is the service as the application builds it: the
// precondition rules read the training service.
func withPreconditions(s *sqlstore.Store) *agreement.Service {
	packs := policy.NewService(s, s)
	return agreement.New(agreement.Config{Store: s, Packs: packs, Reauth: fixedPassword, People: s, Sites: s,
		Organisations: s, PDF: pdf.WriteAgreement,
		Preconditions: training.New(training.Config{Store: s, Packs: packs, Organisations: s, Documents: s})})
}

const (
	disaRule        = "kristianstad-precondition-disa"
	instructionRule = "kristianstad-precondition-instruction"
)

func ruleIDs(fs []distans.AgreementFinding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleID)
	}
	slices.Sort(out)
	return out
}

// publishInstruction publishes Kristianstad's instruction as a required
// document, under the title the pack's parameter starts.
func publishInstruction(t *testing.T, o *org) *distans.PolicyDocument {
	t.Helper()
	d := &distans.PolicyDocument{Title: "Instruktion för digital kommunikation – informationssäkerhet för användare",
		Body: "Alla anställda ska genomföra DISA.", Required: true}
	storetest.Must(t, o.s.PublishDocument(o.hrCx, d))
	return d
}

func TestPreconditions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		svc := withPreconditions(s)
		o := setup(t, s, "kristianstad")
		doc := publishInstruction(t, o)
		// Another required document does not count for the instruction's rule.
		storetest.Must(t, s.PublishDocument(o.hrCx, &distans.PolicyDocument{Title: "Arbetsmiljöpolicy", Body: "Var rädd om dig.", Required: true}))

		fs, err := svc.Preconditions(o.empCtx, "")
		storetest.Must(t, err)
		if got := ruleIDs(fs); !slices.Equal(got, []string{disaRule, instructionRule}) {
			t.Fatalf("Åsa's preconditions %v", got)
		}
		for _, f := range fs {
			if f.Severity != "block" || !strings.HasPrefix(f.Citation, "Kristianstads kommun, Instruktion för digital kommunikation") {
				t.Fatalf("finding %+v", f)
			}
		}

		a, err := svc.Request(o.empCtx, request(30))
		storetest.Must(t, err)
		// The manager sees the same before deciding; a manager of another
		// unit does not see the case at all.
		if fs, err := svc.Preconditions(o.bossCtx, a.ID); err != nil || len(fs) != 2 {
			t.Fatalf("Kim's view: %v %+v", err, fs)
		}
		if _, err := svc.Preconditions(o.otherCtx, a.ID); err == nil || err.(*distans.Error).Code != distans.ENOTFOUND {
			t.Fatalf("Olle's view: %v", err)
		}
		if fs, err := svc.RequestFindings(o.bossCtx, a.ID); err != nil || !slices.Contains(ruleIDs(fs), disaRule) {
			t.Fatalf("request findings: %v %+v", err, ruleIDs(fs))
		}
		a, err = svc.SaveAssessment(o.bossCtx, a.ID, a.Version, &distans.Assessment{Operation: "Fungerar", Individual: "Van",
			Extent: "Två dagar", Availability: "Telefon och Teams", Meetings: "APT på plats", CommonDays: "Måndagar"})
		storetest.Must(t, err)
		answers := map[string]distans.RiskAnswer{}
		for _, k := range distans.RiskItems {
			answers[k] = distans.RiskAnswer{OK: true}
		}
		a, err = svc.AnswerRisk(o.empCtx, a.ID, a.Version, answers)
		storetest.Must(t, err)
		a, err = svc.ReviewRisk(o.bossCtx, a.ID, a.Version, distans.RiskAcceptable, "")
		storetest.Must(t, err)

		_, err = svc.Decide(o.bossCtx, a.ID, a.Version, true, "Verksamheten tillåter det")
		if got := fields(err); !slices.Equal(got, []string{"preconditions." + disaRule, "preconditions." + instructionRule}) {
			t.Fatalf("Decide: %v, fields %v", err, got)
		}
		if sv := fieldSv(err, "preconditions."+disaRule); !strings.Contains(sv, "DISA") || !strings.Contains(sv, "Utbildning") {
			t.Fatalf("the DISA message does not cite the clause: %q", sv)
		}
		if e := err.(*distans.Error); e.Code != distans.EINVALID || !strings.Contains(e.Sv, "godkännas") {
			t.Fatalf("Decide: %+v", e)
		}
		if got, _ := svc.FindAgreement(o.bossCtx, a.ID); got.State != a.State {
			t.Fatalf("the refused decision changed the state to %s", got.State)
		}

		// DISA recorded by the manager and the instruction acknowledged.
		tr := training.New(training.Config{Store: s, Packs: policy.NewService(s, s), Organisations: s, Documents: s})
		_, err = tr.RecordCompletion(o.bossCtx, &distans.CompletionRequest{PersonID: o.emp.ID, CourseID: "disa", CompletedOn: day(-1)})
		storetest.Must(t, err)
		_, err = svc.Decide(o.bossCtx, a.ID, a.Version, true, "Verksamheten tillåter det")
		if got := fields(err); !slices.Equal(got, []string{"preconditions." + instructionRule}) {
			t.Fatalf("Decide after DISA: %v, fields %v", err, got)
		}
		_, err = s.Acknowledge(o.empCtx, doc.ID, 0)
		storetest.Must(t, err)
		a, err = svc.Decide(o.bossCtx, a.ID, a.Version, true, "Verksamheten tillåter det")
		storetest.Must(t, err)

		terms := complete(t, svc, o, a)
		a, err = svc.SaveTerms(o.bossCtx, a.ID, a.Version, terms)
		storetest.Must(t, err)
		if len(a.Findings) > 0 {
			terms.Comments = map[string]string{}
			for _, f := range a.Findings {
				terms.Comments[f.RuleID] = "Vi har talat om det."
			}
			a, err = svc.SaveTerms(o.bossCtx, a.ID, a.Version, terms)
			storetest.Must(t, err)
		}

		// A new version of the instruction asks Åsa again: she cannot sign
		// until she has acknowledged it.
		_, err = s.PublishDocumentVersion(o.hrCx, doc.ID, distans.DocumentUpdate{Version: doc.Version, Body: "Alla anställda ska genomföra DISA. Nytt avsnitt."})
		storetest.Must(t, err)
		_, err = svc.Sign(o.empCtx, a.ID, a.Version, distans.SignerEmployee, hashOf(t, svc, o.empCtx, a.ID), password)
		if got := fields(err); !slices.Equal(got, []string{"preconditions." + instructionRule}) {
			t.Fatalf("Sign: %v, fields %v", err, got)
		}
		if e := err.(*distans.Error); e.Code != distans.EINVALID || !strings.Contains(e.Sv, "skrivas under") ||
			!strings.Contains(fieldSv(err, "preconditions."+instructionRule), "Behörighet") {
			t.Fatalf("Sign: %+v", e)
		}
		_, err = s.Acknowledge(o.empCtx, doc.ID, 0)
		storetest.Must(t, err)
		a, err = svc.Sign(o.empCtx, a.ID, a.Version, distans.SignerEmployee, hashOf(t, svc, o.empCtx, a.ID), password)
		storetest.Must(t, err)
		a, err = svc.Sign(o.bossCtx, a.ID, a.Version, distans.SignerManager, hashOf(t, svc, o.bossCtx, a.ID), password)
		storetest.Must(t, err)
		if a.State != distans.AgreementActive {
			t.Fatalf("state %s", a.State)
		}
		if fs, err := svc.Preconditions(o.empCtx, ""); err != nil || len(fs) != 0 {
			t.Fatalf("after: %v %+v", err, fs)
		}
	})
}

// A pack without precondition rules asks nothing: Bjurholm's person
// without DISA and without acknowledgements gets an active agreement.
func TestNoPreconditionRules(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		svc := withPreconditions(s)
		for _, slug := range []string{"bjurholm", "tom"} {
			t.Run(slug, func(t *testing.T) {
				o := setup(t, s, slug)
				storetest.Must(t, s.PublishDocument(o.hrCx, &distans.PolicyDocument{
					Title: "Instruktion för digital kommunikation", Body: "Läs.", Required: true}))
				fs, err := svc.Preconditions(o.empCtx, "")
				if err != nil || len(fs) != 0 {
					t.Fatalf("preconditions %v %+v", err, fs)
				}
				a := active(t, svc, o, request(30))
				for _, f := range a.Findings {
					if strings.HasPrefix(f.RuleID, "kristianstad-precondition") {
						t.Fatalf("finding %+v", f)
					}
				}
			})
		}
	})
}
