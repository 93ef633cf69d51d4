package distans

import "testing"

// TestInstallationRules holds who runs the installation and how an
// organisation's status may change.
func TestInstallationRules(t *testing.T) {
	t.Parallel()
	operator := &Actor{Operator: true, Name: "Olle"}
	admin := &Actor{OrganisationID: "o", PersonID: "p", Grants: []Grant{{Role: RoleAdmin}}}
	var nobody *Actor
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"an operator runs the installation", operator.RunsInstallation(), true},
		{"the console (system, no organisation) runs it", SystemActor("").RunsInstallation(), true},
		{"an organisation's system does not", SystemActor("o").RunsInstallation(), false},
		{"an organisation's administrator does not", admin.RunsInstallation(), false},
		{"an operator placed in an organisation does not", (&Actor{Operator: true, OrganisationID: "o"}).RunsInstallation(), false},
		{"nobody does not", nobody.RunsInstallation(), false},
		{"an operator manages no organisation", operator.ManagesOrganisation(), false},
		{"an operator sees no people", operator.Can(PermViewPeople), false},
		{"an operator sees no audit trail", operator.SeesAudit(), false},

		{"active admits sign-in", OrgActive.AdmitsSignIn(), true},
		{"suspended does not", OrgSuspended.AdmitsSignIn(), false},
		{"ended does not", OrgEnded.AdmitsSignIn(), false},
		{"active can be suspended", OrgActive.CanBecome(OrgSuspended), true},
		{"active can be ended", OrgActive.CanBecome(OrgEnded), true},
		{"active cannot be resumed", OrgActive.CanBecome(OrgActive), false},
		{"suspended can be resumed", OrgSuspended.CanBecome(OrgActive), true},
		{"suspended can be ended", OrgSuspended.CanBecome(OrgEnded), true},
		{"suspended cannot be suspended again", OrgSuspended.CanBecome(OrgSuspended), false},
		{"ended is final: not resumed", OrgEnded.CanBecome(OrgActive), false},
		{"ended is final: not suspended", OrgEnded.CanBecome(OrgSuspended), false},
		{"no unknown status", OrgActive.CanBecome("deleted"), false},
		{"labels are Swedish first", OrgSuspended.Label("sv") == "Avstängd" && OrgSuspended.Label("en") == "Suspended", true},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
