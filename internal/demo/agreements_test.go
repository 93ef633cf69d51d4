package demo_test

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
	"github.com/distans/distans/internal/pdf"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

func TestLoadAgreements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		st := demo.Stores{Organisations: s, Units: s, Sites: s, People: s, Roles: s, Accounts: s, Policies: s,
			Documents: s, Agreements: s}
		if err := demo.Load(ctx, st, nil); err != nil {
			t.Fatal(err)
		}
		// A second Load adds no agreement and writes no audit event.
		counts := func() map[string][2]int {
			c := map[string][2]int{} // agreements, newest audit event
			for _, slug := range []string{"stockholm", "vara", "bjurholm", "kristianstad", "sorsele"} {
				octx := orgContext(t, s, slug)
				_, total, err := s.ListAgreements(octx, distans.AgreementFilter{Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				events, err := s.ListAuditEvents(octx, distans.AuditFilter{Limit: 1})
				if err != nil || len(events) == 0 {
					t.Fatalf("%s: audit events %v, err %v", slug, events, err)
				}
				c[slug] = [2]int{total, int(events[0].Seq)}
			}
			return c
		}
		first := counts()
		if err := demo.Load(ctx, st, nil); err != nil {
			t.Fatal(err)
		}
		if second := counts(); !maps.Equal(first, second) {
			t.Errorf("a second Load changed the agreements or wrote audit events:\nfirst  %v\nsecond %v", first, second)
		}

		for _, a := range demo.Accounts() {
			if a.Role != distans.RoleManager {
				continue
			}
			t.Run(a.Org, func(t *testing.T) {
				octx := orgContext(t, s, a.Org)
				list, _, err := s.ListAgreements(octx, distans.AgreementFilter{Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				checkAgreements(t, s, octx, a, list)
			})
		}
	})
}

// checkAgreements checks one organisation's demo agreements, loaded as
// the system (octx), against what the chef demo account a should see.
func checkAgreements(t *testing.T, s *sqlstore.Store, octx context.Context, chef demo.Account, list []*distans.Agreement) {
	t.Helper()
	o, err := s.FindOrganisationBySlug(octx, chef.Org)
	if err != nil {
		t.Fatal(err)
	}
	local := distans.Now().In(o.Location())
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	pack, err := policy.Seed(chef.Org)
	if err != nil {
		t.Fatal(err)
	}

	states := map[distans.AgreementState]int{}
	people := map[string]bool{}
	var overdue, expiring, followUpLater, byManager, byEmployee int
	for _, a := range list {
		states[a.State]++
		if people[a.PersonID] {
			t.Errorf("%s: %s has two agreements", a.Number, a.PersonName)
		}
		people[a.PersonID] = true
		switch {
		case a.FollowUpOverdue(today):
			overdue++
		case a.ExpiresWithin(today, 30):
			expiring++
		case a.State == distans.AgreementActive && a.NextFollowUpOn != nil && a.NextFollowUpOn.After(today):
			followUpLater++
		}
		if a.State == distans.AgreementEnded {
			switch a.EndReason {
			case distans.EndByManager:
				byManager++
				if a.EndNote == "" {
					t.Errorf("%s: ended by the manager without a dialogue note", a.Number)
				}
			case distans.EndByEmployee:
				byEmployee++
			}
		}
		if a.Terms == nil {
			continue
		}
		reqPlace, termsPlace, err := s.RevealRemotePlace(octx, a.ID)
		if err != nil || reqPlace == "" || termsPlace == "" {
			t.Errorf("%s: places %q %q, err %v", a.Number, reqPlace, termsPlace, err)
		}
		full := *a.Terms
		full.RemotePlace = termsPlace
		for _, sig := range a.Signatures {
			if sig.Hash != full.Hash(a.ID, a.PersonID) {
				t.Errorf("%s: the %s's signature does not hold", a.Number, sig.Role)
			}
		}
		if a.Signed(distans.SignerManager) != nil {
			// The PDF checks the signatures against the terms read back.
			var buf bytes.Buffer
			if err := pdf.WriteAgreement(&buf, pdf.AgreementDoc{Agreement: a, Organisation: o.Name,
				RequestPlace: reqPlace, TermsPlace: termsPlace, Location: o.Location()}); err != nil {
				t.Errorf("%s: PDF: %v", a.Number, err)
			}
		}
		if last := distans.LastDayWithin(full.Start, 12); full.End.After(last) {
			t.Errorf("%s: ends %s, want at most a year (%s)", a.Number, full.End.Format(time.DateOnly), last.Format(time.DateOnly))
		}
		if err := full.Validate(); err != nil {
			t.Errorf("%s: %v", a.Number, err)
		}
		findings, err := pack.Check(policy.KindAgreement, policy.AgreementOf(&full, a.Risk.Outcome), distans.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range findings {
			if f.Severity == policy.SeverityBlock || f.Severity == policy.SeverityWarn && full.Comments[f.RuleID] == "" {
				t.Errorf("%s: finding %s (%s) %s", a.Number, f.RuleID, f.Severity, f.MessageEn)
			}
		}
		if a.Risk.Outcome != distans.RiskAcceptable {
			t.Errorf("%s: risk %q, want acceptable", a.Number, a.Risk.Outcome)
		}
	}
	want := map[distans.AgreementState]int{distans.AgreementRequested: 1, distans.AgreementAssessed: 1,
		distans.AgreementDeclined: 1, distans.AgreementAwaitingSignature: 1, distans.AgreementActive: 3,
		distans.AgreementEnded: 2}
	for st, n := range want {
		if states[st] != n {
			t.Errorf("%d agreements %s, want %d (all: %v)", states[st], st, n, states)
		}
	}
	if overdue != 1 || expiring != 1 || followUpLater != 1 || byManager != 1 || byEmployee != 1 {
		t.Errorf("overdue %d, expiring %d, follow-up later %d, ended by the manager %d and by the employee %d; want 1 each",
			overdue, expiring, followUpLater, byManager, byEmployee)
	}

	// The chef sees them all in the unit, most in the queue; the medarbetare has none.
	accs, err := s.FindAccounts(octx, chef.Email)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(accs, func(x *distans.Account) bool { return x.OrgSlug == chef.Org })
	grants, err := s.Grants(octx, accs[i].OrganisationID, accs[i].PersonID)
	if err != nil {
		t.Fatal(err)
	}
	as := distans.NewContext(context.Background(), &distans.Actor{OrganisationID: accs[i].OrganisationID,
		PersonID: accs[i].PersonID, Name: chef.Name, Grants: grants})
	mine, total, err := s.ListAgreements(as, distans.AgreementFilter{Limit: 100})
	if err != nil || total != len(list) {
		t.Errorf("the chef sees %d of %d agreements, err %v", total, len(list), err)
	}
	queue, _, err := s.ListAgreements(as, distans.AgreementFilter{Queue: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []distans.AgreementState{distans.AgreementRequested, distans.AgreementAssessed,
		distans.AgreementAwaitingSignature} {
		if !slices.ContainsFunc(queue, func(a *distans.Agreement) bool { return a.State == st }) {
			t.Errorf("the chef's queue has no %s case (queue of %d)", st, len(queue))
		}
	}
	for _, a := range mine {
		if a.PersonID == accs[i].PersonID {
			t.Errorf("%s: the chef's own agreement", a.Number)
		}
	}
	emp, err := s.FindAccounts(octx, demo.AccountEmail(chef.Org, distans.RoleEmployee))
	if err != nil {
		t.Fatal(err)
	}
	for _, acc := range emp {
		if acc.OrgSlug != chef.Org {
			continue
		}
		if _, n, err := s.ListAgreements(octx, distans.AgreementFilter{PersonID: acc.PersonID}); err != nil || n != 0 {
			t.Errorf("the medarbetare demo account has %d agreements, err %v; want none", n, err)
		}
	}
}
