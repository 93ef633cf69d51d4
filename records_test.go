package distans_test

import (
	"slices"
	"testing"
	"time"

	"github.com/distans/distans"
)

// TestKeepsRegister: the registrator keeps the register where the role
// holds; no other role does, administrators included.
func TestKeepsRegister(t *testing.T) {
	t.Parallel()
	grant := func(r distans.Role, path string) *distans.Actor {
		return &distans.Actor{OrganisationID: "o", PersonID: "p", Grants: []distans.Grant{{Role: r, UnitPath: path}}}
	}
	for _, c := range []struct {
		name  string
		a     *distans.Actor
		keeps bool
		scope distans.Scope
	}{
		{"registrator, organisation", grant(distans.RoleRegistrar, ""), true, distans.Scope{All: true}},
		{"registrator, subtree", grant(distans.RoleRegistrar, "/a/"), true, distans.Scope{UnitPaths: []string{"/a/"}}},
		{"system", distans.SystemActor("o"), true, distans.Scope{All: true}},
		{"nobody", nil, false, distans.Scope{}},
	} {
		if got := c.a.KeepsRegister(); got != c.keeps {
			t.Errorf("%s: KeepsRegister %v", c.name, got)
		}
		if c.a != nil {
			if got := c.a.RegisterScope(); got.All != c.scope.All || !slices.Equal(got.UnitPaths, c.scope.UnitPaths) {
				t.Errorf("%s: scope %+v", c.name, got)
			}
		}
	}
	for _, r := range distans.Roles {
		if r != distans.RoleRegistrar && grant(r, "").KeepsRegister() {
			t.Errorf("%s keeps the register", r)
		}
	}
}

// TestRegisterSubjects: subjects come from the kind of case alone, and
// the reporter is named only for kinds that identify nobody's health or
// safety.
func TestRegisterSubjects(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		e      distans.RegisterEntry
		sv, en string
	}{
		{distans.RegisterEntry{Kind: distans.RegisterAgreement}, "Distansarbete – överenskommelse", "Remote work – agreement"},
		{distans.RegisterEntry{Kind: distans.RegisterIncident, IncidentKind: distans.IncidentPersonalData}, "Personuppgiftsincident", "Personal-data breach"},
		{distans.RegisterEntry{Kind: distans.RegisterIncident, IncidentKind: "unknown"}, "Incident, övrig", "Incident, other"},
		{distans.RegisterEntry{Kind: distans.RegisterEquipmentLoss, LossKind: distans.LossLost,
			Items: []distans.EquipmentCategory{distans.EquipmentPhone, distans.EquipmentSIM, distans.EquipmentPhone}},
			"Förlust av utrustning: mobiltelefon, SIM-kort", "Loss of equipment: mobile phone, SIM card"},
		{distans.RegisterEntry{Kind: distans.RegisterEquipmentLoss, LossKind: distans.LossStolen}, "Stöld av utrustning", "Theft of equipment"},
	} {
		if got := c.e.Subject("sv"); got != c.sv {
			t.Errorf("%+v: %q, want %q", c.e, got, c.sv)
		}
		if got := c.e.Subject("en"); got != c.en {
			t.Errorf("%+v: %q, want %q", c.e, got, c.en)
		}
	}
	for k, shown := range map[distans.IncidentKind]bool{distans.IncidentPersonalData: false, distans.IncidentSecurity: false,
		distans.IncidentThreat: false, distans.IncidentWorkInjury: false, distans.IncidentIT: true, distans.IncidentTheft: true,
		distans.IncidentEquipmentLoss: true, distans.IncidentOther: true} {
		if distans.RegisterShowsReporter(k) != shown {
			t.Errorf("%s: shows the reporter %v", k, !shown)
		}
	}
	m := distans.MatchRegisterSubjects("MOBIL")
	if m.Agreement || len(m.IncidentKinds) > 0 || !slices.Equal(m.Categories, []distans.EquipmentCategory{distans.EquipmentPhone, distans.EquipmentMobileBroadband}) {
		t.Errorf("match %+v", m)
	}
}

// TestRegisterCursor: a cursor reads back; anything else is EINVALID.
func TestRegisterCursor(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 9, 30, 0, 123456000, time.UTC)
	e := distans.RegisterEntry{Number: "FÖR 2026/0003", RegisteredAt: at}
	gotAt, n, err := distans.ParseRegisterCursor(e.Cursor())
	if err != nil || !gotAt.Equal(at) || n != e.Number {
		t.Errorf("%v %v %q", err, gotAt, n)
	}
	for _, bad := range []string{"", "x", "YWJj"} {
		if _, _, err := distans.ParseRegisterCursor(bad); distans.ErrorCode(err) != distans.EINVALID {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
