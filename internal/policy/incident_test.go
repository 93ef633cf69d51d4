package policy

import (
	"slices"
	"testing"
	"time"

	"cel.dev/cel-go/common/types"

	"github.com/distans/distans"
)

// TestIncidentKindsMatchDomain: the policy's incident kinds are the
// domain's, in the same order, so a pack's rules run on a real record
// unchanged and the check form lists what the report form lists.
func TestIncidentKindsMatchDomain(t *testing.T) {
	t.Parallel()
	var domain []string
	for _, k := range distans.IncidentKinds {
		domain = append(domain, string(k))
	}
	if !slices.Equal(incidentKinds, domain) {
		t.Errorf("incident kinds %v, distans.IncidentKinds %v", incidentKinds, domain)
	}
	var severities []string
	for _, s := range distans.IncidentSeverities {
		severities = append(severities, string(s))
	}
	if !slices.Equal(incidentSeverities[1:], severities) || incidentSeverities[0] != "" {
		t.Errorf("incident severities %v, distans.IncidentSeverities %v (after the empty one)", incidentSeverities, severities)
	}
}

// TestIncidentOf: the mapping carries every fact the rules read, and a
// filed notification's time is copied, not shared.
func TestIncidentOf(t *testing.T) {
	t.Parallel()
	discovered := time.Date(2026, 3, 28, 20, 0, 0, 0, time.UTC)
	filed := discovered.Add(5 * time.Hour)
	inc := &distans.Incident{Kind: distans.IncidentWorkInjury, DiscoveredAt: discovered, Severity: distans.SeveritySerious,
		Ongoing: true, CyberSignificant: true, InjurySerious: true, OutsidePremises: true}
	got := IncidentOf(inc, &filed)
	want := Incident{Kind: "work_injury", DiscoveredAt: discovered, Severity: "serious", Ongoing: true,
		CyberSignificant: true, InjurySerious: true, OutsidePremises: true}
	if got.IMYFiledAt == nil || !got.IMYFiledAt.Equal(filed) {
		t.Fatalf("IMYFiledAt = %v, want %v", got.IMYFiledAt, filed)
	}
	filed = filed.Add(time.Hour)
	if got.IMYFiledAt.Equal(filed) {
		t.Error("IncidentOf shares the caller's time")
	}
	got.IMYFiledAt = nil
	if *got != want {
		t.Errorf("IncidentOf = %+v, want %+v", *got, want)
	}
	if in := IncidentOf(&distans.Incident{Kind: distans.IncidentIT, DiscoveredAt: discovered}, nil); in.IMYFiledAt != nil || in.Severity != "" {
		t.Errorf("an untriaged record maps to %+v", in)
	}
	// Every kind of record is input the rules accept.
	p, err := Seed("kristianstad")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range distans.IncidentKinds {
		for _, s := range append([]distans.IncidentSeverity{""}, distans.IncidentSeverities...) {
			rec := &distans.Incident{Kind: k, Severity: s, DiscoveredAt: discovered}
			if _, err := p.Check(KindIncident, IncidentOf(rec, nil), discovered.Add(time.Hour)); err != nil {
				t.Errorf("%s/%s: %v", k, s, err)
			}
		}
	}
}

// TestEquipmentEnumsMatchDomain: the loss kinds and the registry's
// categories are the domain's, so a loss report's facts run on the rules
// unchanged.
func TestEquipmentEnumsMatchDomain(t *testing.T) {
	t.Parallel()
	var kinds, cats []string
	for _, k := range distans.LossKinds {
		kinds = append(kinds, string(k))
	}
	for _, c := range distans.EquipmentCategories {
		cats = append(cats, string(c))
	}
	if !slices.Equal(lossKinds, kinds) || !slices.Equal(itemCategories, cats) {
		t.Errorf("loss kinds %v, categories %v; domain %v, %v", lossKinds, itemCategories, kinds, cats)
	}
	if !slices.Equal(distans.LossSteps, duties[KindLoss]) {
		t.Errorf("loss duties %v, distans.LossSteps %v", duties[KindLoss], distans.LossSteps)
	}
	for _, c := range distans.EquipmentCategories {
		if k := c.AgreementEquipmentKind(); k != "" && !slices.Contains(equipmentKinds, k) {
			t.Errorf("%s maps to %q, not an equipment kind", c, k)
		}
	}
}

// TestLossOf: the mapping carries the kind, each category once, where,
// who reported and the two times.
func TestLossOf(t *testing.T) {
	t.Parallel()
	disc := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	l := &distans.EquipmentLoss{Kind: distans.LossStolen, OutsidePremises: true, DiscoveredAt: disc,
		Items: []distans.HandoverItem{{Category: distans.EquipmentPhone}, {Category: distans.EquipmentSIM}, {Category: distans.EquipmentPhone}}}
	in := LossOf(l, true, disc.Add(time.Hour))
	if in.Kind != "stolen" || !slices.Equal(in.Categories, []string{"phone", "sim"}) || !in.OutsidePremises ||
		!in.ReportedByManager || !in.DiscoveredAt.Equal(disc) || !in.ReportedAt.Equal(disc.Add(time.Hour)) {
		t.Errorf("LossOf = %+v", in)
	}
	f, err := in.facts(disc.Add(2 * time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.ResolveName("has_sim"); v != types.True {
		t.Errorf("has_sim = %v", v)
	}
	in.ReportedAt = disc.Add(-time.Hour)
	if _, err := in.facts(disc); distans.ErrorCode(err) != distans.EINVALID {
		t.Errorf("reported before discovered: %v", err)
	}
}
