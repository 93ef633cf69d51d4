package distans_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// TestDataRequestDue: one month (GDPR art. 12.3), ending on the same date
// of the next month or on its last day when it has none.
func TestDataRequestDue(t *testing.T) {
	t.Parallel()
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct{ on, want time.Time }{
		{d(2026, 3, 15), d(2026, 4, 15)},
		{d(2026, 1, 31), d(2026, 2, 28)},
		{d(2028, 1, 30), d(2028, 2, 29)},
		{d(2026, 3, 31), d(2026, 4, 30)},
		{d(2026, 12, 20), d(2027, 1, 20)},
		{d(2026, 2, 28), d(2026, 3, 28)},
	} {
		if got := distans.DataRequestDue(tc.on); !got.Equal(tc.want) {
			t.Errorf("DataRequestDue(%s) = %s, want %s", tc.on.Format(time.DateOnly), got.Format(time.DateOnly), tc.want.Format(time.DateOnly))
		}
	}
	r := &distans.DataRequest{DueOn: d(2026, 4, 15)}
	if r.Overdue(d(2026, 4, 15)) || !r.Overdue(d(2026, 4, 16)) {
		t.Error("overdue from the day after the due day")
	}
	at := d(2026, 4, 1)
	r.DeliveredAt = &at
	if r.Overdue(d(2026, 5, 1)) {
		t.Error("a delivered request is not overdue")
	}
}

// TestRequestsDataOf: the person for themselves, HR where they are HR,
// nobody else — not a manager, an administrator or the system.
func TestRequestsDataOf(t *testing.T) {
	t.Parallel()
	grant := func(r distans.Role, path string) []distans.Grant { return []distans.Grant{{Role: r, UnitPath: path}} }
	for _, tc := range []struct {
		name   string
		a      *distans.Actor
		person string
		path   string
		want   bool
	}{
		{"the person", &distans.Actor{PersonID: "p"}, "p", "/x/", true},
		{"a colleague", &distans.Actor{PersonID: "q"}, "p", "/x/", false},
		{"HR of the unit above", &distans.Actor{PersonID: "h", Grants: grant(distans.RoleHR, "/x/")}, "p", "/x/1/", true},
		{"HR elsewhere", &distans.Actor{PersonID: "h", Grants: grant(distans.RoleHR, "/y/")}, "p", "/x/", false},
		{"HR of the organisation", &distans.Actor{PersonID: "h", Grants: grant(distans.RoleHR, "")}, "p", "/x/", true},
		{"the manager", &distans.Actor{PersonID: "c", Grants: grant(distans.RoleManager, "/x/")}, "p", "/x/", false},
		{"an administrator", &distans.Actor{PersonID: "a", Grants: grant(distans.RoleAdmin, "")}, "p", "/x/", false},
		{"the system", distans.SystemActor("o"), "p", "/x/", false},
		{"nobody", nil, "p", "/x/", false},
	} {
		if got := tc.a.RequestsDataOf(tc.person, tc.path); got != tc.want {
			t.Errorf("%s: RequestsDataOf = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestOwnDataRecordJSON: a record is one object in field order, with JSON
// values embedded as JSON.
func TestOwnDataRecordJSON(t *testing.T) {
	t.Parallel()
	rec := distans.OwnDataRecord{{Name: "b", Value: "två \"citat\""}, {Name: "a", Value: `{"x":1}`, JSON: true}}
	got, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"b":"två \"citat\"","a":{"x":1}}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestDataRequestJSON: the due day is a day.
func TestDataRequestJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(&distans.DataRequest{ID: "r", DueOn: time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); !strings.Contains(s, `"due_on":"2026-04-15"`) || !strings.Contains(s, `"id":"r"`) {
		t.Errorf("got %s", s)
	}
}
