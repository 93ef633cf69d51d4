package scimhttp

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/distans/distans"
)

func ops(t *testing.T, body string) []operation {
	t.Helper()
	var p patchRequest
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("test body: %v", err)
	}
	return p.Operations
}

func patchedUser(t *testing.T, u distans.SCIMUser, body string) (*distans.SCIMUser, error) {
	t.Helper()
	d := userDoc(&u, "https://distans.example/scim/v2")
	if err := userKind.applyPatch(d, ops(t, body)); err != nil {
		return nil, err
	}
	return readUser(d)
}

func scimTypeOf(err error) string {
	var se *scimError
	if errors.As(err, &se) {
		return se.scimType
	}
	return ""
}

// TestPatchUser replays the PATCH bodies Entra ID and Okta document, with
// and without Entra's aadOptscim062020 flag, on one stored user.
func TestPatchUser(t *testing.T) {
	t.Parallel()
	base := distans.SCIMUser{
		ID: "u1", UserName: "anna@kommun.se", ExternalID: "e-1", GivenName: "Anna", FamilyName: "Berg",
		DisplayName: "Anna Berg", Email: "anna@kommun.se", Active: true, Title: "Handläggare",
		EmployeeNumber: "1001", Department: "IT", Created: time.Unix(0, 0), LastModified: time.Unix(0, 0),
	}
	tests := []struct {
		name  string
		body  string
		want  func(u *distans.SCIMUser)
		error string // scimType
	}{
		{
			name: "Entra deactivates with a string boolean and a capitalised op",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}`,
			want: func(u *distans.SCIMUser) { u.Active = false },
		},
		{
			name: "Entra with aadOptscim062020 deactivates with a path-less boolean",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}`,
			want: func(u *distans.SCIMUser) { u.Active = false },
		},
		{
			name: "Okta deactivates",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}`,
			want: func(u *distans.SCIMUser) { u.Active = false },
		},
		{
			name: "Entra reactivates with True",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"True"}]}`,
		},
		{
			name: "Entra updates several attributes, one operation each",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
				{"op":"Replace","path":"displayName","value":"Anna Lind"},
				{"op":"Replace","path":"emails[type eq \"work\"].value","value":"anna.lind@kommun.se"},
				{"op":"Replace","path":"userName","value":"anna.lind@kommun.se"},
				{"op":"Replace","path":"name.familyName","value":"Lind"},
				{"op":"Add","path":"title","value":"Enhetschef"},
				{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Ekonomi"},
				{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"u9"}]}`,
			want: func(u *distans.SCIMUser) {
				u.DisplayName, u.Email, u.UserName, u.FamilyName, u.Title = "Anna Lind", "anna.lind@kommun.se", "anna.lind@kommun.se", "Lind", "Enhetschef"
				u.Department, u.ManagerID = "Ekonomi", "u9"
			},
		},
		{
			name: "Entra with aadOptscim062020 sends one path-less replace with dotted and URN keys",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{
				"displayName":"Bjfe Kkom","name.givenName":"Kkom","name.familyName":"Unua",
				"emails[type eq \"work\"].value":"kkom@kommun.se",
				"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}]}`,
			want: func(u *distans.SCIMUser) {
				u.DisplayName, u.GivenName, u.FamilyName, u.Email, u.EmployeeNumber = "Bjfe Kkom", "Kkom", "Unua", "kkom@kommun.se", "Aklq"
			},
		},
		{
			name: "the enterprise extension as an object of a path-less add",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":{
				"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Skola","manager":{"value":"u7"}}}}]}`,
			want: func(u *distans.SCIMUser) { u.Department, u.ManagerID = "Skola", "u7" },
		},
		{
			name: "replace on an absent array sets it",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"phoneNumbers","value":[{"type":"work","value":"+46 8 123 45"}]}]}`,
			want: func(u *distans.SCIMUser) { u.Phone = "+46 8 123 45" },
		},
		{
			name: "add with a filtered path on an absent array makes the element",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"phoneNumbers[type eq \"work\"].value","value":"+46 8 999"}]}`,
			want: func(u *distans.SCIMUser) { u.Phone = "+46 8 999" },
		},
		{
			name: "Okta replaces the user's attributes in one path-less operation with id",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"id":"u1","name":{"givenName":"Annika"},"emails":[{"value":"annika@kommun.se","primary":true,"type":"work"}]}}]}`,
			want: func(u *distans.SCIMUser) { u.GivenName, u.Email = "Annika", "annika@kommun.se" },
		},
		{
			name: "an added primary e-mail address replaces the kept one",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"emails","value":[{"value":"ny@kommun.se","type":"work","primary":true}]}]}`,
			want: func(u *distans.SCIMUser) { u.Email = "ny@kommun.se" },
		},
		{
			name: "attributes Distans does not keep are taken and not stored",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"addresses[type eq \"work\"].locality","value":"Växjö"},{"op":"Replace","path":"preferredLanguage","value":"sv-SE"}]}`,
		},
		{
			name: "remove of a filtered sub-attribute",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"emails[type eq \"work\"].value"}]}`,
			want: func(u *distans.SCIMUser) { u.Email = "" },
		},
		{
			name: "remove of the manager",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"}]}`,
			want: func(u *distans.SCIMUser) { u.Department = "" },
		},
		{name: "remove without a path", body: `{"Operations":[{"op":"remove"}]}`, error: noTarget},
		{name: "an unknown op", body: `{"Operations":[{"op":"move","path":"title","value":"x"}]}`, error: invalidSyntax},
		{name: "an unknown attribute", body: `{"Operations":[{"op":"replace","path":"shoeSize","value":"44"}]}`, error: invalidPath},
		{name: "an unknown schema in the path", body: `{"Operations":[{"op":"replace","path":"urn:example:params:scim:schemas:extension:acme:2.0:User:level","value":"4"}]}`, error: invalidPath},
		{name: "a filter with another operator", body: `{"Operations":[{"op":"replace","path":"emails[type ne \"work\"].value","value":"x@y.se"}]}`, error: invalidPath},
		{name: "active that is no boolean", body: `{"Operations":[{"op":"replace","path":"active","value":"maybe"}]}`, error: invalidValue},
		{name: "the id is read-only", body: `{"Operations":[{"op":"replace","path":"id","value":"u2"}]}`, error: mutability},
		{name: "no operations", body: `{"Operations":[]}`, error: invalidSyntax},
		{name: "a path-less value that is no object", body: `{"Operations":[{"op":"replace","value":"x"}]}`, error: invalidValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := patchedUser(t, base, tt.body)
			if tt.error != "" {
				if scimTypeOf(err) != tt.error {
					t.Fatalf("error = %v (scimType %q), want scimType %q", err, scimTypeOf(err), tt.error)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := base
			want.ID, want.Created, want.LastModified = "", time.Time{}, time.Time{}
			if tt.want != nil {
				tt.want(&want)
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got  %+v\nwant %+v", *got, want)
			}
		})
	}
}

// TestPatchGroupMembers replays the membership changes of Entra (with and
// without aadOptscim062020) and Okta.
func TestPatchGroupMembers(t *testing.T) {
	t.Parallel()
	base := distans.SCIMGroup{ID: "g1", DisplayName: "Chefer", Members: []string{"a", "b"}}
	tests := []struct {
		name    string
		body    string
		members []string
		display string
	}{
		{"Entra adds", `{"Operations":[{"op":"Add","path":"members","value":[{"$ref":null,"value":"c"}]}]}`, []string{"a", "b", "c"}, ""},
		{"adding a member twice keeps one", `{"Operations":[{"op":"add","path":"members","value":[{"value":"b"},{"value":"c"}]}]}`, []string{"a", "b", "c"}, ""},
		{"Entra removes without the flag", `{"Operations":[{"op":"Remove","path":"members","value":[{"value":"a"}]}]}`, []string{"b"}, ""},
		{"Entra removes with aadOptscim062020", `{"Operations":[{"op":"remove","path":"members[value eq \"b\"]"}]}`, []string{"a"}, ""},
		{"removing someone who is no member changes nothing", `{"Operations":[{"op":"remove","path":"members[value eq \"zz\"]"}]}`, []string{"a", "b"}, ""},
		{"Okta replaces the members", `{"Operations":[{"op":"replace","path":"members","value":[{"value":"c","display":"C"}]}]}`, []string{"c"}, ""},
		{"Okta renames with id and displayName", `{"Operations":[{"op":"replace","value":{"id":"g1","displayName":"Chefer 2"}}]}`, []string{"a", "b"}, "Chefer 2"},
		{"remove of all members", `{"Operations":[{"op":"remove","path":"members"}]}`, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := base
			d := groupDoc(&g, "https://x/scim/v2", true)
			if err := groupKind.applyPatch(d, ops(t, tt.body)); err != nil {
				t.Fatal(err)
			}
			got, err := readGroup(d)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Members, tt.members) {
				t.Errorf("members = %v, want %v", got.Members, tt.members)
			}
			want := tt.display
			if want == "" {
				want = base.DisplayName
			}
			if got.DisplayName != want {
				t.Errorf("displayName = %q, want %q", got.DisplayName, want)
			}
		})
	}
}

func TestParseFilter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		filter string
		attrs  map[string]string
		want   distans.SCIMFilter
		err    bool
	}{
		{`userName eq "anna@kommun.se"`, userFilterAttrs, distans.SCIMFilter{{Attr: "userName", Value: "anna@kommun.se"}}, false},
		{`USERNAME EQ "Anna"`, userFilterAttrs, distans.SCIMFilter{{Attr: "userName", Value: "Anna"}}, false},
		{`externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"`, userFilterAttrs, distans.SCIMFilter{{Attr: "externalId", Value: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"}}, false},
		{`emails[type eq "work"].value eq "a@b.se"`, userFilterAttrs, distans.SCIMFilter{{Attr: "emails.value", Value: "a@b.se"}}, false},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "17" and userName eq "x \"y\""`, userFilterAttrs,
			distans.SCIMFilter{{Attr: "employeeNumber", Value: "17"}, {Attr: "userName", Value: `x "y"`}}, false},
		{`displayName eq "Chefer och ledning"`, groupFilterAttrs, distans.SCIMFilter{{Attr: "displayName", Value: "Chefer och ledning"}}, false},
		{`userName sw "a"`, userFilterAttrs, nil, true},
		{`userName eq "a" or userName eq "b"`, userFilterAttrs, nil, true},
		{`(userName eq "a")`, userFilterAttrs, nil, true},
		{`title eq "chef"`, userFilterAttrs, nil, true},
		{`userName eq anna`, userFilterAttrs, nil, true},
		{`userName pr`, userFilterAttrs, nil, true},
		{`displayName eq "x"`, userFilterAttrs, nil, true},
	}
	for _, tt := range tests {
		got, err := parseFilter(tt.filter, tt.attrs)
		if tt.err {
			if scimTypeOf(err) != invalidFilter {
				t.Errorf("%s: error %v, want invalidFilter", tt.filter, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %v, %v; want %v", tt.filter, got, err, tt.want)
		}
	}
}

func TestLimiter(t *testing.T) {
	t.Parallel()
	l := newLimiter(10, 20)
	now := time.Unix(1000, 0)
	for i := range 20 {
		if ok, _ := l.take("org", now); !ok {
			t.Fatalf("request %d of the burst refused", i)
		}
	}
	ok, retry := l.take("org", now)
	if ok || retry <= 0 || retry > 100*time.Millisecond {
		t.Fatalf("21st: ok=%v retry=%v, want refused with about 100ms", ok, retry)
	}
	if ok, _ := l.take("other", now); !ok {
		t.Fatal("another organisation was refused")
	}
	if ok, _ := l.take("org", now.Add(150*time.Millisecond)); !ok {
		t.Fatal("refused after the bucket refilled")
	}
}

// TestPatchPhoneNumbers replays the phone number changes Entra ID sends
// with its default mapping (telephoneNumber to phoneNumbers[type eq
// "work"].value, mobile to phoneNumbers[type eq "mobile"].value,
// facsimileTelephoneNumber to [type eq "fax"]), with and without
// aadOptscim062020, and Okta's whole-list replace: each changes the number
// of its type and leaves the other as it was.
func TestPatchPhoneNumbers(t *testing.T) {
	t.Parallel()
	const patchOp = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":`
	both := distans.SCIMUser{ID: "u1", UserName: "anna@kommun.se", DisplayName: "Anna Berg", Email: "anna@kommun.se", Active: true,
		Phone: "0952-140 00", Mobile: "070-111 11 11"}
	workOnly, mobileOnly, none := both, both, both
	workOnly.Mobile, mobileOnly.Phone, none.Phone, none.Mobile = "", "", "", ""
	tests := []struct {
		name          string
		user          distans.SCIMUser
		body          string
		phone, mobile string
		error         string // scimType
	}{
		{"Entra adds a mobile to a user with a work number", workOnly,
			`[{"op":"Add","path":"phoneNumbers[type eq \"mobile\"].value","value":"070-222 22 22"}]}`, "0952-140 00", "070-222 22 22", ""},
		{"Entra replaces the mobile of a mobile-only user", mobileOnly,
			`[{"op":"Replace","path":"phoneNumbers[type eq \"mobile\"].value","value":"070-333 33 33"}]}`, "", "070-333 33 33", ""},
		{"Entra replaces the mobile and leaves the work number", both,
			`[{"op":"Replace","path":"phoneNumbers[type eq \"mobile\"].value","value":"070-333 33 33"}]}`, "0952-140 00", "070-333 33 33", ""},
		{"Entra replaces the work number and leaves the mobile", both,
			`[{"op":"Replace","path":"phoneNumbers[type eq \"work\"].value","value":"0952-141 00"}]}`, "0952-141 00", "070-111 11 11", ""},
		{"Entra adds a work number to a mobile-only user", mobileOnly,
			`[{"op":"Add","path":"phoneNumbers[type eq \"work\"].value","value":"0952-141 00"}]}`, "0952-141 00", "070-111 11 11", ""},
		{"Entra sets both on a user with none, one operation each", none,
			`[{"op":"Add","path":"phoneNumbers[type eq \"work\"].value","value":"0952-141 00"},{"op":"Add","path":"phoneNumbers[type eq \"mobile\"].value","value":"070-444 44 44"}]}`,
			"0952-141 00", "070-444 44 44", ""},
		{"Entra removes the mobile's value", both,
			`[{"op":"Remove","path":"phoneNumbers[type eq \"mobile\"].value"}]}`, "0952-140 00", "", ""},
		{"Entra removes the mobile element", both,
			`[{"op":"remove","path":"phoneNumbers[type eq \"mobile\"]"}]}`, "0952-140 00", "", ""},
		{"Entra removes the work number of a user with both", both,
			`[{"op":"Remove","path":"phoneNumbers[type eq \"work\"].value"}]}`, "", "070-111 11 11", ""},
		{"removing a mobile the user does not have changes nothing", workOnly,
			`[{"op":"Remove","path":"phoneNumbers[type eq \"mobile\"].value"}]}`, "0952-140 00", "", ""},
		{"Entra with aadOptscim062020 sends the mobile as a key of a path-less replace", both,
			`[{"op":"replace","value":{"displayName":"Anna Berg","phoneNumbers[type eq \"mobile\"].value":"070-555 55 55"}}]}`, "0952-140 00", "070-555 55 55", ""},
		{"Entra's fax number is taken and not kept", both,
			`[{"op":"Add","path":"phoneNumbers[type eq \"fax\"].value","value":"0952-149 99"}]}`, "0952-140 00", "070-111 11 11", ""},
		{"Okta replaces the whole list with a mobile", both,
			`[{"op":"replace","path":"phoneNumbers","value":[{"value":"070-666 66 66","type":"mobile","primary":true}]}]}`, "", "070-666 66 66", ""},
		{"an added mobile element replaces the kept one", both,
			`[{"op":"add","path":"phoneNumbers","value":[{"value":"070-777 77 77","type":"mobile"}]}]}`, "0952-140 00", "070-777 77 77", ""},
		{"types are compared without case", both,
			`[{"op":"Replace","path":"phoneNumbers[type eq \"Mobile\"].value","value":"070-888 88 88"}]}`, "0952-140 00", "070-888 88 88", ""},
		{"remove of the whole list", both, `[{"op":"remove","path":"phoneNumbers"}]}`, "", "", ""},
		{"a number that is no string", both,
			`[{"op":"replace","path":"phoneNumbers[type eq \"mobile\"].value","value":46701234567}]}`, "", "", invalidValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := patchedUser(t, tt.user, patchOp+tt.body)
			if tt.error != "" {
				if scimTypeOf(err) != tt.error {
					t.Fatalf("error = %v (scimType %q), want scimType %q", err, scimTypeOf(err), tt.error)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Phone != tt.phone || got.Mobile != tt.mobile {
				t.Errorf("work %q, mobile %q; want %q, %q", got.Phone, got.Mobile, tt.phone, tt.mobile)
			}
			if got.Email != tt.user.Email || got.DisplayName != tt.user.DisplayName {
				t.Errorf("other attributes changed: %+v", got)
			}
		})
	}
}

// TestReadUserPhoneNumbers: a POST or PUT body's numbers by type.
func TestReadUserPhoneNumbers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, phones  string
		phone, mobile string
	}{
		{"Entra's work and mobile", `[{"type":"work","value":"0952-140 00"},{"type":"mobile","value":"070-111 11 11"}]`, "0952-140 00", "070-111 11 11"},
		{"a mobile only", `[{"type":"mobile","value":"070-111 11 11","primary":true}]`, "", "070-111 11 11"},
		{"a number without a type is the work number", `[{"value":"0952-140 00"}]`, "0952-140 00", ""},
		{"a typed work number wins over an untyped one", `[{"value":"0952-1"},{"type":"work","value":"0952-140 00"}]`, "0952-140 00", ""},
		{"of two mobiles the primary one", `[{"type":"mobile","value":"070-1","primary":"True"},{"type":"mobile","value":"070-2"}]`, "", "070-1"},
		{"home and fax are not kept", `[{"type":"home","value":"0952-9"},{"type":"fax","value":"0952-8"}]`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var d doc
			if err := json.Unmarshal([]byte(`{"userName":"a@kommun.se","phoneNumbers":`+tt.phones+`}`), &d); err != nil {
				t.Fatal(err)
			}
			u, err := readUser(d)
			if err != nil {
				t.Fatal(err)
			}
			if u.Phone != tt.phone || u.Mobile != tt.mobile {
				t.Errorf("work %q, mobile %q; want %q, %q", u.Phone, u.Mobile, tt.phone, tt.mobile)
			}
		})
	}
}
