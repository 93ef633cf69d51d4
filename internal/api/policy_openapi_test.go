package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
)

// policyResponseCases are the values TestOpenAPIResponseSchemas holds to
// the policy and document schemas, every optional field set.
func policyResponseCases(t *testing.T, now time.Time) map[string]any {
	t.Helper()
	seed, err := policy.Seed("bjurholm")
	if err != nil {
		t.Fatal(err)
	}
	pack := seed.Policy()
	pack.ValidFrom = "2021-01-01"
	text := distans.PolicyText{Sv: "s", En: "e"}
	source := distans.PolicySource{Document: "d", Section: "s", Quote: "q"}
	lo, hi := 1.0, 2.0
	version := &distans.PolicyVersion{OrganisationID: "o", Version: 2, Source: "slug: x", Reason: "r", CreatedBy: "p", CreatedByName: "n", CreatedAt: now}
	// Only one of hours, days and same_day is ever given; all three are set
	// here so that the schema is held to every field.
	spec := distans.PolicyDeadlineSpec{From: "discovered_at", Hours: "h", Days: "d", SameDay: true, Duty: distans.DutyIMYNotification, Label: text}
	examples := &distans.PolicyExamples{Now: now, Pass: json.RawMessage(`{}`), Trip: json.RawMessage(`{}`)}
	deadline := distans.PolicyDeadline{Duty: distans.DutyIMYNotification, Label: text, From: "discovered_at", Hours: 72, Days: 28, SameDay: true,
		At: now, AtLocal: "x", Passed: true}
	finding := distans.PolicyFinding{RuleID: "r", Kind: "incident", Severity: string(policy.SeverityBlock), MessageSv: "s", MessageEn: "e", Source: source,
		PackVersion: 2, Generic: true, Deadlines: []distans.PolicyDeadline{deadline}}
	return map[string]any{
		"PolicyVersion":       policyVersionView(version),
		"Policy":              policyActive{Version: policyVersionView(version), Pack: pack},
		"PolicyVersionDetail": policyDetail(pack, version),
		"Pack":                pack,
		"PackParameter": distans.PolicyParameter{Name: "n", Type: "int", Unit: "days", Default: 1, Value: 2, Min: &lo, Max: &hi, Label: text,
			Note: &text, Source: &source, Generic: true},
		"PackRule": &distans.PolicyRule{ID: "r", Kind: "incident", Condition: "true", Severity: string(policy.SeverityInfo), Message: text, Source: source,
			Deadlines: []distans.PolicyDeadlineSpec{spec}, Examples: examples, Generic: true},
		"Text":         text,
		"PolicySource": source,
		"DeadlineSpec": spec,
		"RuleExamples": examples,
		"Deadline":     deadline,
		"Finding":      finding,
		"PolicyReport": &distans.PolicyReport{Organisation: pack.Slug, PackVersion: pack.Version, Kind: "incident", CheckedAt: now,
			Blocking: true, Findings: []distans.PolicyFinding{finding}},
		"PhoneSession":    policy.PhoneSession{Weekday: "mon", Start: "09:00", End: "10:00"},
		"PolicyDocument":  &distans.PolicyDocument{ID: "d", OrganisationID: "o", Title: "t", Version: 1, Body: "b", Required: true, UnitID: "u", PublishedBy: "p", PublishedAt: now},
		"Acknowledgement": &distans.Acknowledgement{OrganisationID: "o", DocumentID: "d", Version: 1, DocumentTitle: "t", PersonID: "p", At: now},
		"Outstanding":     &distans.Outstanding{PersonID: "p", PersonName: "n", UnitID: "u", DocumentID: "d", DocumentTitle: "t", Version: 1},
	}
}

// inputSchemaName is the component name of a kind's input schema:
// phone_hours → PhoneHoursInput.
func inputSchemaName(kind string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(kind, "_") {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String() + "Input"
}

// timeNote is what every timestamp field of an input accepts.
const timeNote = " RFC 3339 (2025-10-26T14:30:00+01:00), or a local time in the organisation's time zone (2025-10-26T14:30); a local time that a daylight-saving change makes missing or ambiguous is refused."

// inputSchema is the JSON Schema of a kind's input as policy.Kinds
// describes it: every variable that is not derived, with its type, allowed
// values and labels, and nothing else. openapi.json holds exactly this for
// each kind; when a kind changes, TestOpenAPICheckInputs prints the new
// schema to paste in.
func inputSchema(k policy.Kind) map[string]any {
	props := map[string]any{}
	for _, v := range k.Variables {
		if v.Derived {
			continue
		}
		p := map[string]any{"title": v.Label.Sv, "description": v.Label.En + "."}
		switch v.Type {
		case "string":
			p["type"] = "string"
			if len(v.Values) > 0 {
				p["enum"] = v.Values
			}
		case "int":
			p["type"] = "integer"
		case "bool":
			p["type"] = "boolean"
		case "timestamp":
			p["type"] = "string"
			p["description"] = v.Label.En + "." + timeNote
		case "list(string)":
			item := map[string]any{"type": "string"}
			if len(v.Values) > 0 {
				item["enum"] = v.Values
			}
			p["type"] = "array"
			p["items"] = item
			p["uniqueItems"] = true
		case "list(map)":
			p["type"] = "array"
			p["items"] = map[string]any{"$ref": "#/components/schemas/PhoneSession"}
		default:
			p["type"] = "unknown " + v.Type
		}
		props[v.Name] = p
	}
	return map[string]any{"type": "object", "title": k.Label.Sv, "description": k.Label.En + ": the input of a check of kind " + k.Name + ".",
		"properties": props, "additionalProperties": false}
}

// normal turns v into what encoding/json makes of it, for comparing.
func normal(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// rawSchemas returns components.schemas of openapi.json as generic JSON.
func rawSchemas(t *testing.T) map[string]any {
	t.Helper()
	var doc struct {
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Components.Schemas
}

// TestOpenAPICheckInputs: openapi.json documents every kind's input exactly
// as policy.Kinds() describes it, and the check request ties each kind to
// its input schema.
func TestOpenAPICheckInputs(t *testing.T) {
	t.Parallel()
	schemas := rawSchemas(t)
	var names []any
	for _, k := range policy.Kinds() {
		names = append(names, k.Name)
		name := inputSchemaName(k.Name)
		want := normal(t, inputSchema(k))
		if got := schemas[name]; !reflect.DeepEqual(got, want) {
			b, _ := json.MarshalIndent(want, "      ", "  ")
			t.Errorf("components.schemas.%s differs from policy.Kinds(); it should be:\n%s", name, b)
		}
	}

	check := schemas["PolicyCheck"].(map[string]any)
	kind := check["properties"].(map[string]any)["kind"].(map[string]any)
	if !reflect.DeepEqual(kind["enum"], names) {
		t.Errorf("PolicyCheck.kind enum %v, the kinds are %v", kind["enum"], names)
	}
	var branches []any
	for _, b := range check["allOf"].([]any) {
		branch := b.(map[string]any)
		k := branch["if"].(map[string]any)["properties"].(map[string]any)["kind"].(map[string]any)["const"]
		ref := branch["then"].(map[string]any)["properties"].(map[string]any)["input"].(map[string]any)["$ref"]
		if want := "#/components/schemas/" + inputSchemaName(fmt.Sprint(k)); ref != want {
			t.Errorf("kind %v refers to %v, want %s", k, ref, want)
		}
		branches = append(branches, k)
	}
	if !reflect.DeepEqual(branches, names) {
		t.Errorf("PolicyCheck ties kinds %v to inputs, the kinds are %v", branches, names)
	}

	// A phone session is the policy package's PhoneSession, its weekday one
	// of the weekdays that agreements use.
	session := schemas["PhoneSession"].(map[string]any)
	props := session["properties"].(map[string]any)
	if got, want := slices.Sorted(maps.Keys(props)), slices.Sorted(maps.Keys(jsonFields(reflect.TypeFor[policy.PhoneSession]()))); !slices.Equal(got, want) {
		t.Errorf("PhoneSession has %v, policy.PhoneSession %v", got, want)
	}
	agreement := schemas[inputSchemaName(policy.KindAgreement)].(map[string]any)["properties"].(map[string]any)
	weekdays := agreement["weekdays_remote"].(map[string]any)["items"].(map[string]any)["enum"]
	if !reflect.DeepEqual(props["weekday"].(map[string]any)["enum"], weekdays) {
		t.Errorf("PhoneSession.weekday enum %v, weekdays_remote %v", props["weekday"], weekdays)
	}
}

// TestOpenAPICheckExamples: every example input of every seed pack's rules
// (complete inputs that the policy package accepts) fits the documented
// schema of its kind, so the description is neither narrower nor looser
// than the inputs the rules are written for.
func TestOpenAPICheckExamples(t *testing.T) {
	t.Parallel()
	schemas := rawSchemas(t)
	for _, slug := range policy.SeedSlugs() {
		pack, err := policy.Seed(slug)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range pack.Rules {
			if r.Examples == nil {
				continue
			}
			s := schemas[inputSchemaName(r.Kind)]
			for _, ex := range []json.RawMessage{r.Examples.Pass, r.Examples.Trip} {
				var v any
				if err := json.Unmarshal(ex, &v); err != nil {
					t.Fatal(err)
				}
				if msg := conforms(schemas, s, v, "input"); msg != "" {
					t.Errorf("%s %s: %s in %s", slug, r.ID, msg, ex)
				}
			}
		}
	}
}

// conforms is the little of JSON Schema that the input schemas use: type,
// enum, properties with additionalProperties false, items, uniqueItems and
// $ref. It returns what is wrong, or "".
func conforms(schemas map[string]any, s any, v any, at string) string {
	m, _ := s.(map[string]any)
	if m == nil {
		return at + ": no schema"
	}
	if ref, ok := m["$ref"].(string); ok {
		return conforms(schemas, schemas[strings.TrimPrefix(ref, "#/components/schemas/")], v, at)
	}
	if enum, ok := m["enum"].([]any); ok && !slices.Contains(enum, v) {
		return fmt.Sprintf("%s: %v is not one of %v", at, v, enum)
	}
	switch m["type"] {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return at + ": not an object"
		}
		props, _ := m["properties"].(map[string]any)
		for k, x := range obj {
			p, ok := props[k]
			if !ok {
				return at + "." + k + ": not documented"
			}
			if msg := conforms(schemas, p, x, at+"."+k); msg != "" {
				return msg
			}
		}
		for _, r := range asList(m["required"]) {
			if _, ok := obj[r.(string)]; !ok {
				return at + "." + r.(string) + ": missing"
			}
		}
	case "array":
		list, ok := v.([]any)
		if !ok {
			return at + ": not a list"
		}
		for i, x := range list {
			if msg := conforms(schemas, m["items"], x, fmt.Sprintf("%s[%d]", at, i)); msg != "" {
				return msg
			}
			if m["uniqueItems"] == true && slices.IndexFunc(list, func(y any) bool { return reflect.DeepEqual(x, y) }) != i {
				return fmt.Sprintf("%s[%d]: a duplicate", at, i)
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			return at + ": not a string"
		}
	case "integer":
		if f, ok := v.(float64); !ok || f != float64(int64(f)) {
			return at + ": not a whole number"
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return at + ": not true or false"
		}
	default:
		return fmt.Sprintf("%s: unknown type %v", at, m["type"])
	}
	return ""
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// exerciseCheck runs what the check handler runs on a valid request short
// of the store: the strict input decoder and the rules of a seed pack. Bad
// input must be EINVALID, and accepted input may name only documented fields.
func exerciseCheck(t *testing.T, q *policyCheckRequest) {
	t.Helper()
	pack := fuzzPack(t)
	findings, err := policy.CheckJSON(pack, q.Kind, bytes.NewReader(q.Input), time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC))
	if err != nil {
		if distans.ErrorCode(err) != distans.EINVALID {
			t.Fatalf("check error %v is not EINVALID", err)
		}
		return
	}
	var v any
	if err := json.Unmarshal(q.Input, &v); err != nil {
		t.Fatalf("accepted an input that is not JSON: %q", q.Input)
	}
	schemas := fuzzSchemas(t)
	if msg := conformsNames(schemas, schemas[inputSchemaName(q.Kind)], v); msg != "" {
		t.Fatalf("accepted %s input %s: %s", q.Kind, q.Input, msg)
	}
	_ = policy.NewReport(pack, q.Kind, time.Now(), findings)
}

var (
	fuzzPackOnce    = sync.OnceValues(func() (*policy.Pack, error) { return policy.Seed("bjurholm") })
	fuzzSchemasOnce = sync.OnceValue(func() map[string]any {
		var doc struct {
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		_ = json.Unmarshal(openapiJSON, &doc)
		return doc.Components.Schemas
	})
)

func fuzzPack(t *testing.T) *policy.Pack {
	t.Helper()
	p, err := fuzzPackOnce()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func fuzzSchemas(*testing.T) map[string]any { return fuzzSchemasOnce() }

// conformsNames reports a key of v that s does not document, matching
// names without regard to case as encoding/json does.
func conformsNames(schemas map[string]any, s any, v any) string {
	m, _ := s.(map[string]any)
	if ref, ok := m["$ref"].(string); ok {
		m, _ = schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
	}
	switch x := v.(type) {
	case map[string]any:
		props, _ := m["properties"].(map[string]any)
		for k, val := range x {
			var p any
			for name, ps := range props {
				if strings.EqualFold(name, k) {
					p = ps
				}
			}
			if p == nil {
				return "undocumented field " + k
			}
			if msg := conformsNames(schemas, p, val); msg != "" {
				return k + "." + msg
			}
		}
	case []any:
		for _, item := range x {
			if msg := conformsNames(schemas, m["items"], item); msg != "" {
				return msg
			}
		}
	}
	return ""
}

// FuzzCheckInput feeds arbitrary inputs of every kind to the decoder and
// rules that POST /policy/check runs.
func FuzzCheckInput(f *testing.F) {
	for _, seed := range []string{
		`{"start":"2025-01-01","end":"2026-01-02","weekdays_remote":["mon","mon"],"share_remote":101}`,
		`{"START":"2025-01-01","Tax_Workplace":"remote"}`,
		`{"sessions":[{"weekday":"mon","start":"09:00","end":"08:00"},{"weekday":"mon","start":"07:00","end":"12:00"}]}`,
		`{"phone":"on_call","target":"private","until":"2025-03-30T02:30"}`,
		`{"kind":"personal_data","discovered_at":"2025-10-26T02:30"}`,
		`{"days":99999999999999999999}`, `{"private":true,"abroad":true,"equipment":["sim"]}`,
		`{"tool":"external","information_class":"sensitive"}`, `{"length_days":1}`, `{"now":"x"}`,
		`{} {}`, `null`, `[]`, `{"a":`, "\xff",
	} {
		for i := range checkKinds {
			f.Add(i, seed)
		}
	}
	f.Fuzz(func(t *testing.T, i int, input string) {
		if i < 0 || i >= len(checkKinds) {
			return
		}
		q := &policyCheckRequest{Kind: checkKinds[i], Input: json.RawMessage(input)}
		if q.validate() == nil {
			exerciseCheck(t, q)
		}
	})
}
