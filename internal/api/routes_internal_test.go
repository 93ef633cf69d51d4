package api

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// openAPIDoc is the part of openapi.json the tests read.
type openAPIDoc struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]*schema `json:"schemas"`
	} `json:"components"`
}

type schema struct {
	Ref                  string             `json:"$ref"`
	Type                 any                `json:"type"`
	Properties           map[string]*schema `json:"properties"`
	Items                *schema            `json:"items"`
	Required             []string           `json:"required"`
	AdditionalProperties any                `json:"additionalProperties"` // false, or a schema
}

type operation struct {
	OperationID string `json:"operationId"`
	RequestBody *struct {
		Content map[string]struct {
			Schema schema `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]json.RawMessage `json:"responses"`
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func loadDoc(t *testing.T) *openAPIDoc {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi = %q, want 3.x", doc.OpenAPI)
	}
	return &doc
}

// operations returns every documented operation by "METHOD /path".
func (d *openAPIDoc) operations(t *testing.T) map[string]operation {
	t.Helper()
	ops := map[string]operation{}
	for path, item := range d.Paths {
		for key, raw := range item {
			if !slices.Contains(httpMethods, key) {
				continue
			}
			var op operation
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", key, path, err)
			}
			ops[strings.ToUpper(key)+" "+path] = op
		}
	}
	return ops
}

// recorder records what Register mounts.
type recorder struct{ patterns []string }

func (r *recorder) Handle(pattern string, _ http.Handler) { r.patterns = append(r.patterns, pattern) }

// TestOpenAPIMatchesRoutes: the operations in openapi.json, the route
// table, and what Register actually mounts are the same set, and a real
// ServeMux sends each documented operation to its own pattern.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	documented := slices.Sorted(maps.Keys(doc.operations(t)))

	var table []string
	for _, rt := range routes {
		table = append(table, rt.pattern())
	}
	slices.Sort(table)
	if len(slices.Compact(slices.Clone(table))) != len(table) {
		t.Errorf("the route table has duplicates: %v", table)
	}

	rec := &recorder{}
	New(Config{}).register(rec)
	var mounted []string
	fallbacks := 0
	for _, p := range rec.patterns {
		if p == prefix+"/" {
			fallbacks++
			continue
		}
		mounted = append(mounted, p)
	}
	slices.Sort(mounted)
	if fallbacks != 1 {
		t.Errorf("fallback mounted %d times, want 1", fallbacks)
	}

	if !slices.Equal(documented, table) {
		t.Errorf("openapi.json and the route table differ:\n only documented: %v\n only in table: %v",
			minus(documented, table), minus(table, documented))
	}
	if !slices.Equal(mounted, table) {
		t.Errorf("Register and the route table differ:\n only mounted: %v\n only in table: %v",
			minus(mounted, table), minus(table, mounted))
	}

	mux := http.NewServeMux()
	New(Config{}).Register(mux)
	for _, op := range documented {
		method, path, _ := strings.Cut(op, " ")
		path = strings.NewReplacer("{id}", "0190-abc", "{version}", "3").Replace(path)
		req := httptest.NewRequest(method, path, nil)
		if _, pattern := mux.Handler(req); pattern != op {
			t.Errorf("%s goes to %q", op, pattern)
		}
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// TestOpenAPIRequestBodies: every operation documents exactly the request
// body its handler decodes: the same property names as the struct's JSON
// tags, and additionalProperties false, as DecodeJSON refuses unknown fields.
func TestOpenAPIRequestBodies(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	ops := doc.operations(t)
	for _, rt := range routes {
		op := ops[rt.pattern()]
		if rt.form {
			if op.RequestBody == nil || op.RequestBody.Content["multipart/form-data"].Schema.Ref == "" {
				t.Errorf("%s takes multipart/form-data but does not document it", rt.pattern())
			}
			continue
		}
		if rt.body == nil {
			if op.RequestBody != nil {
				t.Errorf("%s documents a request body but decodes none", rt.pattern())
			}
			continue
		}
		if op.RequestBody == nil {
			t.Errorf("%s decodes %T but documents no request body", rt.pattern(), rt.body)
			continue
		}
		s := doc.resolve(t, op.RequestBody.Content["application/json"].Schema)
		checkClosed(t, doc, rt.pattern(), s, reflect.TypeOf(rt.body))
	}
}

// checkClosed compares a request schema with a request struct, recursing
// into nested structs.
func checkClosed(t *testing.T, doc *openAPIDoc, where string, s *schema, typ reflect.Type) {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if s.AdditionalProperties != false {
		t.Errorf("%s: request schema for %s lacks additionalProperties: false", where, typ)
	}
	fields := jsonFields(typ)
	if got, want := slices.Sorted(maps.Keys(s.Properties)), slices.Sorted(maps.Keys(fields)); !slices.Equal(got, want) {
		t.Errorf("%s: schema properties %v, %s has %v", where, got, typ, want)
	}
	for _, r := range s.Required {
		if _, ok := s.Properties[r]; !ok {
			t.Errorf("%s: required %q is not a property", where, r)
		}
	}
	for name, ft := range fields {
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft != reflect.TypeFor[Date]() && ft != reflect.TypeFor[time.Time]() && s.Properties[name] != nil {
			checkClosed(t, doc, where+"."+name, doc.resolve(t, *s.Properties[name]), ft)
		}
	}
}

func jsonFields(typ reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range typ.Fields() {
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			et := f.Type
			for et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			for n, t := range jsonFields(et) {
				if _, shadowed := out[n]; !shadowed {
					out[n] = t
				}
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func (d *openAPIDoc) resolve(t *testing.T, s schema) *schema {
	t.Helper()
	for s.Ref != "" {
		name, ok := strings.CutPrefix(s.Ref, "#/components/schemas/")
		target := d.Components.Schemas[name]
		if !ok || target == nil {
			t.Fatalf("unresolved $ref %q", s.Ref)
		}
		s = *target
	}
	return &s
}

// TestOpenAPIResponseSchemas: what the API writes has the properties the
// description names, no more and no fewer.
func TestOpenAPIResponseSchemas(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	now := time.Now()
	day := time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
	person := &distans.Person{ID: "p", OrganisationID: "o", Name: "n", Email: "e@x.se", Phone: "070", EmployeeNumber: "1",
		PersonalNumber: "19811218-9876", Language: "sv", UnitID: "u", UnitPath: "/u/", Title: "t", SiteID: "s", CreatedAt: now, UpdatedAt: now}
	org := &distans.Organisation{ID: "o", Slug: "s", Name: "n", TimeZone: "Europe/Stockholm", Language: "sv",
		Status: distans.OrgSuspended, StatusChangedAt: &now}
	token := &distans.APIToken{ID: "t", OrganisationID: "o", PersonID: "p", Name: "n", TokenHash: "h", CreatedAt: now, LastUsedAt: &now, RevokedAt: &now}
	event := &distans.AuditEvent{OrganisationID: "o", Seq: 2, ActorID: "a", ActorName: "n", Action: "x", RecordType: "r", RecordID: "i", Summary: "s", At: now, PrevHash: "p", Hash: "h"}
	cases := map[string]any{
		"Organisation": org,
		"Me": meResponse{Person: personView(person), Organisation: org, Language: "sv",
			Roles: []grantJSON{{Role: distans.RoleManager, Label: "Chef", UnitID: "u"}}, Permissions: []distans.Permission{distans.PermViewPeople}},
		"Grant": grantJSON{Role: distans.RoleManager, Label: "Chef", UnitID: "u"},
		"Unit": unitView(&distans.Unit{ID: "u", OrganisationID: "o", ParentID: "p", Code: "c", Name: "n", Kind: distans.UnitSection,
			ManagerID: "m", Path: "/p/u/", EndedOn: &day, CreatedAt: now, UpdatedAt: now}),
		"Site": siteView(&distans.Site{ID: "s", OrganisationID: "o", Name: "n", Code: "c", Kind: distans.SiteMain, Street: "g", PostalCode: "123 45",
			City: "c", EndedOn: &day, CreatedAt: now, UpdatedAt: now}),
		"Person": personView(person),
		"PersonPage": personPage{Items: []*distans.Person{personView(person)}, Total: 200, TotalCapped: true, Next: "n", Prev: "p",
			Limit: 50},
		"PersonalNumber": revealResponse{PersonalNumber: "x"},
		"Employment": employmentView(&distans.Employment{ID: "e", OrganisationID: "o", PersonID: "p", UnitID: "u", Title: "t", SiteID: "s",
			StartsOn: day, EndsOn: &day, CreatedAt: now, UpdatedAt: now}),
		"Leave": leaveView(&distans.Leave{ID: "l", OrganisationID: "o", PersonID: "p", Kind: distans.LeaveStudy, StartsOn: day, EndsOn: &day, CreatedAt: now}),
		"RoleAssignment": &distans.RoleAssignment{ID: "r", OrganisationID: "o", PersonID: "p", Role: distans.RoleHR, UnitID: "u",
			Source: distans.RoleSourceImport, EndedAt: &now, CreatedAt: now},
		"AuditEvent":     event,
		"AuditPage":      auditPage{Items: []*distans.AuditEvent{event}, NextBeforeSeq: 2},
		"APIToken":       token,
		"TokenCreated":   tokenCreated{Token: token, Secret: "dst_x"},
		"FieldError":     distans.FieldError{Field: "f", Sv: "s", En: "e"},
		"Import":         importView(importCase(now, day)),
		"ImportSummary":  importCase(now, day).Summary,
		"ImportRowError": distans.ImportRowError{File: "f", Line: 2, Column: "c", Sv: "s", En: "e"},
	}
	entry := registerView(&distans.RegisterEntry{Kind: distans.RegisterEquipmentLoss, RecordID: "l", Number: "FÖR 2026/0003",
		RegisteredAt: now, IncidentKind: distans.IncidentTheft, LossKind: distans.LossStolen,
		Items: []distans.EquipmentCategory{distans.EquipmentPhone}, Party: "n", Secret: true,
		SecretParts: []string{distans.RegisterSecretLossPlace}, State: "open"}, time.UTC)
	cases["RegisterEntry"] = entry
	cases["RegisterPage"] = registerPage{Items: []registerJSON{entry}, NextAfter: "x"}
	cases["DisposalHold"] = &distans.DisposalHold{OrganisationID: "o", ID: "h", PersonID: "p", PersonName: "n",
		Type: distans.DisposeAccessLog, Reason: "r", PlacedByID: "s", PlacedByName: "n", PlacedAt: now, ReleasedAt: &now,
		ReleasedByName: "n"}
	for name, v := range policyResponseCases(t, now) {
		cases[name] = v
	}
	for name, v := range incidentResponseCases(now) {
		cases[name] = v
	}
	for name, v := range equipmentResponseCases(now) {
		cases[name] = v
	}
	for name, v := range cases {
		s := doc.Components.Schemas[name]
		if s == nil {
			t.Errorf("no schema %s", name)
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if g, w := slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(s.Properties)); !slices.Equal(g, w) {
			t.Errorf("%s: the API writes %v, the schema has %v", name, g, w)
		}
	}
	// Every schema, response and parameter reference resolves.
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
				var cur any
				_ = json.Unmarshal(openapiJSON, &cur)
				for _, p := range parts {
					m, _ := cur.(map[string]any)
					cur = m[p]
				}
				if cur == nil {
					t.Errorf("unresolved $ref %q", ref)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	var all any
	_ = json.Unmarshal(openapiJSON, &all)
	walk(all)
}

// importCase is an import with every field set.
func importCase(now, day time.Time) *distans.Import {
	sum := &distans.ImportSummary{Ending: []distans.ImportEnding{{PersonID: "p", Name: "n", EmployeeNumber: "1"}}, EndingTotal: 1, Rows: 1,
		Files: []distans.ImportFileSum{{Name: "f", Kinds: []string{"people"}, Rows: 1}}}
	return &distans.Import{ID: "i", OrganisationID: "o", CreatedBy: "p", CreatedByName: "n", Status: distans.ImportDone,
		Options: distans.ImportOptions{Full: true, EndMissingOn: &day}, FileNames: []string{"f"}, Rows: 1, Done: 1, Summary: sum,
		Errors: []distans.ImportRowError{{File: "f", Sv: "s", En: "e"}}, ErrorTotal: 1, Failure: "x", CreatedAt: now, UpdatedAt: now, FinishedAt: &now}
}

// TestOpenAPIUniqueKeys: no object of openapi.json names a key twice. A
// JSON reader keeps the last of two, silently: the reports' schema
// "Report" once lost to the policy check's, and the reports' operations
// were described by the policy report's fields.
func TestOpenAPIUniqueKeys(t *testing.T) {
	dec := json.NewDecoder(strings.NewReader(string(openapiJSON)))
	type frame struct {
		keys   map[string]bool
		object bool
		key    bool // the next string token is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				if top != nil && top.object {
					top.key = true
				}
				stack = append(stack, &frame{keys: map[string]bool{}, object: v == '{', key: v == '{'})
				continue
			case '}', ']':
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].key = true
				}
				continue
			}
		case string:
			if top != nil && top.object && top.key {
				if top.keys[v] {
					t.Errorf("openapi.json names %q twice in one object", v)
				}
				top.keys[v] = true
				top.key = false
				continue
			}
		}
		if top != nil && top.object {
			top.key = true
		}
	}
}
