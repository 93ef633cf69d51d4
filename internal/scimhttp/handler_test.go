package scimhttp_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/scimhttp"
)

type doc = map[string]any

// client sends SCIM requests with one organisation's token.
type client struct {
	t     *testing.T
	base  string
	token string
}

type answer struct {
	status int
	header http.Header
	body   doc
	raw    string
}

func (c client) do(method, path, contentType, body string) answer {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if body != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	a := answer{status: res.StatusCode, header: res.Header, raw: string(b)}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &a.body); err != nil {
			c.t.Fatalf("%s %s: answer is not JSON: %s", method, path, b)
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/scim+json" {
			c.t.Errorf("%s %s: Content-Type %q, want application/scim+json", method, path, ct)
		}
	}
	return a
}

func (c client) send(method, path, body string) answer {
	c.t.Helper()
	return c.do(method, path, "application/scim+json", body)
}

// want checks the status, and for an error its SCIM form and scimType.
func (a answer) want(t *testing.T, status int, scimType string) answer {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d: %s", a.status, status, a.raw)
	}
	if status >= 400 {
		schemas, _ := a.body["schemas"].([]any)
		if len(schemas) != 1 || schemas[0] != "urn:ietf:params:scim:api:messages:2.0:Error" ||
			a.body["status"] != strconv.Itoa(status) || a.body["detail"] == "" {
			t.Errorf("not a SCIM error: %s", a.raw)
		}
		if got, _ := a.body["scimType"].(string); got != scimType {
			t.Errorf("scimType %q, want %q: %s", got, scimType, a.raw)
		}
	}
	return a
}

func str(d doc, path ...string) string {
	var v any = d
	for _, p := range path {
		m, _ := v.(doc)
		v = m[p]
	}
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.Itoa(int(v))
	}
	return ""
}

// setup opens Distans with the demo organisations on SQLite and returns
// its server's URL and a SCIM token for each of two organisations.
func setup(t *testing.T) (a *app.App, url, vara, bjurholm string) {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{DB: "sqlite:" + filepath.Join(t.TempDir(), "distans.db"), Demo: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return a, srv.URL, token(t, a, "vara"), token(t, a, "bjurholm")
}

func token(t *testing.T, a *app.App, slug string) string {
	t.Helper()
	ctx := context.Background()
	org, err := a.Store.FindOrganisationBySlug(distans.NewContext(ctx, distans.SystemActor("")), slug)
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := a.Services.SCIMAdmin.CreateSCIMToken(distans.NewContext(ctx, distans.SystemActor(org.ID)), "Entra ID")
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// The request bodies below are those Microsoft documents for Entra ID's
// provisioning service ("Tutorial: Develop and plan provisioning for a
// SCIM endpoint in Microsoft Entra ID") and Okta for its SCIM 2.0 client,
// with their ids and names.
const (
	entraCreateUser = `{
		"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
		"externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
		"userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
		"active": true,
		"emails": [{"primary": true, "type": "work", "value": "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"}],
		"meta": {"resourceType": "User"},
		"name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
		"roles": []
	}`
	entraPatchUser = `{
		"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations": [
			{"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "updatedEmail@microsoft.com"},
			{"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"}
		]
	}`
	entraDisableUser = `{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}`
	entraCreateGroup = `{
		"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
		"externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
		"displayName": "displayName",
		"meta": {"resourceType": "Group"}
	}`
	oktaCreateUser = `{
		"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
		"userName": "test.user@okta.local",
		"name": {"givenName": "Test", "familyName": "User"},
		"emails": [{"primary": true, "value": "test.user@okta.local", "type": "work"}],
		"displayName": "Test User",
		"locale": "en-US",
		"externalId": "00ujl29u0le5T6Aj10h7",
		"groups": [],
		"password": "1mz050nq",
		"active": true
	}`
)

func TestEntraAndOkta(t *testing.T) {
	t.Parallel()
	_, url, vara, bjurholm := setup(t)
	c := client{t: t, base: url + "/scim/v2", token: vara}

	// Entra first asks whether the user exists, then creates it.
	got := c.send("GET", `/Users?filter=userName+eq+%22Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1%22`, "").want(t, 200, "")
	if str(got.body, "totalResults") != "0" {
		t.Fatalf("a user before creating it: %s", got.raw)
	}
	created := c.send("POST", "/Users", entraCreateUser).want(t, 201, "")
	id := str(created.body, "id")
	if id == "" || created.header.Get("Location") != url+"/scim/v2/Users/"+id || created.header.Get("ETag") == "" ||
		str(created.body, "meta", "resourceType") != "User" || str(created.body, "active") != "true" {
		t.Fatalf("created: %v %s", created.header, created.raw)
	}
	for _, filter := range []string{
		`userName eq "test_user_AB6490EE-1e48-479e-a20b-2d77186b5dd1"`,
		`externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"`,
		`emails[type eq "work"].value eq "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"`,
	} {
		got := c.send("GET", "/Users?filter="+urlQuery(filter), "").want(t, 200, "")
		list, _ := got.body["Resources"].([]any)
		if str(got.body, "totalResults") != "1" || len(list) != 1 || str(list[0].(doc), "id") != id {
			t.Errorf("%s: %s", filter, got.raw)
		}
	}
	// The same userName again is refused as not unique.
	c.send("POST", "/Users", entraCreateUser).want(t, 409, "uniqueness")

	patched := c.send("PATCH", "/Users/"+id, entraPatchUser).want(t, 200, "")
	if str(patched.body, "name", "familyName") != "updatedFamilyName" {
		t.Errorf("patched: %s", patched.raw)
	}
	if emails, _ := patched.body["emails"].([]any); len(emails) != 1 || !strings.EqualFold(str(emails[0].(doc), "value"), "updatedEmail@microsoft.com") {
		t.Errorf("patched e-mail: %s", patched.raw)
	}

	// A PATCH that would remove userName is refused whole: the title of
	// the same request is not saved either.
	c.send("PATCH", "/Users/"+id, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
		{"op":"replace","path":"title","value":"Chef"},{"op":"remove","path":"userName"}]}`).want(t, 400, "mutability")
	if got := c.send("GET", "/Users/"+id, "").want(t, 200, ""); str(got.body, "title") == "Chef" || str(got.body, "userName") == "" {
		t.Errorf("half a refused PATCH was saved: %s", got.raw)
	}

	// Groups: made, members added and removed in Entra's shapes.
	okta := c.send("POST", "/Users", oktaCreateUser).want(t, 201, "")
	oktaID := str(okta.body, "id")
	group := c.send("POST", "/Groups", entraCreateGroup).want(t, 201, "")
	gid := str(group.body, "id")
	if got := c.send("GET", `/Groups?filter=displayName+eq+%22displayName%22&excludedAttributes=members`, "").want(t, 200, ""); str(got.body, "totalResults") != "1" ||
		strings.Contains(got.raw, `"members"`) {
		t.Errorf("group by displayName without members: %s", got.raw)
	}
	c.send("PATCH", "/Groups/"+gid, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"$ref":null,"value":"`+id+`"},{"value":"`+oktaID+`"}]}]}`).want(t, 200, "")
	members := func() string {
		got := c.send("GET", "/Groups/"+gid, "").want(t, 200, "")
		var ids []string
		list, _ := got.body["members"].([]any)
		for _, m := range list {
			ids = append(ids, str(m.(doc), "value"))
		}
		return strings.Join(ids, ",")
	}
	if m := members(); !strings.Contains(m, id) || !strings.Contains(m, oktaID) {
		t.Fatalf("members after add: %s", m)
	}
	c.send("PATCH", "/Groups/"+gid, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"members","value":[{"value":"`+oktaID+`"}]}]}`).want(t, 200, "")
	if m := members(); m != id {
		t.Fatalf("members after Entra's remove: %q", m)
	}
	c.send("PATCH", "/Groups/"+gid+"?aadOptscim062020", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"`+id+`\"]"}]}`).want(t, 200, "")
	if m := members(); m != "" {
		t.Fatalf("members after the flagged remove: %q", m)
	}
	c.send("PATCH", "/Groups/"+gid, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"no-such-user"}]}]}`).want(t, 400, "invalidValue")

	// Deactivation: Entra's PATCH with the string "False", Okta's without a path.
	if got := c.send("PATCH", "/Users/"+id, entraDisableUser).want(t, 200, ""); str(got.body, "active") != "false" {
		t.Errorf("after Entra's deactivation: %s", got.raw)
	}
	if got := c.send("PATCH", "/Users/"+oktaID, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}`).want(t, 200, ""); str(got.body, "active") != "false" {
		t.Errorf("after Okta's deactivation: %s", got.raw)
	}

	// PUT replaces: what the body leaves out is cleared.
	put := c.send("PUT", "/Users/"+oktaID, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"`+oktaID+`","userName":"test.user@okta.local","active":true,"meta":{"resourceType":"User"}}`).want(t, 200, "")
	if str(put.body, "active") != "true" || str(put.body, "externalId") != "" {
		t.Errorf("after PUT: %s", put.raw)
	}

	// Another organisation's token does not see this one's users.
	other := client{t: t, base: c.base, token: bjurholm}
	other.send("GET", "/Users/"+id, "").want(t, 404, "")
	other.send("PATCH", "/Users/"+id, entraDisableUser).want(t, 404, "")
	other.send("DELETE", "/Users/"+id, "").want(t, 404, "")
	if got := other.send("GET", `/Users?filter=userName+eq+%22test.user@okta.local%22`, "").want(t, 200, ""); str(got.body, "totalResults") != "0" {
		t.Errorf("another organisation's filter found: %s", got.raw)
	}

	// DELETE is 204, and the user is gone from SCIM after it.
	c.send("DELETE", "/Users/"+oktaID, "").want(t, 204, "")
	c.send("GET", "/Users/"+oktaID, "").want(t, 404, "")
}

func urlQuery(s string) string {
	r := strings.NewReplacer(" ", "+", `"`, "%22", "[", "%5B", "]", "%5D")
	return r.Replace(s)
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	_, url, vara, _ := setup(t)
	c := client{t: t, base: url + "/scim/v2", token: vara}
	id := str(c.send("POST", "/Users", oktaCreateUser).want(t, 201, "").body, "id")

	tests := []struct {
		name, method, path, contentType, body string
		status                                int
		scimType                              string
	}{
		{"malformed JSON", "POST", "/Users", "application/scim+json", `{"userName": "x"`, 400, "invalidSyntax"},
		{"not an object", "POST", "/Users", "application/scim+json", `["x"]`, 400, "invalidSyntax"},
		{"unknown schema", "POST", "/Users", "application/scim+json", `{"schemas":["urn:example:acme:User"],"userName":"x"}`, 400, "invalidValue"},
		{"unknown extension", "POST", "/Users", "application/scim+json", `{"userName":"x","urn:example:acme:2.0:User":{"level":1}}`, 400, "invalidValue"},
		{"no userName", "POST", "/Users", "application/scim+json", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}`, 400, "invalidSyntax"},
		{"userName of the wrong type", "POST", "/Users", "application/scim+json", `{"userName":17}`, 400, "invalidValue"},
		{"group without displayName", "POST", "/Groups", "application/scim+json", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"]}`, 400, "invalidSyntax"},
		{"unsupported operator", "GET", "/Users?filter=userName+co+%22a%22", "", "", 400, "invalidFilter"},
		{"unsupported attribute", "GET", "/Users?filter=title+eq+%22a%22", "", "", 400, "invalidFilter"},
		{"or", "GET", "/Users?filter=userName+eq+%22a%22+or+userName+eq+%22b%22", "", "", 400, "invalidFilter"},
		{"PATCH of another schema", "PATCH", "/Users/" + id, "application/scim+json", `{"schemas":["urn:example:Patch"],"Operations":[]}`, 400, "invalidValue"},
		{"PATCH removing userName", "PATCH", "/Users/" + id, "application/scim+json", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"userName"}]}`, 400, "mutability"},
		{"PATCH with an unknown path", "PATCH", "/Users/" + id, "application/scim+json", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"shoeSize","value":44}]}`, 400, "invalidPath"},
		{"a user that does not exist", "GET", "/Users/9876543210123456", "", "", 404, ""},
		{"text instead of JSON", "POST", "/Users", "text/plain", `userName=x`, 415, "invalidSyntax"},
		{"a body too large", "POST", "/Users", "application/scim+json", `{"userName":"` + strings.Repeat("x", 2<<20) + `"}`, 413, ""},
		{"no such resource", "GET", "/Widgets", "", "", 404, ""},
		{"a method the resource does not take", "DELETE", "/Users", "", "", 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := c
			c.t = t
			c.do(tt.method, tt.path, tt.contentType, tt.body).want(t, tt.status, tt.scimType)
		})
	}

	// application/json is taken as well as application/scim+json.
	c.do("POST", "/Users", "application/json; charset=utf-8", `{"userName":"json@kommun.se"}`).want(t, 201, "")

	for _, token := range []string{"", "not-a-token", vara + "x"} {
		got := client{t: t, base: c.base, token: token}.send("GET", "/Users", "").want(t, 401, "")
		if !strings.HasPrefix(got.header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("token %q: WWW-Authenticate %q", token, got.header.Get("WWW-Authenticate"))
		}
	}
	// Discovery answers without a token.
	for _, p := range []string{"/ServiceProviderConfig", "/ResourceTypes", "/ResourceTypes/User", "/Schemas", "/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"} {
		client{t: t, base: c.base}.send("GET", p, "").want(t, 200, "")
	}
}

// TestFlood sends more than an organisation's bucket holds: the rest are
// answered 429 with Retry-After and changed nothing, and the other
// organisation is served meanwhile.
func TestFlood(t *testing.T) {
	t.Parallel()
	a, _, vara, bjurholm := setup(t)
	h := scimhttp.New(scimhttp.Config{SCIM: a.Services.SCIM, Logger: slog.New(slog.DiscardHandler), Rate: 1, Burst: 5})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := client{t: t, base: srv.URL + "/scim/v2", token: vara}
	created, refused := 0, 0
	for i := range 20 {
		got := c.send("POST", "/Users", `{"userName":"flood`+strconv.Itoa(i)+`@kommun.se"}`)
		switch got.status {
		case 201:
			created++
		case 429:
			refused++
			if s, err := strconv.Atoi(got.header.Get("Retry-After")); err != nil || s < 1 {
				t.Errorf("Retry-After %q", got.header.Get("Retry-After"))
			}
			got.want(t, 429, "")
		default:
			t.Fatalf("status %d: %s", got.status, got.raw)
		}
	}
	if created < 5 || created > 6 || refused != 20-created {
		t.Errorf("created %d, refused %d", created, refused)
	}
	// What was refused was not saved.
	list := c.send("GET", "/Users?filter=userName+eq+%22flood19@kommun.se%22", "")
	if list.status == 200 && str(list.body, "totalResults") != "0" {
		t.Errorf("a refused request was saved: %s", list.raw)
	}
	client{t: t, base: c.base, token: bjurholm}.send("GET", "/Users", "").want(t, 200, "")
}

// phoneNumbers reads a user's numbers by type from an answer.
func phoneNumbers(t *testing.T, a answer) map[string]string {
	t.Helper()
	out := map[string]string{}
	list, _ := a.body["phoneNumbers"].([]any)
	for _, e := range list {
		o, _ := e.(doc)
		typ := str(o, "type")
		if _, dup := out[typ]; dup {
			t.Errorf("two numbers of type %q: %s", typ, a.raw)
		}
		out[typ] = str(o, "value")
	}
	return out
}

// TestPhoneNumbers: a user's work and mobile numbers through the endpoint
// as Entra ID changes them (its default mapping sends telephoneNumber as
// the work number, mobile as the mobile and facsimileTelephoneNumber as
// fax): each PATCH with a type filter changes that number alone, GET
// returns what was set, and PUT replaces both.
func TestPhoneNumbers(t *testing.T) {
	t.Parallel()
	_, url, vara, _ := setup(t)
	c := client{t: t, base: url + "/scim/v2", token: vara}
	const patchOp = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":`
	check := func(step string, a answer, want map[string]string) {
		t.Helper()
		if got := phoneNumbers(t, a); len(got) != len(want) || got["work"] != want["work"] || got["mobile"] != want["mobile"] {
			t.Errorf("%s: numbers %v, want %v: %s", step, got, want, a.raw)
		}
	}
	created := c.send("POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"mobil@vara.example",
		"name":{"givenName":"Maja","familyName":"Mobil"},"emails":[{"type":"work","value":"mobil@vara.example","primary":true}],
		"phoneNumbers":[{"type":"mobile","value":"070-111 11 11"},{"type":"fax","value":"0512-300 00"}],"active":true}`).want(t, 201, "")
	id := str(created.body, "id")
	check("created mobile-only", created, map[string]string{"mobile": "070-111 11 11"})
	check("read back", c.send("GET", "/Users/"+id, "").want(t, 200, ""), map[string]string{"mobile": "070-111 11 11"})

	// The bug this replaces: a mobile-only user's mobile changed by
	// filter became their work number.
	c.send("PATCH", "/Users/"+id, patchOp+`[{"op":"Replace","path":"phoneNumbers[type eq \"mobile\"].value","value":"070-222 22 22"}]}`).want(t, 200, "")
	check("mobile replaced", c.send("GET", "/Users/"+id, "").want(t, 200, ""), map[string]string{"mobile": "070-222 22 22"})

	c.send("PATCH", "/Users/"+id, patchOp+`[{"op":"Add","path":"phoneNumbers[type eq \"work\"].value","value":"0512-310 00"}]}`).want(t, 200, "")
	check("work added", c.send("GET", "/Users/"+id, "").want(t, 200, ""), map[string]string{"work": "0512-310 00", "mobile": "070-222 22 22"})

	c.send("PATCH", "/Users/"+id+"?aadOptscim062020", patchOp+`[{"op":"replace","value":{"phoneNumbers[type eq \"work\"].value":"0512-320 00"}}]}`).want(t, 200, "")
	check("work replaced (flagged)", c.send("GET", "/Users/"+id, "").want(t, 200, ""), map[string]string{"work": "0512-320 00", "mobile": "070-222 22 22"})

	c.send("PATCH", "/Users/"+id, patchOp+`[{"op":"Remove","path":"phoneNumbers[type eq \"mobile\"].value"}]}`).want(t, 200, "")
	check("mobile removed", c.send("GET", "/Users/"+id, "").want(t, 200, ""), map[string]string{"work": "0512-320 00"})

	c.send("PATCH", "/Users/"+id, patchOp+`[{"op":"Add","path":"phoneNumbers[type eq \"mobile\"].value","value":"070-333 33 33"}]}`).want(t, 200, "")
	// A bad number is refused whole, naming the attribute; nothing of it
	// is saved.
	bad := c.send("PATCH", "/Users/"+id, patchOp+`[{"op":"Replace","path":"title","value":"Chef"},{"op":"Replace","path":"phoneNumbers[type eq \"mobile\"].value","value":"ring mig"}]}`).want(t, 400, "invalidValue")
	if !strings.Contains(bad.raw, "phoneNumbers") {
		t.Errorf("the error does not name phoneNumbers: %s", bad.raw)
	}
	after := c.send("GET", "/Users/"+id, "").want(t, 200, "")
	check("after the refused PATCH", after, map[string]string{"work": "0512-320 00", "mobile": "070-333 33 33"})
	if str(after.body, "title") == "Chef" {
		t.Errorf("half a refused PATCH was saved: %s", after.raw)
	}

	// PUT replaces: a work number only, so the mobile goes.
	put := c.send("PUT", "/Users/"+id, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"mobil@vara.example",
		"name":{"givenName":"Maja","familyName":"Mobil"},"emails":[{"type":"work","value":"mobil@vara.example","primary":true}],
		"phoneNumbers":[{"type":"work","value":"0512-330 00"}],"active":true}`).want(t, 200, "")
	check("replaced by PUT", put, map[string]string{"work": "0512-330 00"})
	check("read after PUT", c.send("GET", "/Users/"+id, "").want(t, 200, ""), map[string]string{"work": "0512-330 00"})
}
