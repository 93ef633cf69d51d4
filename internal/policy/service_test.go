package policy_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// serviceWorld is the organisation bjurholm with an HR officer for the
// whole organisation and an employee, and the organisation sorsele with an
// HR officer, on a fresh SQLite store.
type serviceWorld struct {
	s                    *sqlstore.Store
	svc                  *policy.Service
	hr, emp, hrSorsele   context.Context
	bjurholm, sorseleOrg *distans.Organisation
}

func newServiceWorld(t *testing.T) *serviceWorld {
	t.Helper()
	s := storetest.SQLite(t)
	w := &serviceWorld{s: s, svc: policy.NewService(s, s)}
	w.bjurholm = storetest.NewOrg(t, s, "bjurholm")
	w.sorseleOrg = storetest.NewOrg(t, s, "sorsele")
	root := storetest.NewUnit(t, s, w.bjurholm.ID, "", "Kommunledningsförvaltningen", distans.UnitAdministration)
	hr := storetest.NewPerson(t, s, w.bjurholm.ID, "Helena HR", root.ID)
	storetest.Assign(t, s, hr, distans.RoleHR, "")
	emp := storetest.NewPerson(t, s, w.bjurholm.ID, "Erik Anställd", root.ID)
	rootS := storetest.NewUnit(t, s, w.sorseleOrg.ID, "", "Kommunkontoret", distans.UnitAdministration)
	hrS := storetest.NewPerson(t, s, w.sorseleOrg.ID, "Sara HR", rootS.ID)
	storetest.Assign(t, s, hrS, distans.RoleHR, "")
	w.hr, w.emp, w.hrSorsele = storetest.As(t, s, hr), storetest.As(t, s, emp), storetest.As(t, s, hrS)
	return w
}

func seedYAML(t *testing.T, slug string) []byte {
	t.Helper()
	data, err := policy.SeedYAML(slug)
	storetest.Must(t, err)
	return data
}

func TestServiceGenericBeforeAnySave(t *testing.T) {
	t.Parallel()
	w := newServiceWorld(t)
	p, v, err := w.svc.Active(w.emp)
	storetest.Must(t, err)
	if v.Version != 0 || p.Version != 0 || p.Slug != "bjurholm" || p.Organisation != w.bjurholm.Name {
		t.Fatalf("generic pack: version %d/%d slug %s org %s", v.Version, p.Version, p.Slug, p.Organisation)
	}
	if _, ok := p.Rule("gdpr-33-report"); !ok || len(p.Rules) == 0 {
		t.Fatal("the rules of law are missing")
	}
	for _, r := range p.Rules {
		if !r.Generic {
			t.Fatalf("rule %s is not generic", r.ID)
		}
	}
	again, _, err := w.svc.Active(w.emp)
	storetest.Must(t, err)
	if again != p {
		t.Fatal("the generic pack was compiled twice")
	}
	rep, err := w.svc.Check(w.emp, "incident", strings.NewReader(`{"kind": "personal_data", "discovered_at": "2025-06-01T09:00:00+02:00"}`),
		mustTime(t, "2025-06-05T10:00:00+02:00"))
	storetest.Must(t, err)
	if rep.PackVersion != 0 || rep.Organisation != "bjurholm" || len(rep.Findings) == 0 {
		t.Fatalf("report: %+v", rep)
	}
	_, _, err = w.svc.Active(context.Background())
	storetest.WantCode(t, err, distans.EUNAUTHORIZED)
}

func TestServiceSave(t *testing.T) {
	t.Parallel()
	w := newServiceWorld(t)
	src := seedYAML(t, "bjurholm")

	_, err := w.svc.Save(w.emp, 0, src, "")
	storetest.WantCode(t, err, distans.EFORBIDDEN)
	// Another organisation's pack is refused: its slug is not ours.
	_, err = w.svc.Save(w.hr, 0, seedYAML(t, "sorsele"), "")
	storetest.WantCode(t, err, distans.EINVALID)
	if f := err.(*distans.Error).Fields; len(f) != 1 || f[0].Field != "slug" {
		t.Fatalf("fields: %+v", f)
	}

	v1, err := w.svc.Save(w.hr, 0, src, "")
	storetest.Must(t, err)
	if v1.Version != 1 {
		t.Fatalf("saved: %+v", v1)
	}
	p1, v, err := w.svc.Active(w.emp)
	storetest.Must(t, err)
	if v.Version != 1 || p1.Version != 1 || p1.Slug != "bjurholm" {
		t.Fatalf("active: %d %d %s", v.Version, p1.Version, p1.Slug)
	}
	// The cache returns the pack compiled once; a second service compiles
	// its own from the store.
	again, _, _ := w.svc.Active(w.hr)
	if again != p1 {
		t.Fatal("the active pack was compiled again")
	}
	other, _, err := policy.NewService(w.s, w.s).Active(w.emp)
	storetest.Must(t, err)
	if other == p1 || other.Version != 1 || len(other.Rules) != len(p1.Rules) {
		t.Fatalf("second service: version %d, %d rules", other.Version, len(other.Rules))
	}

	// A pack that does not parse is refused, naming the rule, and the
	// active version stays.
	broken := bytes.Replace(src, []byte("condition: length_months > params.max_agreement_months"),
		[]byte("condition: length_months > params.no_such_parameter"), 1)
	if bytes.Equal(broken, src) {
		t.Fatal("test did not break the pack")
	}
	_, err = w.svc.Save(w.hr, 1, broken, "Trasig")
	storetest.WantCode(t, err, distans.EINVALID)
	if f := err.(*distans.Error).Fields; !slices.ContainsFunc(f, func(x distans.FieldError) bool {
		return x.Field == "rules[bjurholm-11-max-length].condition"
	}) {
		t.Fatalf("fields: %+v", f)
	}
	p, v, err := w.svc.Active(w.emp)
	storetest.Must(t, err)
	if p != p1 || v.Version != 1 {
		t.Fatalf("after a refused save: version %d", v.Version)
	}
	list, err := w.svc.Versions(w.emp)
	storetest.Must(t, err)
	if len(list) != 1 {
		t.Fatalf("versions: %d", len(list))
	}

	// From version 2 a reason is needed; a stale base is a conflict.
	_, err = w.svc.Save(w.hr, 1, src, " ")
	storetest.WantCode(t, err, distans.EINVALID)
	v2, err := w.svc.Save(w.hr, 1, src, "Samma igen")
	storetest.Must(t, err)
	_, err = w.svc.Save(w.hr, 1, src, "Från en gammal flik")
	storetest.WantCode(t, err, distans.ECONFLICT)
	p2, _, err := w.svc.Active(w.emp)
	storetest.Must(t, err)
	if p2.Version != v2.Version || p2 == p1 {
		t.Fatalf("active after the second save: %d", p2.Version)
	}
	old, ov, err := w.svc.Version(w.emp, 1)
	storetest.Must(t, err)
	if old.Version != 1 || ov.Version != 1 {
		t.Fatalf("version 1: %d", old.Version)
	}
	_, _, err = w.svc.Version(w.emp, 9)
	storetest.WantCode(t, err, distans.ENOTFOUND)

	// Sorsele still has only the rules of law.
	ps, vs, err := w.svc.Active(w.hrSorsele)
	storetest.Must(t, err)
	if vs.Version != 0 || ps.Slug != "sorsele" {
		t.Fatalf("sorsele: version %d slug %s", vs.Version, ps.Slug)
	}
}

func TestServiceSetParameters(t *testing.T) {
	t.Parallel()
	w := newServiceWorld(t)
	_, err := w.svc.SetParameters(w.hr, 0, map[string]string{"max_agreement_months": "6"}, "Ingen version")
	storetest.WantCode(t, err, distans.ENOTFOUND)
	src := seedYAML(t, "bjurholm")
	_, err = w.svc.Save(w.hr, 0, src, "")
	storetest.Must(t, err)

	for _, tc := range []struct {
		name   string
		values map[string]string
		field  string
	}{
		{"below min", map[string]string{"max_agreement_months": "0"}, "parameters[max_agreement_months].value"},
		{"above max", map[string]string{"max_agreement_months": "4000"}, "parameters[max_agreement_months].value"},
		{"not a number", map[string]string{"max_agreement_months": "ett år"}, "parameters[max_agreement_months].value"},
		{"unknown", map[string]string{"no_such": "1"}, "parameters[no_such].value"},
		{"rule of law", map[string]string{"personal_data_incident_deadline_hours": "48"}, "parameters[personal_data_incident_deadline_hours].value"},
		{"nothing", map[string]string{}, "parameters"},
	} {
		_, err := w.svc.SetParameters(w.hr, 1, tc.values, "Prov")
		storetest.WantCode(t, err, distans.EINVALID)
		if f := err.(*distans.Error).Fields; len(f) != 1 || f[0].Field != tc.field {
			t.Fatalf("%s: fields %+v", tc.name, f)
		}
	}
	_, err = w.svc.SetParameters(w.emp, 1, map[string]string{"max_agreement_months": "6"}, "Prov")
	storetest.WantCode(t, err, distans.EFORBIDDEN)
	if _, v, _ := w.svc.Active(w.emp); v.Version != 1 {
		t.Fatalf("a refused change saved version %d", v.Version)
	}

	v2, err := w.svc.SetParameters(w.hr, 1, map[string]string{"follow_up_interval_days": " 401 "}, "Utvärdering vid nästa samtal")
	storetest.Must(t, err)
	if v2.Version != 2 || v2.Reason != "Utvärdering vid nästa samtal" {
		t.Fatalf("saved: %+v", v2)
	}
	// Only the version line changed and one value line was added: every
	// comment, blank line and line break is as it was.
	before, after := strings.Split(string(src), "\n"), strings.Split(v2.Source, "\n")
	if len(after) != len(before)+1 {
		t.Fatalf("%d lines, want %d", len(after), len(before)+1)
	}
	var changed []string
	j := 0
	for _, line := range after {
		if j < len(before) && line == before[j] {
			j++
			continue
		}
		changed = append(changed, strings.TrimSpace(line))
		if strings.HasPrefix(line, "version:") {
			j++
		}
	}
	if !slices.Equal(changed, []string{"version: 2", "value: 401"}) {
		t.Fatalf("changed lines: %q", changed)
	}
	p, _, err := w.svc.Active(w.emp)
	storetest.Must(t, err)
	if n, _ := p.Int("follow_up_interval_days"); n != 401 || p.Version != 2 {
		t.Fatalf("follow_up_interval_days = %d in version %d", n, p.Version)
	}
	// Setting it again replaces the value in place.
	v3, err := w.svc.SetParameters(w.hr, 2, map[string]string{"follow_up_interval_days": "730"}, "Vartannat år")
	storetest.Must(t, err)
	if strings.Contains(v3.Source, "value: 401") || !strings.Contains(v3.Source, "    value: 730\n") ||
		strings.Count(v3.Source, "\n") != strings.Count(v2.Source, "\n") || !strings.Contains(v3.Source, "# Läs så här") {
		t.Fatalf("version 3:\n%s", v3.Source[:min(len(v3.Source), 2000)])
	}
	_, err = w.svc.SetParameters(w.hr, 2, map[string]string{"follow_up_interval_days": "300"}, "Gammal flik")
	storetest.WantCode(t, err, distans.ECONFLICT)

	// Check cites the stored version.
	p, _, err = w.svc.Active(w.emp)
	storetest.Must(t, err)
	r, _ := p.Rule("bjurholm-11-max-length")
	rep, err := w.svc.Check(w.emp, "agreement", bytes.NewReader(r.Examples.Trip), r.Examples.Now)
	storetest.Must(t, err)
	i := slices.IndexFunc(rep.Findings, func(f policy.Finding) bool { return f.RuleID == r.ID })
	if rep.PackVersion != 3 || rep.Organisation != "bjurholm" || i < 0 || rep.Findings[i].PackVersion != 3 ||
		!strings.Contains(rep.Findings[i].MessageSv, "12 månader") || !rep.Blocking {
		t.Fatalf("report: %+v", rep)
	}
	_, err = w.svc.Check(w.emp, "agreement", strings.NewReader(`{"no_such_field": 1}`), r.Examples.Now)
	storetest.WantCode(t, err, distans.EINVALID)
	_, err = w.svc.Check(w.emp, "castle", strings.NewReader(`{}`), r.Examples.Now)
	storetest.WantCode(t, err, distans.EINVALID)

	// An organisation may move a parameter that the rule's examples pin
	// (its pass example runs a year): the examples show the rule at the
	// document's default, the checks use the organisation's value.
	_, err = w.svc.SetParameters(w.hr, 3, map[string]string{"max_agreement_months": "6"}, "Kortare överenskommelser")
	storetest.Must(t, err)
	rep, err = w.svc.Check(w.emp, "agreement", bytes.NewReader(r.Examples.Pass), r.Examples.Now)
	storetest.Must(t, err)
	i = slices.IndexFunc(rep.Findings, func(f policy.Finding) bool { return f.RuleID == r.ID })
	if rep.PackVersion != 4 || i < 0 || !strings.Contains(rep.Findings[i].MessageSv, "6 månader") || !rep.Blocking {
		t.Fatalf("a year's agreement against a 6-month maximum: %+v", rep)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	storetest.Must(t, err)
	return at
}

// TestServiceSetGenericValues: the settable parameters of the rules of law
// are set under generic_values, in place, as a new entry, or in a new
// mapping at the end; the rest of the text stays as it was.
func TestServiceSetGenericValues(t *testing.T) {
	t.Parallel()
	w := newServiceWorld(t)
	src := string(seedYAML(t, "bjurholm"))
	block := "generic_values:\n  cyber_security_act: true\n"
	if !strings.Contains(src, block) {
		t.Fatalf("bjurholm.yaml has no %q", block)
	}
	_, err := w.svc.Save(w.hr, 0, []byte(src), "")
	storetest.Must(t, err)

	v2, err := w.svc.SetParameters(w.hr, 1, map[string]string{"cyber_security_act": "nej", "data_subjects_deadline_hours": "48"}, "Egen bedömning")
	storetest.Must(t, err)
	want := strings.Replace(src, block, "generic_values:\n  cyber_security_act: false\n  data_subjects_deadline_hours: 48\n", 1)
	want = strings.Replace(want, "\nversion: 1\n", "\nversion: 2\n", 1)
	if v2.Source != want {
		t.Fatalf("version 2 differs from the expected text:\n%s", v2.Source)
	}
	p, _, err := w.svc.Active(w.emp)
	storetest.Must(t, err)
	if x, _ := p.Param("cyber_security_act"); x.Effective() != false {
		t.Errorf("cyber_security_act = %v", x.Effective())
	}
	if n, _ := p.Int("data_subjects_deadline_hours"); n != 48 {
		t.Errorf("data_subjects_deadline_hours = %d", n)
	}

	// A pack without generic_values gets the mapping at its end.
	w2 := newServiceWorld(t)
	bare := strings.Replace(src, block, "", 1)
	_, err = w2.svc.Save(w2.hr, 0, []byte(bare), "")
	storetest.Must(t, err)
	v2, err = w2.svc.SetParameters(w2.hr, 1, map[string]string{"cyber_security_act": "ja"}, "Kommunen omfattas")
	storetest.Must(t, err)
	if !strings.HasSuffix(v2.Source, "\ngeneric_values:\n  cyber_security_act: true\n") {
		t.Fatalf("version 2 ends %q", v2.Source[max(0, len(v2.Source)-200):])
	}
	p, _, err = w2.svc.Active(w2.emp)
	storetest.Must(t, err)
	if x, _ := p.Param("cyber_security_act"); x.Effective() != true {
		t.Errorf("cyber_security_act = %v", x.Effective())
	}
}

// countingPolicies counts the reads of a version's source.
type countingPolicies struct {
	distans.PolicyStore
	full, found int
}

func (c *countingPolicies) ActivePolicyVersion(ctx context.Context) (*distans.PolicyVersion, error) {
	c.full++
	return c.PolicyStore.ActivePolicyVersion(ctx)
}

func (c *countingPolicies) FindPolicyVersion(ctx context.Context, n int) (*distans.PolicyVersion, error) {
	c.found++
	return c.PolicyStore.FindPolicyVersion(ctx, n)
}

// TestServiceActiveReadsSourceOnce: every page asks for the active pack;
// an instance reads a version's source once, and a version saved through
// another instance is active here at the next call.
func TestServiceActiveReadsSourceOnce(t *testing.T) {
	t.Parallel()
	w := newServiceWorld(t)
	other := policy.NewService(w.s, w.s) // another instance
	v1, err := other.Save(w.hr, 0, seedYAML(t, "bjurholm"), "")
	storetest.Must(t, err)
	store := &countingPolicies{PolicyStore: w.s}
	svc := policy.NewService(store, w.s)
	for range 3 {
		p, v, err := svc.Active(w.emp)
		storetest.Must(t, err)
		if p.Version != v1.Version || v.Version != v1.Version || v.Source == "" {
			t.Fatalf("active: pack %d, version %+v", p.Version, v)
		}
		v.Source = "" // a caller's copy
	}
	if store.full != 0 || store.found != 1 {
		t.Fatalf("three calls read the whole active version %d times and found a version %d times; want 0 and 1", store.full, store.found)
	}
	src := bytes.Replace(seedYAML(t, "bjurholm"), []byte("version: 1"), []byte("version: 2"), 1)
	v2, err := other.Save(w.hr, v1.Version, src, "Ny version")
	storetest.Must(t, err)
	p, v, err := svc.Active(w.emp)
	storetest.Must(t, err)
	if p.Version != v2.Version || v.Version != v2.Version || v.Reason != "Ny version" || store.found != 2 {
		t.Fatalf("after a save elsewhere: pack %d, version %d %q, %d reads", p.Version, v.Version, v.Reason, store.found)
	}
}
