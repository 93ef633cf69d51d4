package distans

import "testing"

// TestActorRules holds each permission rule that the store, the pages and
// the API share against the roles of the documents.
func TestActorRules(t *testing.T) {
	t.Parallel()
	const x, x1, y = "/x/", "/x/x1/", "/y/"
	grant := func(r Role, path string) *Actor {
		return &Actor{OrganisationID: "o", PersonID: "p-" + string(r), Grants: []Grant{{Role: r, UnitPath: path}}}
	}
	chefX := grant(RoleManager, x)
	ownCase := &Agreement{PersonID: chefX.PersonID, UnitPath: x}
	caseX1 := &Agreement{PersonID: "e", UnitPath: x1}
	caseY := &Agreement{PersonID: "e", UnitPath: y}
	system := SystemActor("o")
	var nobody *Actor

	incX1 := &Incident{Kind: IncidentPersonalData, ReporterID: "e", UnitPath: x1}
	ownedInY := &Incident{Kind: IncidentIT, ReporterID: "e", UnitPath: y, OwnerID: "o1", OwnerUnitPath: x1}
	access := func(a *Actor, inc *Incident) IncidentAccess { return a.IncidentAccess(inc) }

	tests := []struct {
		name string
		got  bool
		want bool
	}{
		// Incidents: handlers by kind in full, managers of the reporter's
		// and the owner's unit without secrets, the reporter their report.
		{"coordinator sees every kind in full", access(grant(RoleSecurity, ""), ownedInY) == IncidentAccessFull, true},
		{"DPO sees personal data in full", access(grant(RoleDPO, ""), incX1) == IncidentAccessFull, true},
		{"DPO does not see IT incidents", access(grant(RoleDPO, ""), ownedInY) == IncidentNoAccess, true},
		{"IT sees IT incidents in full", access(grant(RoleIT, ""), ownedInY) == IncidentAccessFull, true},
		{"manager of the reporter's unit, no secrets", access(chefX, incX1) == IncidentAccessUnit, true},
		{"manager of the owner's unit, no secrets", access(chefX, ownedInY) == IncidentAccessUnit, true},
		{"manager elsewhere sees nothing", access(grant(RoleManager, y), incX1) == IncidentNoAccess, true},
		{"reporter sees the report", access(&Actor{OrganisationID: "o", PersonID: "e"}, incX1) == IncidentAccessReporter, true},
		{"owner sees in full", access(&Actor{OrganisationID: "o", PersonID: "o1"}, ownedInY) == IncidentAccessFull, true},
		{"union sees nothing", access(grant(RoleUnion, ""), incX1) == IncidentNoAccess, true},
		{"switchboard registers for others", grant(RoleSwitchboard, "").RegistersIncidentsForOthers(), true},
		{"employee does not", (&Actor{OrganisationID: "o", PersonID: "e"}).RegistersIncidentsForOthers(), false},
		// Who has not acknowledged: the unit's managers, HR and administrators.
		{"manager follows acknowledgements below", chefX.OutstandingScope().Contains(x1), true},
		{"manager does not follow beside", chefX.OutstandingScope().Contains(y), false},
		{"HR follows acknowledgements", grant(RoleHR, "").OutstandingScope().All, true},
		{"administrator follows acknowledgements", grant(RoleAdmin, "").OutstandingScope().All, true},
		{"DPO does not", grant(RoleDPO, "").OutstandingScope().None(), true},
		{"IT does not", grant(RoleIT, "").OutstandingScope().None(), true},
		{"switchboard does not", grant(RoleSwitchboard, "").OutstandingScope().None(), true},
		{"security coordinator does not", grant(RoleSecurity, "").OutstandingScope().None(), true},

		// Lock-outs: IT unlocks but sets no passwords; nobody acts on themselves.
		{"IT unlocks", grant(RoleIT, "").UnlocksAccountOf("e", x1), true},
		{"IT sets no password", grant(RoleIT, "").SetsPasswordOf("e", x1), false},
		{"HR unlocks", grant(RoleHR, "").UnlocksAccountOf("e", x1), true},
		{"HR sets passwords", grant(RoleHR, "").SetsPasswordOf("e", x1), true},
		{"HR does not set their own", grant(RoleHR, "").SetsPasswordOf("p-hr", x1), false},
		// Inviting everyone at once: the right in the whole organisation.
		{"HR of the organisation invites all", grant(RoleHR, "").SetsPasswordsOfAll(), true},
		{"HR of one unit does not invite all", grant(RoleHR, x).SetsPasswordsOfAll(), false},
		{"administrator invites all", grant(RoleAdmin, "").SetsPasswordsOfAll(), true},
		{"the system invites all", system.SetsPasswordsOfAll(), true},
		{"IT does not invite", grant(RoleIT, "").SetsPasswordsOfAll(), false},
		{"nobody does not invite", nobody.SetsPasswordsOfAll(), false},
		{"manager does not unlock", chefX.UnlocksAccountOf("e", x1), false},
		{"switchboard does not unlock", grant(RoleSwitchboard, "").UnlocksAccountOf("e", x1), false},

		// The manager of an agreement: decides over its unit, never their own.
		{"manager of the unit", chefX.ManagesAgreement(caseX1), true},
		{"manager beside", chefX.ManagesAgreement(caseY), false},
		{"manager's own case", chefX.ManagesAgreement(ownCase), false},
		{"HR reads but does not manage", grant(RoleHR, "").ManagesAgreement(caseX1), false},
		{"the system signs nothing", system.ManagesAgreement(caseX1), false},
		{"nobody", nobody.ManagesAgreement(caseX1), false},
		{"manager sees own case", chefX.SeesAgreement(ownCase), true},
		{"HR sees", grant(RoleHR, "").SeesAgreement(caseY), true},
		{"manager does not see beside", chefX.SeesAgreement(caseY), false},
		{"the system sees", system.SeesAgreement(caseY), true},
		{"the employee sees their own", (&Actor{PersonID: "e"}).SeesAgreement(caseY), true},

		// Team days: the unit's managers.
		{"manager sets team days below", chefX.SetsTeamDays(x1), true},
		{"manager does not set beside", chefX.SetsTeamDays(y), false},
		{"administrator does not set team days", grant(RoleAdmin, "").SetsTeamDays(x1), false},

		// Whole-organisation permissions need a grant without a unit.
		{"administrator of a unit manages no sites", grant(RoleAdmin, x).ManagesSites(), false},
		{"administrator manages sites", grant(RoleAdmin, "").ManagesSites(), true},
		{"DPO of a unit reads no audit trail", grant(RoleDPO, x).SeesAudit(), false},
		{"DPO reads the audit trail", grant(RoleDPO, "").SeesAudit(), true},
		{"HR of a unit edits no policy", grant(RoleHR, x).ManagesPolicy(), false},

		// People: a person not yet placed is anyone's who manages people.
		{"HR of X manages the unplaced", grant(RoleHR, x).ManagesPerson(""), true},
		{"HR of X does not manage Y", grant(RoleHR, x).ManagesPerson(y), false},
		{"manager sees leave below", chefX.SeesLeaveOf("e", x1), true},
		{"switchboard sees no leave", grant(RoleSwitchboard, "").SeesLeaveOf("e", x1), false},
		{"switchboard reads work mobiles", grant(RoleSwitchboard, "").ReadsWorkMobileOf("e", x1), true},
		{"manager reads no work mobiles", chefX.ReadsWorkMobileOf("e", x1), false},
		{"HR of a unit creates people", grant(RoleHR, x).ManagesPeopleSomewhere(), true},
		{"manager creates no people", chefX.ManagesPeopleSomewhere(), false},
		{"HR creates no units", grant(RoleHR, "").ManagesUnitsSomewhere(), false},
		{"HR grants no roles", grant(RoleHR, "").GrantsRolesSomewhere(), false},
		{"manager keeps some unit", chefX.KeepsAnyUnit(), true},
		{"HR keeps no unit", grant(RoleHR, "").KeepsAnyUnit(), false},

		// Phone hours (Sorsele 004 §3): none without the kommunchef's
		// exception; the approver records it and may then save the hours
		// where they hold the role, never without a decision.
		{"approver decides exceptions", grant(PhoneHoursApprover, x).DecidesPhoneHoursExceptions(), true},
		{"the system records decisions made", system.DecidesPhoneHoursExceptions(), true},
		{"manager decides no exception", chefX.DecidesPhoneHoursExceptions(), false},
		{"administrator decides no exception", grant(RoleAdmin, "").DecidesPhoneHoursExceptions(), false},
		{"nobody decides", nobody.DecidesPhoneHoursExceptions(), false},
		{"approver keeps hours below with a decision", grant(PhoneHoursApprover, x).KeepsPhoneHoursIn(x1, true), true},
		{"approver keeps no hours without one", grant(PhoneHoursApprover, x).KeepsPhoneHoursIn(x1, false), false},
		{"approver keeps no hours beside", grant(PhoneHoursApprover, x).KeepsPhoneHoursIn(y, true), false},
		{"manager keeps the unit's hours", chefX.KeepsUnitPhoneHours(x1, false), true},
		{"manager keeps none beside", chefX.KeepsUnitPhoneHours(y, true), false},
		{"administrator keeps the unit's hours", grant(RoleAdmin, "").KeepsUnitPhoneHours(y, false), true},
		{"approver keeps the unit's hours with a decision", grant(PhoneHoursApprover, "").KeepsUnitPhoneHours(y, true), true},
		{"approver keeps no unit's hours without one", grant(PhoneHoursApprover, "").KeepsUnitPhoneHours(y, false), false},
		{"HR keeps no unit's hours", grant(RoleHR, "").KeepsUnitPhoneHours(y, true), false},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}
