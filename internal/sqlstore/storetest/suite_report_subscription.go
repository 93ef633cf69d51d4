package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// ReportSubscriptions: a person keeps their own monthly reports (another's
// is not found, a second of the same kind and unit is a conflict); a
// claim hands each subscription out once per month however often it is
// asked, again after a lease runs out unsent, never after it is marked
// sent; a new subscription waits for next month; another organisation's
// person never sees one.
func ReportSubscriptions(t *testing.T, s *sqlstore.Store) {
	org := NewOrg(t, s, "prenumeration")
	other := NewOrg(t, s, "annanprenumeration")
	u := NewUnit(t, s, org.ID, "", "Kansliet", distans.UnitSection)
	hr := NewPerson(t, s, org.ID, "Hanna HR", u.ID)
	Assign(t, s, hr, distans.RoleHR, "")
	colleague := NewPerson(t, s, org.ID, "Kalle Kollega", u.ID)
	stranger := NewPerson(t, s, other.ID, "Stina Annan", "")

	march := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	asHR := distans.WithNow(As(t, s, hr), march)
	sub := &distans.ReportSubscription{Kind: distans.ReportAgreements}
	Must(t, s.CreateReportSubscription(asHR, sub))
	unitSub := &distans.ReportSubscription{Kind: distans.ReportAgreements, UnitID: u.ID}
	Must(t, s.CreateReportSubscription(asHR, unitSub))
	if err := s.CreateReportSubscription(asHR, &distans.ReportSubscription{Kind: distans.ReportAgreements}); distans.ErrorCode(err) != distans.ECONFLICT {
		t.Fatalf("a second subscription of the same kind and unit: %v, want ECONFLICT", err)
	}
	list, err := s.ListReportSubscriptions(asHR)
	Must(t, err)
	if len(list) != 2 || list[0].ID != sub.ID || list[0].PersonID != hr.ID || list[0].OrganisationID != org.ID || list[1].UnitID != u.ID {
		t.Fatalf("list %+v", list)
	}
	for _, ctx := range []context.Context{As(t, s, colleague), As(t, s, stranger)} {
		if l, err := s.ListReportSubscriptions(ctx); err != nil || len(l) != 0 {
			t.Errorf("another person lists %v, %v", l, err)
		}
		if err := s.DeleteReportSubscription(ctx, sub.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
			t.Errorf("another person ends HR's subscription: %v, want ENOTFOUND", err)
		}
	}

	sys := distans.NewContext(context.Background(), distans.SystemActor(""))
	if _, err := s.ClaimReportSends(asHR, "2026-03", march, time.Minute, 10); distans.ErrorCode(err) != distans.EFORBIDDEN {
		t.Errorf("a person claims: %v, want EFORBIDDEN", err)
	}
	// Made in March: February counts as sent.
	got, err := s.ClaimReportSends(sys, "2026-02", march, time.Minute, 10)
	Must(t, err)
	if len(got) != 0 {
		t.Fatalf("February claimed for a subscription made in March: %+v", got)
	}
	april := time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)
	got, err = s.ClaimReportSends(sys, "2026-03", april, time.Minute, 10)
	Must(t, err)
	if len(got) != 2 || got[0].Email != hr.Email || got[0].Name != "Hanna HR" || got[0].OrgName != org.Name || got[0].Language == "" {
		t.Fatalf("claim %+v", got)
	}
	// Leased: a second instance gets nothing until the lease runs out.
	if again, err := s.ClaimReportSends(sys, "2026-03", april.Add(30*time.Second), time.Minute, 10); err != nil || len(again) != 0 {
		t.Fatalf("claimed twice within the lease: %+v, %v", again, err)
	}
	Must(t, s.MarkReportSent(sys, org.ID, got[0].ID, "2026-03"))
	// The unsent one comes back after its lease, the sent one never.
	again, err := s.ClaimReportSends(sys, "2026-03", april.Add(2*time.Minute), time.Minute, 10)
	Must(t, err)
	if len(again) != 1 || again[0].ID != got[1].ID {
		t.Fatalf("after the lease: %+v", again)
	}
	Must(t, s.MarkReportSent(sys, org.ID, again[0].ID, "2026-03"))
	if none, err := s.ClaimReportSends(sys, "2026-03", april.Add(time.Hour), time.Minute, 10); err != nil || len(none) != 0 {
		t.Fatalf("sent ones claimed again: %+v, %v", none, err)
	}
	// May: April's report is due.
	if may, err := s.ClaimReportSends(sys, "2026-04", april.AddDate(0, 1, 0), time.Minute, 10); err != nil || len(may) != 2 {
		t.Fatalf("May: %+v, %v", may, err)
	}

	Must(t, s.DeleteReportSubscription(asHR, sub.ID))
	if err := s.DeleteReportSubscription(asHR, sub.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Errorf("ended twice: %v", err)
	}
	if l, _ := s.ListReportSubscriptions(asHR); len(l) != 1 {
		t.Errorf("after ending one: %+v", l)
	}
}
