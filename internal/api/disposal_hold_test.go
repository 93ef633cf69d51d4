package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// holdSeen is what the tests read of a disposal hold.
type holdSeen struct {
	ID             string  `json:"id"`
	OrganisationID string  `json:"organisation_id"`
	PersonID       string  `json:"person_id"`
	PersonName     string  `json:"person_name"`
	Type           string  `json:"type"`
	Reason         string  `json:"reason"`
	PlacedByID     string  `json:"placed_by_id"`
	PlacedByName   string  `json:"placed_by_name"`
	PlacedAt       string  `json:"placed_at"`
	ReleasedAt     *string `json:"released_at"`
	ReleasedByName string  `json:"released_by_name"`
}

// fieldSeen is one field of the API's error body.
type fieldSeen struct {
	Field string `json:"field"`
	Sv    string `json:"message_sv"`
	En    string `json:"message_en"`
}

// TestDisposalHoldAPI runs holds on disposal over HTTP on the demo's
// Bjurholm: the information-security coordinator holds one person's
// access logs and everyone's records of every type, the registrator reads
// them, and the coordinator releases one (kept in the list, released; a
// second release is 404). The registrator may read but not hold or
// release, the employee and HR may do neither; bad input is 422 with the
// field named; Vara's coordinator finds nothing of Bjurholm's. Nothing
// refused changes anything.
func TestDisposalHoldAPI(t *testing.T) {
	t.Parallel()
	e := incidentEnv(t)
	list := func(as string) []holdSeen {
		t.Helper()
		var l struct{ Items []holdSeen }
		e.doJSON(t, "GET", "/api/v1/records/disposal/holds", as, "", &l)
		if l.Items == nil {
			t.Fatalf("GET holds as %s: items is not a list", as)
		}
		return l.Items
	}
	before := list("sec")

	var one holdSeen
	e.doJSON(t, "POST", "/api/v1/records/disposal/holds", "sec",
		`{"person_id":"{emp}","type":"access_log","reason":"  Utredning av IT-användning  "}`, &one)
	if one.ID == "" || one.OrganisationID != e.ids["orgA"] || one.PersonID != e.ids["emp"] || one.PersonName == "" ||
		one.Type != "access_log" || one.Reason != "Utredning av IT-användning" || one.PlacedByID != e.ids["sec"] ||
		one.PlacedByName == "" || one.PlacedAt == "" || one.ReleasedAt != nil {
		t.Fatalf("placed %+v", one)
	}
	var all holdSeen
	e.doJSON(t, "POST", "/api/v1/records/disposal/holds", "sec", `{"reason":"Tvist om arbetsskada"}`, &all)
	if all.PersonID != "" || all.Type != "" || all.ReleasedAt != nil {
		t.Fatalf("placed on everyone %+v", all)
	}
	got := list("reg")
	if len(got) != len(before)+2 {
		t.Fatalf("the registrator sees %d holds, want %d", len(got), len(before)+2)
	}
	ids := func(hs []holdSeen) []string {
		var out []string
		for _, h := range hs {
			out = append(out, h.ID)
		}
		return out
	}
	if !slices.Contains(ids(got), one.ID) || !slices.Contains(ids(got), all.ID) {
		t.Errorf("the list lacks the new holds: %v", ids(got))
	}
	afterPlacing := list("sec")

	// Refused: nothing changes.
	for _, tc := range []struct {
		name, method, url, as, body string
		status                      int
		field, msg                  string
	}{
		{"registrator places", "POST", "/api/v1/records/disposal/holds", "reg", `{"reason":"x"}`, 403, "", ""},
		{"HR places", "POST", "/api/v1/records/disposal/holds", "hr", `{"reason":"x"}`, 403, "", ""},
		{"employee lists", "GET", "/api/v1/records/disposal/holds", "emp", "", 403, "", ""},
		{"HR lists", "GET", "/api/v1/records/disposal/holds", "hr", "", 403, "", ""},
		{"registrator releases", "POST", "/api/v1/records/disposal/holds/" + one.ID + "/release", "reg", "", 403, "", ""},
		{"employee releases", "POST", "/api/v1/records/disposal/holds/" + one.ID + "/release", "emp", "", 403, "", ""},
		{"anonymous", "GET", "/api/v1/records/disposal/holds", "", "", 401, "", ""},
		{"a type swept by its own job", "POST", "/api/v1/records/disposal/holds", "sec", `{"type":"sessions","reason":"x"}`, 422,
			"type", "Välj en typ av uppgifter som kan hållas kvar."},
		{"an unknown type", "POST", "/api/v1/records/disposal/holds", "sec", `{"type":"loggar","reason":"x"}`, 422,
			"type", "Välj en typ av uppgifter som kan hållas kvar."},
		{"no reason", "POST", "/api/v1/records/disposal/holds", "sec", `{"reason":"   "}`, 422, "reason", ""},
		{"a reason too long", "POST", "/api/v1/records/disposal/holds", "sec", `{"reason":"` + strings.Repeat("å", 501) + `"}`, 422,
			"reason", "Högst 500 tecken."},
		{"an unknown field", "POST", "/api/v1/records/disposal/holds", "sec", `{"reason":"x","until":"2030-01-01"}`, 422,
			"until", "Okänt fält"},
		{"an unknown person", "POST", "/api/v1/records/disposal/holds", "sec", `{"person_id":"0190-nobody","reason":"x"}`, 404, "", ""},
		{"an unknown hold", "POST", "/api/v1/records/disposal/holds/0190-nothing/release", "sec", "", 404, "", ""},
		{"another organisation's hold", "POST", "/api/v1/records/disposal/holds/" + one.ID + "/release", "varaSec", "", 404, "", ""},
		{"another organisation's person", "POST", "/api/v1/records/disposal/holds", "varaSec", `{"person_id":"{emp}","reason":"x"}`, 404, "", ""},
	} {
		status, b := e.do(t, tc.method, tc.url, tc.as, tc.body)
		if status != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.name, status, tc.status, b)
			continue
		}
		var body struct {
			Error struct {
				Code, Message string
				MessageEn     string `json:"message_en"`
				Fields        []fieldSeen
			}
		}
		if err := json.Unmarshal(b, &body); err != nil || body.Error.Code == "" || body.Error.Message == "" || body.Error.MessageEn == "" {
			t.Errorf("%s: not the API's error body: %s", tc.name, b)
			continue
		}
		if tc.field != "" {
			i := slices.IndexFunc(body.Error.Fields, func(f fieldSeen) bool { return f.Field == tc.field })
			if body.Error.Code != "invalid" || i < 0 || !strings.Contains(body.Error.Fields[i].Sv, tc.msg) || body.Error.Fields[i].En == "" {
				t.Errorf("%s: want field %q saying %q: %s", tc.name, tc.field, tc.msg, b)
			}
		}
	}
	if now := list("sec"); !slices.Equal(ids(now), ids(afterPlacing)) || now[slices.Index(ids(now), one.ID)].ReleasedAt != nil {
		t.Errorf("a refused call changed the holds: %v, was %v", ids(now), ids(afterPlacing))
	}
	for _, h := range list("varaSec") {
		if h.ID == one.ID || h.ID == all.ID || h.OrganisationID != e.ids["orgB"] {
			t.Errorf("Vara sees %+v", h)
		}
	}

	// Released: kept in the list, after the open ones; not twice.
	if status, b := e.do(t, "POST", "/api/v1/records/disposal/holds/"+one.ID+"/release", "sec", ""); status != http.StatusNoContent {
		t.Fatalf("release: %d %s", status, b)
	}
	now := list("reg")
	i := slices.Index(ids(now), one.ID)
	if i < 0 || now[i].ReleasedAt == nil || now[i].ReleasedByName == "" {
		t.Fatalf("released hold in the list: %+v", now)
	}
	if j := slices.Index(ids(now), all.ID); j > i {
		t.Errorf("the open hold comes after the released one: %v", ids(now))
	}
	if status, _ := e.do(t, "POST", "/api/v1/records/disposal/holds/"+one.ID+"/release", "sec", ""); status != http.StatusNotFound {
		t.Errorf("second release: %d, want 404", status)
	}
}
