package storetest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

func init() {
	Suite = append(Suite, Test{"OwnData", OwnData})
}

// OwnData: the person and HR in scope ask for the person's data; a
// colleague, their manager, HR elsewhere and another organisation are
// told it does not exist. The request is due in one month and open until
// delivered; the export then holds the person's record with their
// personal identity number, their agreement with its remote place and
// their training, nothing of a colleague's and no secret hash, and every
// step and every read of a secret is in the audit trail.
func OwnData(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)
	_, err := s.UpdatePerson(admin, w.EmpX1.ID, distans.PersonUpdate{PersonalNumber: ptr("121212-1212")})
	Must(t, err)
	ag := requestAgreement(t, s, w.EmpX1)
	Must(t, s.CreateTrainingCompletions(As(t, s, w.EmpX1), []*distans.TrainingCompletion{completion("", "disa", Day(2024, 3, 1))}))
	Must(t, s.CreateTrainingCompletions(As(t, s, w.EmpY), []*distans.TrainingCompletion{completion("", "gdpr", Day(2024, 4, 1))}))
	requestAgreement(t, s, w.EmpY)

	for name, who := range map[string]*distans.Person{"a colleague": w.EmpY, "the manager": w.ChefX,
		"the switchboard": w.Switchboard, "another organisation": w.AdminB} {
		if _, err := s.CreateDataRequest(As(t, s, who), w.EmpX1.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
			t.Errorf("%s asks for the data: %v", name, err)
		}
	}
	if _, err := s.CreateDataRequest(As(t, s, w.HRX), w.EmpY.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Errorf("HR of X asks for someone in Y: %v", err)
	}

	me := As(t, s, w.EmpX1)
	r, err := s.CreateDataRequest(me, w.EmpX1.ID)
	Must(t, err)
	if !r.Open() || !r.ByPerson() || !r.DueOn.Equal(distans.DataRequestDue(agrToday())) {
		t.Fatalf("request: %+v (due %s)", r, r.DueOn)
	}
	byHR, err := s.CreateDataRequest(As(t, s, w.HRX), w.EmpX1.ID)
	Must(t, err)
	if byHR.ByPerson() || byHR.RequestedByName != w.HRX.Name {
		t.Errorf("HR's request: %+v", byHR)
	}
	open, err := s.OpenDataRequests(As(t, s, w.HRX))
	Must(t, err)
	if len(open) != 2 {
		t.Errorf("HR's open requests: %d", len(open))
	}
	for _, who := range []*distans.Person{w.Admin, w.EmpX1, w.ChefX} {
		if open, err := s.OpenDataRequests(As(t, s, who)); err != nil || len(open) != 0 {
			t.Errorf("open requests for %s: %d, %v", who.Name, len(open), err)
		}
	}
	for name, who := range map[string]*distans.Person{"a colleague": w.EmpY, "another organisation": w.AdminB} {
		if _, err := s.FindDataRequest(As(t, s, who), r.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
			t.Errorf("%s finds the request: %v", name, err)
		}
		if _, err := s.GatherOwnData(As(t, s, who), r.ID, distans.OwnDataJSON); distans.ErrorCode(err) != distans.ENOTFOUND {
			t.Errorf("%s gathers the data: %v", name, err)
		}
	}
	if _, err := s.GatherOwnData(me, r.ID, distans.OwnDataJSON); distans.ErrorCode(err) != distans.ECONFLICT {
		t.Errorf("gathered before delivery: %v", err)
	}
	d, err := s.DeliverDataRequest(me, r.ID)
	Must(t, err)
	if d.Open() {
		t.Fatal("still open after delivery")
	}
	if again, err := s.DeliverDataRequest(me, r.ID); err != nil || !again.DeliveredAt.Equal(*d.DeliveredAt) {
		t.Errorf("delivered twice: %v, %v", again, err)
	}
	mine, err := s.ListDataRequests(me, w.EmpX1.ID)
	Must(t, err)
	if len(mine) != 2 || mine[0].ID != byHR.ID {
		t.Errorf("my requests: %d", len(mine))
	}
	if _, err := s.ListDataRequests(As(t, s, w.EmpY), w.EmpX1.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Errorf("a colleague lists the requests: %v", err)
	}

	data, err := s.GatherOwnData(me, r.ID, distans.OwnDataJSON)
	Must(t, err)
	section := func(key string) []distans.OwnDataRecord {
		for _, sec := range data.Sections {
			if sec.Key == key {
				return sec.Records
			}
		}
		t.Fatalf("no section %s", key)
		return nil
	}
	if recs := section("people"); len(recs) != 1 {
		t.Fatalf("people: %v", recs)
	} else if pnr, _ := recs[0].Get("personal_number"); pnr != "20121212-1212" {
		t.Errorf("personal number %q", pnr)
	}
	if recs := section("agreements"); len(recs) != 1 {
		t.Errorf("agreements: %v", recs)
	} else if place, _ := recs[0].Get("request_place"); place != homePlace {
		t.Errorf("remote place %q", place)
	}
	if recs := section("training_completions"); len(recs) != 1 {
		t.Errorf("training: %v", recs)
	} else if c, _ := recs[0].Get("course_id"); c != "disa" {
		t.Errorf("course %q", c)
	} else if on, _ := recs[0].Get("completed_on"); on != "2024-03-01" {
		t.Errorf("completed on %q", on)
	}
	if recs := section("employments"); len(recs) != 1 {
		t.Errorf("employments: %v", recs)
	}
	if len(section("data_requests")) != 2 || len(section("audit_events")) == 0 {
		t.Errorf("requests %d, events %d", len(section("data_requests")), len(section("audit_events")))
	}
	if raw, err := json.Marshal(data); err != nil || !json.Valid(raw) {
		t.Fatalf("the export as JSON: %v", err)
	}
	raw, err := json.Marshal(data.Sections)
	Must(t, err)
	for _, leak := range []string{w.EmpY.ID, w.EmpY.Name, "gdpr", "password_hash", "token_hash", "csrf"} {
		if strings.Contains(string(raw), leak) {
			t.Errorf("the export holds %q", leak)
		}
	}
	for _, sec := range data.Sections {
		for _, rec := range sec.Records {
			for _, f := range rec {
				if strings.Contains(f.Name, "hash") {
					t.Errorf("%s.%s exported", sec.Key, f.Name)
				}
			}
		}
	}

	events, err := s.ListAuditEvents(admin, distans.AuditFilter{RecordID: w.EmpX1.ID, Limit: 1000})
	Must(t, err)
	seen := map[string]int{}
	for _, e := range events {
		seen[e.Action]++
	}
	if seen["owndata.request"] != 2 || seen["owndata.deliver"] != 1 || seen["owndata.download"] != 1 || seen["person.secret_read"] != 1 {
		t.Errorf("audit: %v", seen)
	}
	places, err := s.ListAuditEvents(admin, distans.AuditFilter{RecordID: ag.ID, Action: distans.AgreementAuditPlaceRead})
	Must(t, err)
	if len(places) != 1 {
		t.Errorf("place reads audited: %d", len(places))
	}
}
