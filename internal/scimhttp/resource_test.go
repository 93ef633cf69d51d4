package scimhttp

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/distans/distans"
)

// TestResourceJSON holds the resources' wire form: which attributes are
// shown, under which names, and which are left out when empty. The
// identity systems read these bodies, and PATCH works on the same
// document, so a renamed tag or a lost omitempty breaks both.
func TestResourceJSON(t *testing.T) {
	const base = "https://distans.example/scim/v2"
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	v, _ := json.Marshal(version(at))
	metaOf := func(kind, path string) string {
		return `{"resourceType":"` + kind + `","created":"2026-03-01T08:00:00Z","lastModified":"2026-03-01T08:00:00Z",` +
			`"location":"` + base + path + `","version":` + string(v) + `}`
	}
	full := &distans.SCIMUser{ID: "u1", UserName: "anna@kommun.se", ExternalID: "e1", GivenName: "Anna", FamilyName: "Ek",
		DisplayName: "Anna Ek", Title: "Handläggare", Active: true, Email: "anna@kommun.se", Phone: "0935-140 00",
		Mobile: "070-123 45 67", EmployeeNumber: "4711", Department: "Socialtjänsten", ManagerID: "u2",
		Created: at, LastModified: at}
	bare := &distans.SCIMUser{ID: "u3", UserName: "bo", Created: at, LastModified: at}
	group := &distans.SCIMGroup{ID: "g1", DisplayName: "Chefer", ExternalID: "x1", Members: []string{"u1"}, Created: at, LastModified: at}
	empty := &distans.SCIMGroup{ID: "g2", DisplayName: "Tom", Created: at, LastModified: at}
	for _, c := range []struct {
		name string
		res  any
		want string
	}{
		{"full user", userResource(full, base), `{
			"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
			"id":"u1","externalId":"e1","userName":"anna@kommun.se","displayName":"Anna Ek","title":"Handläggare","active":true,
			"name":{"givenName":"Anna","familyName":"Ek","formatted":"Anna Ek"},
			"emails":[{"value":"anna@kommun.se","type":"work","primary":true}],
			"phoneNumbers":[{"value":"0935-140 00","type":"work"},{"value":"070-123 45 67","type":"mobile"}],
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"4711","department":"Socialtjänsten",
				"manager":{"value":"u2","$ref":"` + base + `/Users/u2"}},
			"meta":` + metaOf("User", "/Users/u1") + `}`},
		{"bare user", userResource(bare, base), `{
			"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
			"id":"u3","userName":"bo","active":false,"meta":` + metaOf("User", "/Users/u3") + `}`},
		{"group with members", groupResource(group, base, true), `{
			"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","externalId":"x1","displayName":"Chefer",
			"members":[{"value":"u1","$ref":"` + base + `/Users/u1","type":"User"}],"meta":` + metaOf("Group", "/Groups/g1") + `}`},
		{"group without members asked", groupResource(group, base, false), `{
			"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","externalId":"x1","displayName":"Chefer",
			"meta":` + metaOf("Group", "/Groups/g1") + `}`},
		{"group with no members", groupResource(empty, base, true), `{
			"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g2","displayName":"Tom","members":[],
			"meta":` + metaOf("Group", "/Groups/g2") + `}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var want doc
			if err := json.Unmarshal([]byte(c.want), &want); err != nil {
				t.Fatalf("test's JSON: %v", err)
			}
			if got := docOf(c.res); !reflect.DeepEqual(got, want) {
				got, _ := json.Marshal(got)
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
	// A user read back from its own document is the user: what PATCH
	// starts from loses nothing.
	back, err := readUser(userDoc(full, base))
	if err != nil {
		t.Fatal(err)
	}
	back.ID, back.Created, back.LastModified = full.ID, full.Created, full.LastModified
	if !reflect.DeepEqual(back, full) {
		t.Errorf("read back %+v, want %+v", back, full)
	}
}
