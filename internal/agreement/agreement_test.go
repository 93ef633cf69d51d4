package agreement_test

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/agreement"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

const bjurholmClause = "(Bjurholms kommun, Riktlinjer för distansarbete, 11. Skriftlig individuell överenskommelse: ”Överenskommelsen ska gälla för maximalt ett år i taget”)."

func TestRequestRules(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		svc := newService(s, &printed{})
		orgs := map[string]*org{}
		for _, slug := range []string{"bjurholm", "stockholm", "tom"} {
			orgs[slug] = setup(t, s, slug)
		}
		for _, tc := range []struct {
			name  string
			org   string
			req   func(r *distans.AgreementRequest)
			code  string
			field string
			cites string // in the field's Swedish message
		}{
			// A year is a calendar year: the last day is the day before the
			// same date a year later, whether or not the year has a leap day.
			{"one year", "bjurholm", func(r *distans.AgreementRequest) { r.End = r.Start.AddDate(1, 0, -1) }, "", "", ""},
			{"a year and a day", "bjurholm", func(r *distans.AgreementRequest) { r.End = r.Start.AddDate(1, 0, 0) },
				distans.EINVALID, "end", "Överenskommelsen får gälla högst 12 månader i taget: sista dagen är senast "},
			{"366 days without a leap day", "bjurholm", func(r *distans.AgreementRequest) {
				r.Start = time.Date(today.Year()+1, 3, 1, 0, 0, 0, 0, time.UTC)
				if r.Start.AddDate(1, 0, -1).Sub(r.Start) == 365*24*time.Hour { // the year holds a 29 February
					r.Start = r.Start.AddDate(1, 0, 0)
				}
				r.End = r.Start.AddDate(0, 0, 365)
			}, distans.EINVALID, "end", bjurholmClause},
			{"two years", "bjurholm", func(r *distans.AgreementRequest) { r.End = r.Start.AddDate(2, 0, 0) },
				distans.EINVALID, "end", bjurholmClause},
			{"Stockholm sets no maximum", "stockholm", func(r *distans.AgreementRequest) { r.End = r.Start.AddDate(2, 0, 0) }, "", "", ""},
			{"no pack sets no maximum", "tom", func(r *distans.AgreementRequest) { r.End = r.Start.AddDate(2, 0, 0) }, "", "", ""},
			{"first day has passed", "bjurholm", func(r *distans.AgreementRequest) { r.Start = day(-1) }, distans.EINVALID, "start", "redan varit"},
			{"today is allowed", "bjurholm", func(r *distans.AgreementRequest) { r.Start = today }, "", "", ""},
			{"no place", "stockholm", func(r *distans.AgreementRequest) { r.Place = "" }, distans.EINVALID, "place", ""},
			{"weekdays and days a week", "tom", func(r *distans.AgreementRequest) { r.DaysPerWeek = 2 }, distans.EINVALID, "days_per_week", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				o := orgs[tc.org]
				r := request(30)
				tc.req(r)
				a, err := svc.Request(o.empCtx, r)
				storetest.WantCode(t, err, tc.code)
				if tc.code != "" {
					if !slices.Contains(fields(err), tc.field) {
						t.Fatalf("fields = %v, want %s", fields(err), tc.field)
					}
					if msg := fieldSv(err, tc.field); !strings.Contains(msg, tc.cites) {
						t.Errorf("message %q does not cite %q", msg, tc.cites)
					}
					return
				}
				if a.State != distans.AgreementRequested || a.PersonID != o.emp.ID || a.Request.Place != "" || !a.PlaceSet {
					t.Errorf("opened %+v", a)
				}
				// The same rules hold for a change of the request.
				long := *r
				long.End = long.Start.AddDate(3, 0, 0)
				_, err = svc.UpdateRequest(o.empCtx, a.ID, a.Version, &long)
				if tc.org == "bjurholm" {
					storetest.WantCode(t, err, distans.EINVALID)
					if !strings.Contains(fieldSv(err, "end"), bjurholmClause) {
						t.Errorf("update: %v", err)
					}
				} else {
					storetest.Must(t, err)
				}
				a, err = svc.FindAgreement(o.empCtx, a.ID)
				storetest.Must(t, err)
				_, err = svc.Withdraw(o.empCtx, a.ID, a.Version)
				storetest.Must(t, err)
			})
		}
	})
}

func TestDecide(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		svc := newService(s, &printed{})
		for _, tc := range []struct {
			name     string
			pack     string
			req      func(r *distans.AgreementRequest)
			outcome  distans.RiskOutcome
			share    int
			ret      int
			findings []string // rule ids, blocking first
		}{
			{"Bjurholm, two weekdays", "bjurholm", nil, distans.RiskAcceptable, 40, 90,
				[]string{"bjurholm-11-physical-meetings", "bjurholm-11-equipment", "bjurholm-11-conditions"}},
			{"Bjurholm, three days a week, measures needed", "bjurholm",
				func(r *distans.AgreementRequest) { r.Weekdays, r.DaysPerWeek = nil, 3 }, distans.RiskNeedsMeasures, 60, 90,
				[]string{"bjurholm-11-physical-meetings", "bjurholm-11-equipment", "bjurholm-11-conditions", "bjurholm-11-tax-workplace", "bjurholm-5-risk-needs-measures"}},
			{"Stockholm: the pack's return time", "stockholm", nil, distans.RiskAcceptable, 40, 60, nil},
			{"Stockholm, five days", "stockholm",
				func(r *distans.AgreementRequest) { r.Weekdays = []string{"mon", "tue", "wed", "thu", "fri"} }, distans.RiskAcceptable, 100, 60,
				[]string{"stockholm-main-share"}},
			{"no pack", "tom", nil, distans.RiskAcceptable, 40, 90, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				o := setup(t, s, tc.pack)
				r := request(100)
				if tc.req != nil {
					tc.req(r)
				}
				a := approved(t, svc, o, r, tc.outcome)
				if a.State != distans.AgreementAwaitingSignature || a.Decision == nil || !a.Decision.Approved ||
					a.Decision.Reasons != "Verksamheten tillåter det" {
					t.Fatalf("decided %+v", a)
				}
				got := seen(t, svc, o.bossCtx, a.ID)
				want := distans.Terms{Start: r.Start, End: r.End, Weekdays: r.Weekdays, DaysPerWeek: r.DaysPerWeek,
					ShareRemote: tc.share, RemotePlace: r.Place, MainWorkplace: "Kommunhuset", Tasks: r.Tasks,
					WorkingHours: "Enligt gällande arbetstidsavtal", Availability: []string{"phone", "email", "teams"},
					ReturnMinutes: tc.ret, Evaluation: "Vid det årliga medarbetarsamtalet (002 §12)"}
				if got.Hash("x", "y") != want.Hash("x", "y") {
					t.Errorf("terms\n got %+v\nwant %+v", *got, want)
				}
				var ids []string
				for _, f := range a.Findings {
					ids = append(ids, f.RuleID)
					if f.Document == "" || f.Section == "" || f.Quote == "" || f.MessageSv == "" {
						t.Errorf("finding without its clause: %+v", f)
					}
				}
				if strings.Join(ids, ",") != strings.Join(tc.findings, ",") {
					t.Errorf("findings = %v, want %v", ids, tc.findings)
				}
				wantVersion := 1
				if tc.pack == "tom" {
					wantVersion = 0
				}
				if a.PackVersion != wantVersion {
					t.Errorf("pack version = %d, want %d", a.PackVersion, wantVersion)
				}
			})
		}

		t.Run("decline", func(t *testing.T) {
			o := setup(t, s, "bjurholm")
			a, err := svc.Request(o.empCtx, request(30))
			storetest.Must(t, err)
			_, err = svc.Decide(o.bossCtx, a.ID, a.Version, false, "  ")
			storetest.WantCode(t, err, distans.EINVALID)
			if !slices.Contains(fields(err), "reasons") {
				t.Errorf("fields = %v", fields(err))
			}
			a, err = svc.Decide(o.bossCtx, a.ID, a.Version, false, "Arbetet kräver närvaro på plats.")
			storetest.Must(t, err)
			if a.State != distans.AgreementDeclined || a.Decision == nil || a.Decision.Approved ||
				a.Decision.Reasons != "Arbetet kräver närvaro på plats." || a.Terms != nil {
				t.Errorf("declined %+v", a)
			}
			_, err = svc.Decide(o.bossCtx, a.ID, a.Version, true, "")
			storetest.WantCode(t, err, distans.ECONFLICT)
		})
	})
}

// TestWhoMay is who may do what with Åsa's case: she and her manager Kim
// act on it, HR reads it, Nils (a colleague) and Olle (another unit's
// manager) do not see it.
func TestWhoMay(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		svc := newService(s, &printed{})
		o := setup(t, s, "bjurholm")
		requested, err := svc.Request(o.empCtx, request(30))
		storetest.Must(t, err)
		o2 := setup(t, s, "bjurholm")
		awaiting := approved(t, svc, o2, request(30), distans.RiskAcceptable)
		o3 := setup(t, s, "bjurholm")
		act := active(t, svc, o3, request(30))
		for _, tc := range []struct {
			name string
			o    *org
			who  string
			do   func(c actAs, a *distans.Agreement) error
			a    *distans.Agreement
			code string
		}{
			{"the employee decides", o, "emp", decide, requested, distans.EFORBIDDEN},
			{"HR decides", o, "hr", decide, requested, distans.EFORBIDDEN},
			{"a colleague decides", o, "colleague", decide, requested, distans.ENOTFOUND},
			{"another unit's manager decides", o, "other", decide, requested, distans.ENOTFOUND},
			{"HR reads", o, "hr", find, requested, ""},
			{"a colleague reads", o, "colleague", find, requested, distans.ENOTFOUND},
			{"the employee signs as the manager", o2, "emp", signAs(distans.SignerManager), awaiting, distans.EFORBIDDEN},
			{"the manager signs as the employee", o2, "boss", signAs(distans.SignerEmployee), awaiting, distans.EFORBIDDEN},
			{"HR signs as the manager", o2, "hr", signAs(distans.SignerManager), awaiting, distans.EFORBIDDEN},
			{"another unit's manager signs", o2, "other", signAs(distans.SignerManager), awaiting, distans.ENOTFOUND},
			{"the employee renews", o3, "emp", renew, act, distans.EFORBIDDEN},
			{"HR renews", o3, "hr", renew, act, distans.EFORBIDDEN},
			{"the manager ends at the employee's request", o3, "boss", end(distans.EndByEmployee, ""), act, distans.EFORBIDDEN},
			{"the employee ends as the manager", o3, "emp", end(distans.EndByManager, "Samtal"), act, distans.EFORBIDDEN},
			{"HR ends", o3, "hr", end(distans.EndByManager, "Samtal"), act, distans.EFORBIDDEN},
			{"a colleague prints", o3, "colleague", printPDF, act, distans.ENOTFOUND},
			{"HR prints", o3, "hr", printPDF, act, ""},
			{"the employee prints", o3, "emp", printPDF, act, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := map[string]context.Context{"emp": tc.o.empCtx, "boss": tc.o.bossCtx, "hr": tc.o.hrCx,
					"colleague": tc.o.colleagueCtx, "other": tc.o.otherCtx}[tc.who]
				err := tc.do(actAs{c, svc}, tc.a)
				storetest.WantCode(t, err, tc.code)
			})
		}
	})
}

// actAs is one actor's view of the service, for the table of who may do what.
type actAs struct {
	ctx context.Context
	svc *agreement.Service
}

func decide(c actAs, a *distans.Agreement) error {
	_, err := c.svc.Decide(c.ctx, a.ID, a.Version, true, "")
	return err
}

func find(c actAs, a *distans.Agreement) error {
	_, err := c.svc.FindAgreement(c.ctx, a.ID)
	return err
}

func signAs(role distans.SignerRole) func(c actAs, a *distans.Agreement) error {
	return func(c actAs, a *distans.Agreement) error {
		_, err := c.svc.Sign(c.ctx, a.ID, a.Version, role, "whatever", password)
		return err
	}
}

func renew(c actAs, a *distans.Agreement) error {
	_, err := c.svc.Renew(c.ctx, a.ID, a.Version, time.Time{})
	return err
}

func end(reason distans.EndReason, note string) func(c actAs, a *distans.Agreement) error {
	return func(c actAs, a *distans.Agreement) error {
		_, err := c.svc.End(c.ctx, a.ID, a.Version, reason, note, time.Time{})
		return err
	}
}

func printPDF(c actAs, a *distans.Agreement) error {
	return c.svc.PDF(c.ctx, a.ID, io.Discard)
}

// TestSign is the way to a signature: the findings that stand in the way
// (checked again at signing), the password, and the hash of what was read.
func TestSign(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		svc := newService(s, &printed{})
		o := setup(t, s, "bjurholm")
		a := approved(t, svc, o, request(100), distans.RiskNeedsMeasures)
		hash := hashOf(t, svc, o.empCtx, a.ID)

		// The prefilled terms lack equipment and conditions: no signature,
		// whatever the password, and the warning wants a comment as well.
		_, err := svc.Sign(o.empCtx, a.ID, a.Version, distans.SignerEmployee, hash, "fel")
		storetest.WantCode(t, err, distans.EINVALID)
		want := []string{"findings.bjurholm-11-physical-meetings", "findings.bjurholm-11-equipment", "findings.bjurholm-11-conditions", "comments.bjurholm-5-risk-needs-measures"}
		if got := fields(err); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("fields = %v, want %v", got, want)
		}
		if msg := fieldSv(err, "findings.bjurholm-11-equipment"); !strings.Contains(msg, "arbetsutrustning") ||
			!strings.Contains(msg, "(Bjurholms kommun, Riktlinjer för distansarbete, 11. Skriftlig individuell överenskommelse: ”Arbetsutrustning”).") {
			t.Errorf("message %q", msg)
		}

		// Completed terms: saved with the warning alone.
		terms := complete(t, svc, o, a)
		a, err = svc.SaveTerms(o.bossCtx, a.ID, a.Version, terms)
		storetest.Must(t, err)
		if len(a.Findings) != 1 || a.Findings[0].RuleID != "bjurholm-5-risk-needs-measures" || a.Findings[0].Severity != "warn" {
			t.Fatalf("findings = %+v", a.Findings)
		}
		_, err = svc.Sign(o.empCtx, a.ID, a.Version, distans.SignerEmployee, hashOf(t, svc, o.empCtx, a.ID), password)
		storetest.WantCode(t, err, distans.EINVALID)
		if got := fields(err); strings.Join(got, ",") != "comments.bjurholm-5-risk-needs-measures" {
			t.Fatalf("fields = %v", got)
		}

		// Blocking findings are saved, so that the form shows them.
		broken := *terms
		broken.Equipment = nil
		a, err = svc.SaveTerms(o.bossCtx, a.ID, a.Version, &broken)
		storetest.Must(t, err)
		if len(a.Findings) != 2 || a.Findings[0].RuleID != "bjurholm-11-equipment" || a.Findings[0].Severity != "block" {
			t.Fatalf("findings = %+v", a.Findings)
		}
		// Stored with the clause named as people know it, not by file name.
		if c := a.Findings[0].Citation; c != "Bjurholms kommun, Riktlinjer för distansarbete, 11. Skriftlig individuell överenskommelse" {
			t.Errorf("citation %q", c)
		}
		// Terms that are not valid in themselves are not saved.
		bad := *terms
		bad.End = bad.Start.AddDate(0, 0, -1)
		_, err = svc.SaveTerms(o.bossCtx, a.ID, a.Version, &bad)
		storetest.WantCode(t, err, distans.EINVALID)

		terms.Comments = map[string]string{"bjurholm-5-risk-needs-measures": "Stolen levereras före start."}
		a, err = svc.SaveTerms(o.bossCtx, a.ID, a.Version, terms)
		storetest.Must(t, err)
		read := hashOf(t, svc, o.empCtx, a.ID)

		for _, tc := range []struct {
			name, hash, password string
			code, field          string
		}{
			{"wrong password", read, "fel", distans.EINVALID, "password"},
			{"terms read before the change", hash, password, distans.ECONFLICT, ""},
			{"no hash", "", password, distans.ECONFLICT, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := svc.Sign(o.empCtx, a.ID, a.Version, distans.SignerEmployee, tc.hash, tc.password)
				storetest.WantCode(t, err, tc.code)
				if tc.field != "" && !slices.Contains(fields(err), tc.field) {
					t.Errorf("fields = %v", fields(err))
				}
				if tc.code == distans.ECONFLICT && err.(*distans.Error).Sv !=
					"Överenskommelsen har ändrats sedan du läste den. Läs den igen innan du skriver under." {
					t.Errorf("message %q", err.(*distans.Error).Sv)
				}
			})
		}

		before := distans.Now()
		a, err = svc.Sign(o.empCtx, a.ID, a.Version, distans.SignerEmployee, read, password)
		storetest.Must(t, err)
		sig := a.Signed(distans.SignerEmployee)
		if sig == nil || sig.PersonID != o.emp.ID || sig.Name != o.emp.Name || sig.Hash != read || sig.Method != "password" ||
			sig.At.Before(before.Add(-time.Second)) || a.State != distans.AgreementAwaitingSignature {
			t.Fatalf("signed %+v: %+v", a.State, sig)
		}
		a, err = svc.Sign(o.bossCtx, a.ID, a.Version, distans.SignerManager, hashOf(t, svc, o.bossCtx, a.ID), password)
		storetest.Must(t, err)
		if a.State != distans.AgreementActive || a.Signed(distans.SignerManager).PersonID != o.boss.ID {
			t.Fatalf("after both: %s %+v", a.State, a.Signatures)
		}
		// Bjurholm: the first evaluation a year (follow_up_interval_days 365)
		// after the first day, or on the last day of a shorter agreement.
		due := distans.FollowUpDue(terms.Start, 365, terms.End)
		if a.NextFollowUpOn == nil || !a.NextFollowUpOn.Equal(due) {
			t.Errorf("next follow-up = %v, want %v", a.NextFollowUpOn, due)
		}
	})
}

// TestSignAuditsPlaceRead: the remote place (a home address) that a
// signature covers is read, and audited, in the signature's transaction:
// a refused signature leaves no read in the trail, an accepted one exactly
// one.
func TestSignAuditsPlaceRead(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		svc := newService(s, &printed{})
		o := setup(t, s, "bjurholm")
		a := approved(t, svc, o, request(100), distans.RiskAcceptable)
		a, err := svc.SaveTerms(o.bossCtx, a.ID, a.Version, complete(t, svc, o, a))
		storetest.Must(t, err)
		stale := hashOf(t, svc, o.empCtx, a.ID)
		changed := seen(t, svc, o.bossCtx, a.ID)
		changed.Conditions = "Eget arbetsrum"
		a, err = svc.SaveTerms(o.bossCtx, a.ID, a.Version, changed)
		storetest.Must(t, err)
		read := hashOf(t, svc, o.empCtx, a.ID)
		reads := func() int {
			t.Helper()
			evs, err := s.ListAuditEvents(o.sys, distans.AuditFilter{Action: distans.AgreementAuditPlaceRead, RecordID: a.ID, Limit: 1000})
			storetest.Must(t, err)
			return len(evs)
		}

		for _, tc := range []struct {
			name, hash, password string
			version              int
			code                 string
		}{
			{"wrong password", read, "fel", a.Version, distans.EINVALID},
			{"stale version", read, password, a.Version - 1, distans.ECONFLICT},
			{"terms read before the change", stale, password, a.Version, distans.ECONFLICT},
		} {
			before := reads()
			_, err := svc.Sign(o.empCtx, a.ID, tc.version, distans.SignerEmployee, tc.hash, tc.password)
			storetest.WantCode(t, err, tc.code)
			if n := reads() - before; n != 0 {
				t.Errorf("%s: %d reads of the remote place audited for a refused signature", tc.name, n)
			}
		}

		before := reads()
		_, err = svc.Sign(o.empCtx, a.ID, a.Version, distans.SignerEmployee, read, password)
		storetest.Must(t, err)
		if n := reads() - before; n != 1 {
			t.Errorf("%d reads of the remote place audited for a signature, want 1", n)
		}
	})
}

// TestSignRechecks: the pack is checked again at signing, for it may have
// changed since the terms were saved.
func TestSignRechecks(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		svc := newService(s, &printed{})
		o := setup(t, s, "bjurholm")
		a := approved(t, svc, o, request(100), distans.RiskAcceptable)
		a, err := svc.SaveTerms(o.bossCtx, a.ID, a.Version, complete(t, svc, o, a))
		storetest.Must(t, err)
		if len(a.Findings) != 0 {
			t.Fatalf("findings = %+v", a.Findings)
		}
		// HR shortens the longest agreement to a month.
		src, err := s.ActivePolicyVersion(o.sys)
		storetest.Must(t, err)
		text := strings.Replace(src.Source, "    default: 12\n", "    default: 12\n    value: 1\n", 1)
		storetest.Must(t, s.SavePolicyVersion(o.sys, src.Version, &distans.PolicyVersion{Source: text, Reason: "Kortare"}))

		_, err = svc.Sign(o.empCtx, a.ID, a.Version, distans.SignerEmployee, hashOf(t, svc, o.empCtx, a.ID), password)
		storetest.WantCode(t, err, distans.EINVALID)
		if got := fields(err); strings.Join(got, ",") != "findings.bjurholm-11-max-length" {
			t.Errorf("fields = %v", got)
		}
		findings, version, err := svc.CheckTerms(o.bossCtx, "", seen(t, svc, o.bossCtx, a.ID))
		storetest.Must(t, err)
		// Without the agreement there is no risk assessment.
		if version != 2 || len(findings) != 2 || findings[0].RuleID != "bjurholm-11-max-length" ||
			findings[1].RuleID != "bjurholm-5-risk-missing" {
			t.Errorf("check: version %d, %+v", version, findings)
		}
		// With it, its reviewed risk assessment and registered place count.
		findings, _, err = svc.CheckTerms(o.bossCtx, a.ID, seen(t, svc, o.bossCtx, a.ID))
		storetest.Must(t, err)
		if len(findings) != 1 || findings[0].RuleID != "bjurholm-11-max-length" {
			t.Errorf("check with the agreement: %+v", findings)
		}
		_, _, err = svc.CheckTerms(o.otherCtx, a.ID, seen(t, svc, o.bossCtx, a.ID))
		storetest.WantCode(t, err, distans.ENOTFOUND)
	})
}

func TestCheckTerms(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		svc := newService(s, &printed{})
		o := setup(t, s, "bjurholm")
		terms := &distans.Terms{Start: day(7), End: day(100), Weekdays: []string{"wed"}, ShareRemote: 20,
			RemotePlace: "Storgatan 1", MainWorkplace: "Kommunhuset", Tasks: "Utredningar", WorkingHours: "Flextid",
			Availability: []string{"phone"}, ReturnMinutes: 30, ClientMeetingsAtRemote: true, Equipment: []string{"computer"},
			PhysicalMeetings: "Klienter tas emot i hemmet", Conditions: "Eget rum", Evaluation: "Vid medarbetarsamtalet"}
		findings, version, err := svc.CheckTerms(o.empCtx, "", terms)
		storetest.Must(t, err)
		var ids []string
		for _, f := range findings {
			ids = append(ids, f.Severity+" "+f.RuleID)
		}
		// Without an agreement there is no risk assessment to take into account.
		want := "block bjurholm-7-client-meetings,warn bjurholm-5-risk-missing"
		if version != 1 || strings.Join(ids, ",") != want {
			t.Errorf("version %d, findings %v, want %s", version, ids, want)
		}
		if f := findings[0]; f.Document != "002_09262497f78a89f4.txt" || f.Section != "7. Arbetsuppgifter och omfattning" ||
			!strings.Contains(f.Quote, "Fysiska möten med klienter") || f.MessageEn == "" {
			t.Errorf("clause %+v", f)
		}
		terms.Weekdays = []string{"someday"}
		_, _, err = svc.CheckTerms(o.empCtx, "", terms)
		storetest.WantCode(t, err, distans.EINVALID)
	})
}

// TestFollowUpRenewEnd is an active agreement's life: follow-ups, the
// evaluation, renewal and the end.
func TestFollowUpRenewEnd(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		svc := newService(s, &printed{})
		followUp := func(d time.Time) *distans.FollowUp {
			return &distans.FollowUp{Date: d, Goals: "Nås", Quality: "God", Availability: "God", WorkSituation: "Bra",
				DigitalEnv: "Fungerar", SpillOver: "Ingen"}
		}
		for _, tc := range []struct {
			pack      string
			interval  int // days to the next follow-up
			renewDays int // the renewal's length when no end is given
			maxEnd    bool
		}{
			{"bjurholm", 365, 366, true},
			// Stockholm gives no interval (follow-up "löpande") and no maximum.
			{"stockholm", 180, 100, false},
		} {
			t.Run(tc.pack, func(t *testing.T) {
				o := setup(t, s, tc.pack)
				a := active(t, svc, o, request(100))

				_, err := svc.AddFollowUp(o.bossCtx, a.ID, a.Version, followUp(day(1)))
				storetest.WantCode(t, err, distans.EINVALID)
				_, err = svc.AddFollowUp(o.bossCtx, a.ID, a.Version, followUp(today))
				storetest.Must(t, err)
				a, err = svc.FindAgreement(o.bossCtx, a.ID)
				storetest.Must(t, err)
				// The interval runs past this agreement's last day, where the
				// next follow-up falls instead.
				if want := a.Terms.End; a.NextFollowUpOn == nil || !a.NextFollowUpOn.Equal(want) || len(a.FollowUps) != 1 ||
					!day(tc.interval).After(want) {
					t.Errorf("next follow-up %v, want %v (%d recorded)", a.NextFollowUpOn, want, len(a.FollowUps))
				}

				_, err = svc.SaveEvaluation(o.bossCtx, a.ID, a.Version, &distans.Evaluation{Date: day(1), Summary: "Bra", Continue: true})
				storetest.WantCode(t, err, distans.EINVALID)
				a, err = svc.SaveEvaluation(o.bossCtx, a.ID, a.Version, &distans.Evaluation{Date: today, Summary: "Bra", Continue: true})
				storetest.Must(t, err)

				start := a.Terms.End.AddDate(0, 0, 1)
				if tc.maxEnd {
					_, err = svc.Renew(o.bossCtx, a.ID, a.Version, start.AddDate(0, 0, 366))
					storetest.WantCode(t, err, distans.EINVALID)
					if !strings.Contains(fieldSv(err, "end"), bjurholmClause) {
						t.Errorf("renewal too long: %v", err)
					}
				}
				_, err = svc.Renew(o.bossCtx, a.ID, a.Version, start.AddDate(0, 0, -1))
				storetest.WantCode(t, err, distans.EINVALID)

				r, err := svc.Renew(o.bossCtx, a.ID, a.Version, time.Time{})
				storetest.Must(t, err)
				if r.ID == a.ID || r.RenewalOf != a.ID || r.State != distans.AgreementAwaitingSignature || r.Terms == nil ||
					!r.Terms.Start.Equal(start) || r.Terms.LengthDays() != tc.renewDays {
					t.Fatalf("renewal %+v, terms %+v", r, r.Terms)
				}
				old, renewed := seen(t, svc, o.empCtx, a.ID), seen(t, svc, o.empCtx, r.ID)
				if renewed.RemotePlace != "Storgatan 1, Bjurholm" || renewed.Tasks != old.Tasks ||
					strings.Join(renewed.Equipment, ",") != strings.Join(old.Equipment, ",") || renewed.Conditions != old.Conditions {
					t.Errorf("renewed terms %+v from %+v", renewed, old)
				}
				a, err = svc.FindAgreement(o.bossCtx, a.ID)
				storetest.Must(t, err)
				_, err = svc.Renew(o.bossCtx, a.ID, a.Version, time.Time{})
				storetest.WantCode(t, err, distans.ECONFLICT)

				// The end: by the manager only with the dialogue documented, not for a job's reason.
				for _, bad := range []struct {
					reason distans.EndReason
					note   string
					field  string
				}{
					{distans.EndByManager, " ", "note"},
					{distans.EndExpired, "", "reason"},
					{distans.EndUnitMove, "", "reason"},
					{"", "", "reason"},
				} {
					_, err = svc.End(o.bossCtx, a.ID, a.Version, bad.reason, bad.note, time.Time{})
					storetest.WantCode(t, err, distans.EINVALID)
					if !slices.Contains(fields(err), bad.field) {
						t.Errorf("end %q: fields %v", bad.reason, fields(err))
					}
				}
				a, err = svc.End(o.bossCtx, a.ID, a.Version, distans.EndByManager, "Samtal 12 maj: uppdraget kräver närvaro.", time.Time{})
				storetest.Must(t, err)
				if a.State != distans.AgreementEnded || a.EndedOn == nil || !a.EndedOn.Equal(today) || a.EndReason != distans.EndByManager ||
					a.EndedBy != o.boss.ID {
					t.Errorf("ended %s on %v for %s by %s", a.State, a.EndedOn, a.EndReason, a.EndedBy)
				}
			})
		}

		t.Run("the employee ends at will", func(t *testing.T) {
			o := setup(t, s, "tom")
			a := active(t, svc, o, request(100))
			a, err := svc.End(o.empCtx, a.ID, a.Version, distans.EndByEmployee, "", day(3))
			storetest.Must(t, err)
			if a.State != distans.AgreementEnded || a.EndedOn == nil || !a.EndedOn.Equal(day(3)) || a.EndReason != distans.EndByEmployee {
				t.Errorf("ended %s on %v for %s", a.State, a.EndedOn, a.EndReason)
			}
		})
	})
}

func TestPDF(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		p := &printed{}
		svc := newService(s, p)
		o := setup(t, s, "bjurholm")
		a := approved(t, svc, o, request(100), distans.RiskAcceptable)
		a, err := svc.SaveTerms(o.bossCtx, a.ID, a.Version, complete(t, svc, o, a))
		storetest.Must(t, err)
		a, err = svc.Sign(o.empCtx, a.ID, a.Version, distans.SignerEmployee, hashOf(t, svc, o.empCtx, a.ID), password)
		storetest.Must(t, err)
		var buf bytes.Buffer
		err = svc.PDF(o.empCtx, a.ID, &buf)
		storetest.WantCode(t, err, distans.ECONFLICT)
		if err.(*distans.Error).Sv != "Överenskommelsen är inte underskriven av båda ännu." || buf.Len() != 0 {
			t.Errorf("unsigned: %v, %d bytes", err, buf.Len())
		}
		_, err = svc.Sign(o.bossCtx, a.ID, a.Version, distans.SignerManager, hashOf(t, svc, o.bossCtx, a.ID), password)
		storetest.Must(t, err)
		storetest.Must(t, svc.PDF(o.bossCtx, a.ID, &buf))
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
			t.Errorf("not a PDF: %q", buf.Bytes()[:min(buf.Len(), 20)])
		}
		d := p.docs[len(p.docs)-1]
		if d.Agreement.ID != a.ID || d.Organisation != o.o.Name || d.RequestPlace != "Storgatan 1, Bjurholm" ||
			d.TermsPlace != "Storgatan 1, Bjurholm" || d.Location == nil || d.Location.String() != "Europe/Stockholm" {
			t.Errorf("doc %+v", d)
		}
	})
}

func TestDefaultStatus(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		svc := newService(s, &printed{})
		o := setup(t, s, "bjurholm")
		a := active(t, svc, o, request(60)) // Tuesdays and Thursdays
		first := a.Terms.Start
		for first.Weekday() != time.Tuesday {
			first = first.AddDate(0, 0, 1)
		}
		after := a.Terms.End.AddDate(0, 0, 1)
		for after.Weekday() != time.Tuesday {
			after = after.AddDate(0, 0, 1)
		}
		for _, tc := range []struct {
			name   string
			person string
			date   time.Time
			want   distans.StatusKind
		}{
			{"a Tuesday in force", o.emp.ID, first, distans.StatusRemote},
			{"a Thursday in force", o.emp.ID, first.AddDate(0, 0, 2), distans.StatusRemote},
			{"a Wednesday in force", o.emp.ID, first.AddDate(0, 0, 1), ""},
			{"a Tuesday before the first day", o.emp.ID, first.AddDate(0, 0, -7), ""},
			{"a Tuesday after the last day", o.emp.ID, after, ""},
			{"a colleague without agreement", o.colleague.ID, first, ""},
			// The store hides the person from a colleague without a role:
			// nothing says, and the directory search goes on.
			{"asked by a colleague", o.emp.ID, first, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ctx := o.bossCtx
				if tc.name == "asked by a colleague" {
					ctx = o.colleagueCtx
				}
				defs, err := svc.DefaultStatus(ctx, []string{tc.person}, tc.date)
				storetest.Must(t, err)
				got := defs[tc.person]
				if got != tc.want {
					t.Errorf("%s (%s): %q, want %q", tc.date.Format(time.DateOnly), tc.date.Weekday(), got, tc.want)
				}
			})
		}
	})
}

// TestRequestFindings: the manager sees the pack's findings on the request,
// with their clauses, before deciding: Stockholm's return time (set to 60
// minutes here) and its majority-at-the-workplace rule trip on what the
// request states, and a rule about the terms (the main workplace, the
// equipment) says nothing yet. The approval carries the stated travel time
// and secrecy into the terms.
func TestRequestFindings(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		svc := newService(s, &printed{})
		o := setup(t, s, "stockholm")
		r := request(90)
		r.Weekdays, r.ReturnMinutes, r.SecrecyTasks = []string{"mon", "tue", "wed", "thu"}, 75, true
		a, err := svc.Request(o.empCtx, r)
		storetest.Must(t, err)
		ids := func(fs []distans.AgreementFinding) []string {
			var out []string
			for _, f := range fs {
				out = append(out, f.RuleID)
			}
			slices.Sort(out)
			return out
		}
		for _, ctx := range []context.Context{o.bossCtx, o.empCtx, o.hrCx} {
			fs, err := svc.RequestFindings(ctx, a.ID)
			storetest.Must(t, err)
			want := []string{"stockholm-main-share", "stockholm-return-time", "stockholm-risk-missing", "stockholm-secrecy-tasks"}
			if got := ids(fs); !slices.Equal(got, want) {
				t.Fatalf("findings %v, want %v", got, want)
			}
			for _, f := range fs {
				if f.Document == "" || f.Section == "" || f.MessageSv == "" {
					t.Errorf("%s has no clause: %+v", f.RuleID, f)
				}
			}
		}
		_, err = svc.RequestFindings(o.colleagueCtx, a.ID)
		storetest.WantCode(t, err, distans.ENOTFOUND)

		// Within the limits, only the missing risk assessment remains.
		r.Weekdays, r.ReturnMinutes, r.SecrecyTasks = []string{"tue"}, 45, false
		a, err = svc.UpdateRequest(o.empCtx, a.ID, a.Version, r)
		storetest.Must(t, err)
		fs, err := svc.RequestFindings(o.bossCtx, a.ID)
		storetest.Must(t, err)
		if got := ids(fs); !slices.Equal(got, []string{"stockholm-risk-missing"}) {
			t.Fatalf("findings within the limits: %v", got)
		}

		r.ReturnMinutes, r.SecrecyTasks = 50, true
		a, err = svc.UpdateRequest(o.empCtx, a.ID, a.Version, r)
		storetest.Must(t, err)
		a = approvedCase(t, svc, o, a)
		if a.Terms.ReturnMinutes != 50 || !a.Terms.SecrecyTasks {
			t.Errorf("terms after approval: return %d, secrecy %v", a.Terms.ReturnMinutes, a.Terms.SecrecyTasks)
		}

		_, err = svc.Request(o.colleagueCtx, &distans.AgreementRequest{Weekdays: []string{"mon"}, Place: "Hemma",
			Start: day(7), End: day(30), Tasks: "X", ReturnMinutes: 2000})
		storetest.WantCode(t, err, distans.EINVALID)
	})
}

// approvedCase takes a case through assessment and an acceptable risk
// review to approval.
func approvedCase(t *testing.T, svc *agreement.Service, o *org, a *distans.Agreement) *distans.Agreement {
	t.Helper()
	a, err := svc.SaveAssessment(o.bossCtx, a.ID, a.Version, &distans.Assessment{Operation: "Fungerar", Individual: "Van",
		Extent: "En dag", Availability: "Telefon", Meetings: "APT", CommonDays: "Måndagar"})
	storetest.Must(t, err)
	answers := map[string]distans.RiskAnswer{}
	for _, k := range distans.RiskItems {
		answers[k] = distans.RiskAnswer{OK: true}
	}
	a, err = svc.AnswerRisk(o.empCtx, a.ID, a.Version, answers)
	storetest.Must(t, err)
	a, err = svc.ReviewRisk(o.bossCtx, a.ID, a.Version, distans.RiskAcceptable, "")
	storetest.Must(t, err)
	a, err = svc.Decide(o.bossCtx, a.ID, a.Version, true, "Ja")
	storetest.Must(t, err)
	return a
}

// TestFollowUpWithinAgreement: a follow-up falls due the pack's interval
// after the first day or the last follow-up, never after the agreement's
// last day; a follow-up on the last day leaves none due, and an ended
// agreement has no follow-up due.
func TestFollowUpWithinAgreement(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		svc := newService(s, &printed{})
		o := setup(t, s, "stockholm") // no interval: DefaultFollowUpDays
		long := active(t, svc, o, request(400))
		if want := day(7 + agreement.DefaultFollowUpDays); long.NextFollowUpOn == nil || !long.NextFollowUpOn.Equal(want) {
			t.Errorf("first follow-up of a long agreement %v, want %v", long.NextFollowUpOn, want)
		}

		short := setup(t, s, "bjurholm") // a year between follow-ups
		a := active(t, svc, short, request(90))
		if want := a.Terms.End; a.NextFollowUpOn == nil || !a.NextFollowUpOn.Equal(want) {
			t.Fatalf("first follow-up %v, want the last day %v", a.NextFollowUpOn, want)
		}
		a, err := svc.End(short.bossCtx, a.ID, a.Version, distans.EndByManager, "Vi har talat om det.", today)
		storetest.Must(t, err)
		got, err := svc.FindAgreement(short.empCtx, a.ID)
		storetest.Must(t, err)
		if got.NextFollowUpOn != nil || got.NextFollowUp() != nil {
			t.Errorf("an ended agreement has a follow-up due on %v", got.NextFollowUpOn)
		}
		// An agreement whose last day is today: a follow-up today is the last.
		o2 := setup(t, s, "stockholm")
		sys := o2.sys
		last := importLastDay(t, s, o2, sys)
		a, err = svc.AddFollowUp(o2.bossCtx, last.ID, last.Version, &distans.FollowUp{Date: today, Goals: "Nås", Quality: "God",
			Availability: "God", WorkSituation: "Bra", DigitalEnv: "Fungerar", SpillOver: "Ingen"})
		storetest.Must(t, err)
		if a.NextFollowUpOn != nil {
			t.Errorf("a follow-up on the last day leaves one due on %v", a.NextFollowUpOn)
		}
	})
}

// importLastDay imports an active agreement of Åsa's whose last day is today.
func importLastDay(t *testing.T, s *sqlstore.Store, o *org, sys context.Context) *distans.Agreement {
	t.Helper()
	next := today
	a := &distans.Agreement{PersonID: o.emp.ID, State: distans.AgreementActive,
		Request: distans.AgreementRequest{Weekdays: []string{"tue"}, Start: day(-30), End: today, Tasks: "Utredningar"},
		Terms: &distans.Terms{Start: day(-30), End: today, Weekdays: []string{"tue"}, ShareRemote: 20, MainWorkplace: "Kommunhuset",
			Tasks: "Utredningar", WorkingHours: "8–17", Availability: []string{"phone"}, Equipment: []string{"computer"}},
		NextFollowUpOn: &next,
		Signatures: []distans.Signature{{Role: distans.SignerEmployee, PersonID: o.emp.ID, Name: o.emp.Name, At: day(-31)},
			{Role: distans.SignerManager, PersonID: o.boss.ID, Name: o.boss.Name, At: day(-31)}}}
	storetest.Must(t, s.ImportAgreement(sys, a, "Hemma", "Hemma", nil))
	got, err := s.FindAgreement(sys, a.ID)
	storetest.Must(t, err)
	return got
}
