package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// The agreement tests run on the store's clock: requests must start today
// or later in the organisation's time zone (Stockholm).

// agrToday returns today in Stockholm as midnight UTC, what the store calls today.
func agrToday() time.Time {
	n := distans.Now().In(stockholm)
	return Day(n.Year(), n.Month(), n.Day())
}

const homePlace = "Storgatan 1, 916 31 Bjurholm"

func agrRequest(today time.Time) *distans.AgreementRequest {
	return &distans.AgreementRequest{Weekdays: []string{"mon", "fri"}, Place: homePlace,
		Start: today.AddDate(0, 0, 7), End: today.AddDate(0, 6, 0), Tasks: "Handläggning", Reasons: "Koncentration"}
}

func agrTerms(today time.Time) *distans.Terms {
	return &distans.Terms{Start: today.AddDate(0, 0, 7), End: today.AddDate(0, 6, 0), Weekdays: []string{"mon", "fri"},
		ShareRemote: 40, RemotePlace: homePlace, MainWorkplace: "Stadshuset", Tasks: "Handläggning",
		WorkingHours: "8–17", Availability: []string{"phone", "teams"}, ReturnMinutes: 60,
		Equipment: []string{"computer"}, Evaluation: "Efter sex månader"}
}

func agrAnswers() map[string]distans.RiskAnswer {
	m := map[string]distans.RiskAnswer{}
	for _, k := range distans.RiskItems {
		m[k] = distans.RiskAnswer{OK: true}
	}
	return m
}

var agrAssessment = &distans.Assessment{Operation: "Ingen påverkan", Individual: "Erfaren", Extent: "Två dagar",
	Availability: "Telefon", Meetings: "Tisdagar", CommonDays: "Tisdag"}

// requestAgreement opens a case as the person.
func requestAgreement(t testing.TB, s *sqlstore.Store, p *distans.Person) *distans.Agreement {
	t.Helper()
	a := &distans.Agreement{Request: *agrRequest(agrToday())}
	Must(t, s.CreateAgreement(As(t, s, p), a))
	return a
}

// approvedAgreement takes a new case of emp to awaiting signatures, decided by chef.
func approvedAgreement(t testing.TB, s *sqlstore.Store, emp, chef *distans.Person) *distans.Agreement {
	t.Helper()
	a := requestAgreement(t, s, emp)
	e, c := As(t, s, emp), As(t, s, chef)
	a, err := s.AnswerRisk(e, a.ID, a.Version, agrAnswers())
	Must(t, err)
	a, err = s.SaveAssessment(c, a.ID, a.Version, agrAssessment)
	Must(t, err)
	a, err = s.ReviewRisk(c, a.ID, a.Version, distans.RiskAcceptable, "")
	Must(t, err)
	a, err = s.Decide(c, a.ID, a.Version, &distans.Decision{Approved: true, Reasons: "Verksamheten tillåter"},
		agrTerms(agrToday()), nil, 1)
	Must(t, err)
	return a
}

// signBoth signs a case awaiting signatures as the employee and the manager.
func signBoth(t testing.TB, s *sqlstore.Store, a *distans.Agreement, emp, chef *distans.Person) *distans.Agreement {
	t.Helper()
	h := agrTerms(agrToday()).Hash(a.ID, a.PersonID)
	a, err := s.Sign(As(t, s, emp), a.ID, a.Version, distans.Signature{Role: distans.SignerEmployee, Hash: h, Method: "password"}, time.Time{})
	Must(t, err)
	a, err = s.Sign(As(t, s, chef), a.ID, a.Version, distans.Signature{Role: distans.SignerManager, Hash: h, Method: "password"},
		agrToday().AddDate(0, 3, 0))
	Must(t, err)
	return a
}

// importActive imports an active agreement of p, signed by manager, with
// the given period and next follow-up.
func importActive(t testing.TB, s *sqlstore.Store, p, manager *distans.Person, start, end, nextFollowUp time.Time) *distans.Agreement {
	t.Helper()
	terms := agrTerms(start)
	terms.Start, terms.End, terms.RemotePlace = start, end, ""
	nf := nextFollowUp
	a := &distans.Agreement{PersonID: p.ID, State: distans.AgreementActive,
		Request: distans.AgreementRequest{Weekdays: []string{"mon", "fri"}, Start: start, End: end, Tasks: "Handläggning"},
		Terms:   terms, NextFollowUpOn: &nf,
		Signatures: []distans.Signature{{Role: distans.SignerEmployee, PersonID: p.ID, Name: p.Name, At: start},
			{Role: distans.SignerManager, PersonID: manager.ID, Name: manager.Name, At: start}}}
	Must(t, s.ImportAgreement(System(p.OrganisationID), a, homePlace, homePlace, nil))
	return a
}

// notifications returns "kind person" of the organisation's notifications
// whose key starts with prefix.
func notifications(t testing.TB, s *sqlstore.Store, orgID, prefix string) []string {
	t.Helper()
	rows, err := Raw(t, s).QueryContext(context.Background(), `SELECT kind, person_id FROM notifications
		WHERE organisation_id = $1 AND key LIKE $2 ORDER BY kind, person_id`, orgID, prefix+"%")
	Must(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k, p string
		Must(t, rows.Scan(&k, &p))
		out = append(out, k+" "+p)
	}
	Must(t, rows.Err())
	return out
}
