package api

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// FuzzDecodeRequests feeds arbitrary bodies to every request decoder of the
// route table and the validation after it. Nothing may panic, and a body
// that is accepted may name no field the request struct lacks, at any depth.
func FuzzDecodeRequests(f *testing.F) {
	for _, seed := range []string{
		`{"name":"Enhet","kind":"enhet","parent_id":"x"}`,
		`{"ended_on":"2025-01-31"}`,
		`{"ended_on":null}`,
		`{"starts_on":"2025-02-30","ends_on":20250101}`,
		`{"password_policy":{"min_length":12,"bogus":1}}`,
		`{"NAME":"versaler","Kind":"enhet"}`,
		`{"id":"mine","organisation_id":"theirs"}`,
		`{"email":"a@b.se","personal_number":"19811218-9876"}`,
		`{"role":"chef","person_id":"p","unit_id":""}`,
		`{"base_version":1,"source":"slug: x","reason":"r"}`,
		`{"base_version":-1,"values":{"max_agreement_months":"6"}}`,
		`{"kind":"agreement","input":{"start":"2025-01-01","end":"2026-01-02","weekdays_remote":["mon"]}}`,
		`{"kind":"incident","input":{"kind":"personal_data","discovered_at":"2025-10-26T02:30"}}`,
		`{"kind":"phone_hours","input":{"sessions":[{"weekday":"mon","start":"09:00","end":"10:00"}]}}`,
		`{"kind":"redirect","input":null}`,
		`{"title":"T","body":"B","required":true}`,
		`{"version":0}`,
		`{"desk_id":"d","date":"2030-01-01","part":"am"}`,
		`{"desk_id":"d","weekdays":["mon","fri","xyz"],"part":"day","from":"2030-01-01","until":"2029-01-01"}`,
		`{"date":"2030-01-01","kind":"remote","back_at":"2030-01-01T08:00:00Z"}`,
		`{"text":"i möte","until":"2030-01-01T13:00:00+01:00","target":"private"}`,
		`{"sessions":[{"weekday":"mon","start":"09:00","end":"08:00"}],"exception":{"reason":"r"}}`,
		`{"person_id":"p","starts":"2030-01-01T08:00:00Z","ends":"2029-01-01T08:00:00Z"}`,
		`{"keywords":["a","A"," "],"work_mobile":null}`,
		`[]`, `null`, `{}`, `{"name":"a"} {}`, `{"name":`, "\xff",
	} {
		for i := range routes {
			if routes[i].body != nil {
				f.Add(i, seed)
			}
		}
	}
	f.Fuzz(func(t *testing.T, i int, body string) {
		if i < 0 || i >= len(routes) || routes[i].body == nil {
			return
		}
		typ := reflect.TypeOf(routes[i].body)
		v := reflect.New(typ)
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if err := httpx.DecodeJSON(httptest.NewRecorder(), r, v.Interface()); err != nil {
			if distans.ErrorCode(err) != distans.EINVALID {
				t.Fatalf("decode error %v is not EINVALID", err)
			}
			return
		}
		var raw any
		if err := json.Unmarshal([]byte(body), &raw); err != nil {
			t.Fatalf("accepted a body that is not JSON: %q", body)
		}
		checkKnown(t, raw, typ)
		exercise(t, v.Interface())
	})
}

// checkKnown fails when raw, decoded as typ, names an unknown field.
// encoding/json matches names case-insensitively, so we compare so too.
func checkKnown(t *testing.T, raw any, typ reflect.Type) {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	obj, ok := raw.(map[string]any)
	if !ok || typ.Kind() != reflect.Struct || typ == reflect.TypeFor[Date]() {
		return
	}
	fields := jsonFields(typ)
	for k, v := range obj {
		var ft reflect.Type
		for name, t := range fields {
			if strings.EqualFold(name, k) {
				ft = t
			}
		}
		if ft == nil {
			t.Fatalf("accepted unknown field %q for %s", k, typ)
		}
		checkKnown(t, v, ft)
	}
}

// exercise runs what a handler runs after decoding, up to the service, and
// for updates what the service runs on the record it reads (Apply, Validate).
func exercise(t *testing.T, req any) {
	t.Helper()
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	switch q := req.(type) {
	case *organisationUpdateRequest:
		o := &distans.Organisation{Slug: "a", Name: "A", TimeZone: "UTC", Language: "sv"}
		upd := q.update()
		upd.Apply(o)
		_ = validate(&distans.Validation{}, o.Validate())
	case *unitCreateRequest:
		_ = validate(&distans.Validation{}, q.unit().Validate())
	case *unitUpdateRequest:
		u := &distans.Unit{Name: "U", Kind: distans.UnitSection}
		upd := q.update()
		upd.Apply(u)
		_ = validate(&distans.Validation{}, u.Validate())
	case *endRequest:
		if err := q.validate(); err == nil && q.EndedOn.IsZero() {
			t.Fatal("accepted an end without a date")
		}
	case *siteCreateRequest:
		_ = validate(&distans.Validation{}, q.site().Validate())
	case *siteUpdateRequest:
		s := &distans.Site{Name: "S", Kind: distans.SiteMain}
		upd := q.update()
		upd.Apply(s)
		_ = validate(&distans.Validation{}, s.Validate())
	case *personCreateRequest:
		_ = validate(&distans.Validation{}, q.person().Validate())
	case *personUpdateRequest:
		p := &distans.Person{Name: "P", Email: "p@x.se"}
		upd := q.update()
		upd.Apply(p)
		_ = validate(&distans.Validation{}, p.Validate())
	case *employmentCreateRequest:
		e, err := q.employment("p")
		if err == nil && (e.StartsOn.IsZero() || e.UnitID == "") {
			t.Fatalf("accepted an employment without a start or unit: %+v", e)
		}
	case *employmentUpdateRequest:
		e := &distans.Employment{UnitID: "u", Title: "T", StartsOn: day}
		if upd := q.update(); upd.Invalid == nil {
			upd.Apply(e)
			if e.StartsOn.IsZero() {
				t.Fatal("an update removed the start date")
			}
		}
	case *leaveCreateRequest:
		_, _ = q.leave("p")
	case *roleAssignRequest:
		_ = validate(&distans.Validation{}, q.assignment().Validate())
	case *tokenCreateRequest:
	case *policySaveRequest:
		if base, err := q.validate(); err == nil && (base < 0 || strings.TrimSpace(q.Source) == "") {
			t.Fatalf("accepted a save without a base or text: %+v", q)
		}
	case *policyParametersRequest:
		if _, err := q.validate(); err == nil && len(q.Values) == 0 {
			t.Fatal("accepted a parameter change without values")
		}
	case *policyCheckRequest:
		if err := q.validate(); err == nil {
			exerciseCheck(t, q)
		}
	case *documentCreateRequest:
		_ = validate(&distans.Validation{}, q.document().Validate())
	case *documentVersionRequest:
		d := &distans.PolicyDocument{ID: "d", Title: "T", Body: "B", Version: 1}
		if upd, err := q.update(); err == nil {
			upd.Apply(d)
			if err := validate(&distans.Validation{}, d.Validate()); err == nil && strings.TrimSpace(d.Body) == "" {
				t.Fatal("accepted a version without a text")
			}
			if q.Version != nil && upd.Version < 1 {
				t.Fatalf("accepted version %d", *q.Version)
			}
		}
	case *acknowledgeRequest:
		if err := q.validate(); err == nil && q.Version < 1 {
			t.Fatalf("accepted version %d", q.Version)
		}
	case *statusPutRequest:
		d := &distans.DayStatus{PersonID: "p", Date: q.Date.Time(), Kind: q.Kind, SiteID: q.SiteID, BackAt: q.BackAt, Reason: q.Reason}
		if err := d.Validate(day, day); err == nil && d.Date.Before(day) {
			t.Fatal("accepted a day in the past")
		}
	case *redirectPutRequest:
		rd := &distans.Redirect{PersonID: "p", Phone: q.Phone, Text: q.Text, Until: q.Until, Target: q.Target, ColleagueID: q.ColleagueID}
		if err := rd.Validate(day); err == nil && rd.Until != nil && rd.Until.Before(day) {
			t.Fatal("accepted a return time before now")
		}
	case *phoneHoursPutRequest:
		h := &distans.PhoneHours{PersonID: "p"}
		for _, s := range q.Sessions {
			h.Sessions = append(h.Sessions, distans.PhoneSession(s))
		}
		_ = h.Validate()
	case *onCallPhoneCreateRequest:
		_ = (&distans.OnCallPhone{UnitID: q.UnitID, Name: q.Name, Number: q.Number}).Validate()
	case *dutyCreateRequest:
		if err := (&distans.OnCallDuty{PhoneID: "x", PersonID: q.PersonID, Starts: q.Starts, Ends: q.Ends}).Validate(); err == nil && !q.Ends.After(q.Starts) {
			t.Fatal("accepted a duty that ends before it starts")
		}
	case *directoryProfileRequest:
		_ = (&distans.DirectoryProfile{PersonID: "p", Keywords: q.Keywords}).Validate()
	case *bookingCreateRequest:
		b := &distans.Booking{DeskID: q.DeskID, Date: q.Date.Time(), Part: q.Part}
		if err := b.Validate(); err == nil && !b.Part.Valid() {
			t.Fatalf("accepted part %q", b.Part)
		}
	case *recurringRequest:
		if rb, err := q.recurring(); err == nil && (len(rb.Weekdays) == 0 || rb.Until.Before(rb.From)) {
			t.Fatalf("accepted %+v", rb)
		}
	case agreementBody:
		var v distans.Validation
		checkVersion(&v, q.versionField())
		if err := validate(&v, q.check(&v, day)); err == nil && q.versionField() == nil {
			t.Fatal("accepted a change of an agreement without a version")
		}
	case *agreementRequestBody:
		var v distans.Validation
		_ = validate(&v, q.request(&v).Validate(day))
	case *TermsInput:
		var v distans.Validation
		_ = validate(&v, q.terms(&v).Validate())
	case *incidentReportBody:
		if err := q.report().Validate(day); err == nil && q.report().DiscoveredAt.IsZero() {
			t.Fatal("accepted a report without a discovery time")
		}
	case *incidentTriageBody:
		if tr, err := q.triage(); err == nil && tr.Version < 1 {
			t.Fatal("accepted a triage without a version")
		}
	case *incidentCloseBody:
		if v, err := q.version(); err == nil && v < 1 {
			t.Fatal("accepted a close without a version")
		}
	case *incidentMeasureBody:
		if m, err := q.measure(); err == nil && m.DueOn.IsZero() {
			t.Fatal("accepted a measure without a due day")
		}
	// The service validates these against the incident they change (the
	// discovery, the duties it has); nothing runs on them before it.
	case *incidentDutyBody, *riskAssessmentBody, *imyNotificationBody, *imySupplementBody, *incidentLinkBody:
	case *equipmentVersionBody:
		if v, err := q.version(); err == nil && v < 1 {
			t.Fatal("accepted an equipment change without a version")
		}
	case *equipmentItemBody:
		var v distans.Validation
		q.PurchasedOn.check(&v, "purchased_on", false)
	// The equipment handlers check these inline and the service against
	// the records they change; nothing runs on them before.
	case *equipmentTermsBody, *equipmentModelBody, *equipmentItemPatch, *equipmentIssueBody, *equipmentAcceptBody,
		*equipmentReturnBody, *equipmentSignBody, *equipmentLossBody, *equipmentAssessmentBody, *equipmentTripBody,
		*equipmentTripDecisionBody, *equipmentExceptionBody:
	case *completionBody:
		var v distans.Validation
		q.CompletedOn.check(&v, "completed_on", true)
	// The training and checklist handlers check these inline and the
	// services against the records they change.
	case *removalBody, *tickBody:
	case *releaseBody:
		in := q.input()
		c := &distans.ReleaseCase{Fields: []distans.ReleaseField{{Key: "request_place", Value: "Storgatan 1"}}}
		_ = in.Validate(c, []distans.SecrecyProvision{{ID: distans.ProvisionPersonnel}}, day)
		_ = in.Outcome()
	case *disposalHoldBody:
		h := distans.HoldRequest{PersonID: q.PersonID, Type: q.Type, Reason: q.Reason}
		_ = h.Validate()
	case *reportSubscriptionBody:
		if s := q.subscription(); s.Kind.Valid() && !slices.Contains(distans.ReportKinds, s.Kind) {
			t.Fatalf("accepted the unknown report %q", s.Kind)
		}
	default:
		t.Fatalf("exercise does not know %T", req)
	}
}

// FuzzDate: a Date never panics, and what it accepts it writes back the same.
func FuzzDate(f *testing.F) {
	for _, s := range []string{`"2025-03-31"`, `"2024-02-29"`, `"2025-02-29"`, `null`, `"2025-3-1"`, `20250331`, `"0000-01-01"`, `"9999-12-31"`, `""`, `"2025-03-31T00:00:00Z"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d Date
		if err := d.UnmarshalJSON([]byte(s)); err != nil {
			return
		}
		var v distans.Validation
		d.check(&v, "d", false)
		if d.IsZero() {
			return
		}
		if v.Err() != nil {
			t.Fatalf("%q: a set date fails its check", s)
		}
		b, err := d.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back Date
		if err := back.UnmarshalJSON(b); err != nil || back.Time() != d.Time() {
			t.Fatalf("%q → %s → %v", s, b, back.Time())
		}
		if p, err := ParseDate(d.String()); err != nil || p.Time() != d.Time() {
			t.Fatalf("ParseDate(%q) = %v, %v", d.String(), p.Time(), err)
		}
	})
}

func TestDate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in      string
		ok      bool
		present bool
	}{
		{`"2025-03-31"`, true, true}, {`null`, true, true}, {`"2025-02-29"`, false, true}, {`"31/03/2025"`, false, true}, {`"2025-03-31T10:00:00Z"`, false, true},
	} {
		var d Date
		if err := json.Unmarshal([]byte(c.in), &d); err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		var v distans.Validation
		d.check(&v, "d", false)
		if (v.Err() == nil) != c.ok || d.Present() != c.present {
			t.Errorf("%s: ok %v present %v", c.in, v.Err() == nil, d.Present())
		}
	}
	var absent struct{ D Date }
	_ = json.Unmarshal([]byte(`{}`), &absent)
	if absent.D.Present() {
		t.Error("absent date is present")
	}
	if _, err := ParseDate("2025-13-01"); distans.ErrorCode(err) != distans.EINVALID || !strings.Contains(err.(*distans.Error).Sv, "ÅÅÅÅ-MM-DD") {
		t.Errorf("ParseDate error = %v", err)
	}
	if b, _ := json.Marshal(struct {
		D Date  `json:"d"`
		P *Date `json:"p,omitempty"`
	}{D: NewDate(time.Date(2025, 3, 31, 23, 0, 0, 0, time.UTC))}); string(b) != `{"d":"2025-03-31"}` {
		t.Errorf("marshal = %s", b)
	}
}
