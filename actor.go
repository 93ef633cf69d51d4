package distans

import (
	"context"
	"slices"
	"strings"
)

// Role is a role a person holds, scoped to a unit subtree or to the whole
// organisation. The values are the Swedish role names of the documents and
// appear in the API.
type Role string

const (
	RoleEmployee    Role = "medarbetare"
	RoleManager     Role = "chef"
	RoleHR          Role = "hr"
	RoleIT          Role = "it"
	RoleSecurity    Role = "informationssakerhetssamordnare"
	RoleDPO         Role = "dataskyddsombud"
	RoleSwitchboard Role = "vaxel"
	RoleRegistrar   Role = "registrator"
	RoleLeadership  Role = "ledning"
	RoleUnion       Role = "facklig_foretradare"
	RoleAdmin       Role = "administrator"
)

// Roles lists every role in the order the pages show them.
var Roles = []Role{RoleEmployee, RoleManager, RoleHR, RoleIT, RoleSecurity, RoleDPO,
	RoleSwitchboard, RoleRegistrar, RoleLeadership, RoleUnion, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Label returns the role's name for people to read.
func (r Role) Label(lang string) string {
	l, ok := roleLabels[r]
	if !ok {
		return string(r)
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

var roleLabels = map[Role][2]string{
	RoleEmployee:    {"Medarbetare", "Employee"},
	RoleManager:     {"Chef", "Manager"},
	RoleHR:          {"HR", "HR"},
	RoleIT:          {"IT", "IT"},
	RoleSecurity:    {"Informationssäkerhetssamordnare", "Information security coordinator"},
	RoleDPO:         {"Dataskyddsombud", "Data protection officer"},
	RoleSwitchboard: {"Växel", "Switchboard"},
	RoleRegistrar:   {"Registrator", "Registrar"},
	RoleLeadership:  {"Förvaltningsledning", "Management"},
	RoleUnion:       {"Facklig företrädare", "Union representative"},
	RoleAdmin:       {"Administratör", "Administrator"},
}

// Permission is one thing a role allows. Every handler and every store query
// asks the same question, Actor.Scope(permission), and filters by the answer.
type Permission string

const (
	PermViewPeople     Permission = "people.view"       // names, contact details, units, employments
	PermManagePeople   Permission = "people.manage"     // create, edit and end people, employments, leave
	PermViewSecret     Permission = "people.secret"     // personal identity numbers (audited)
	PermManageUnits    Permission = "units.manage"      // create, edit and end units
	PermManageSites    Permission = "sites.manage"      // create, edit and end sites
	PermManageRoles    Permission = "roles.manage"      // grant and end roles
	PermViewAudit      Permission = "audit.view"        // the audit trail
	PermViewAggregates Permission = "reports.aggregate" // counts without personal data
	PermManageOrg      Permission = "organisation.manage"
	PermManageSignIn   Permission = "signin.manage" // set passwords, SSO settings; unlocking is PermUnlockAccounts
	PermManagePolicy   Permission = "policy.manage" // edit the policy pack, publish policy documents
	// PermViewAgreements reads remote-work agreements, the remote place
	// included (audited); PermDecideAgreements assesses, decides, signs as
	// the manager, follows up and ends them (002 §3: the nearest manager).
	PermViewAgreements   Permission = "agreements.view"
	PermDecideAgreements Permission = "agreements.decide"
	// PermUnlockAccounts lifts a lock-out and nothing more: the lock
	// message sends people to IT support (Kristianstads kommun,
	// Instruktion för digital kommunikation, Lösenord: contact
	// IT-Servicedesk), who need not thereby set passwords.
	PermUnlockAccounts Permission = "signin.unlock"
	// PermFollowAcknowledgements sees who has not acknowledged a required
	// document: the unit's managers see to it that their staff have
	// (Kristianstads kommun, Instruktion för digital kommunikation,
	// Utbildning), HR and administrators keep the records.
	PermFollowAcknowledgements Permission = "documents.outstanding"
	// PermImport brings units, sites, people, employments, managers, roles
	// and leave in from the HR system's files (Actor.Imports).
	PermImport Permission = "organisation.import"
	// PermKeepRegister keeps the register (diarium) of the cases Distans
	// numbers (Actor.RegisterScope).
	PermKeepRegister Permission = "records.register"
)

// rolePermissions is the one table that says what each role may do. The scope
// of the role assignment (a unit subtree or the whole organisation) limits
// where the permission holds.
var rolePermissions = map[Role][]Permission{
	RoleEmployee: nil, // every person sees and edits their own profile without a role
	RoleManager: {PermViewPeople, PermViewAggregates, PermViewAgreements, PermDecideAgreements,
		PermFollowAcknowledgements},
	RoleHR: {PermViewPeople, PermManagePeople, PermViewSecret, PermViewAggregates, PermManageSignIn, PermUnlockAccounts,
		PermManagePolicy, PermViewAgreements, PermFollowAcknowledgements},
	RoleIT:          {PermViewPeople, PermUnlockAccounts},
	RoleSecurity:    {PermViewPeople, PermViewAudit},
	RoleDPO:         {PermViewPeople, PermViewAudit},
	RoleSwitchboard: {PermViewPeople},
	RoleRegistrar:   {PermViewPeople, PermKeepRegister},
	RoleLeadership:  {PermViewAggregates},
	RoleUnion:       {PermViewAggregates},
	RoleAdmin: {PermViewPeople, PermManagePeople, PermManageUnits, PermManageSites, PermManageRoles,
		PermViewAudit, PermManageOrg, PermManageSignIn, PermUnlockAccounts, PermViewAggregates, PermManagePolicy,
		PermFollowAcknowledgements, PermImport},
}

// Allows reports whether role r grants permission p.
func (r Role) Allows(p Permission) bool { return slices.Contains(rolePermissions[r], p) }

// Grant is one role a person holds: in the whole organisation when UnitPath
// is empty, otherwise in the unit whose materialised path is UnitPath and
// everything below it.
type Grant struct {
	Role     Role
	UnitID   string
	UnitPath string
}

// Actor is who is acting: a signed-in person, an API token's person, or the
// system itself (demo loading, migrations, background jobs).
type Actor struct {
	OrganisationID string
	PersonID       string
	Name           string
	Language       string // "sv" or "en": the person's choice, else the organisation's
	Grants         []Grant
	System         bool // true only for work the binary does on its own behalf
	// Operator is an installation administrator signed in on the /drift
	// pages (RunsInstallation); PersonID and OrganisationID are empty.
	Operator bool
	// Provisioning is the organisation's identity system acting through
	// its SCIM token (Provisions); PersonID is empty and Grants none.
	Provisioning bool
	// Self is the person's own record and organisation as authentication
	// read them, for FindSelf; nil when nobody read them (the system,
	// operators, SCIM, actors made by hand).
	Self *Self
}

// Scope is where an actor holds a permission: everywhere in the organisation
// (All), in some unit subtrees (UnitPaths), or nowhere. A store turns it into
// a WHERE clause; a handler asks Allows for one record.
type Scope struct {
	All       bool
	UnitPaths []string
}

// None reports whether the scope is empty.
func (s Scope) None() bool { return !s.All && len(s.UnitPaths) == 0 }

// Contains reports whether a record in the unit at unitPath is in scope.
func (s Scope) Contains(unitPath string) bool {
	if s.All {
		return true
	}
	for _, p := range s.UnitPaths {
		if unitPath != "" && strings.HasPrefix(unitPath, p) {
			return true
		}
	}
	return false
}

// Scope returns where the actor holds permission p.
func (a *Actor) Scope(p Permission) Scope {
	return a.scopeOf(func(g Grant) bool { return g.Role.Allows(p) })
}

// RoleScope is where the actor holds role r itself, not through a
// permission that another role also grants: managers keep their people's
// availability, phone hours and on-call phones although their role does
// not manage people's records.
func (a *Actor) RoleScope(r Role) Scope {
	return a.scopeOf(func(g Grant) bool { return g.Role == r })
}

// scopeOf is where the actor holds the grants that count: everywhere for
// the system or for a grant without a unit, else the grants' units.
func (a *Actor) scopeOf(counts func(Grant) bool) Scope {
	if a == nil {
		return Scope{}
	}
	if a.System {
		return Scope{All: true}
	}
	var s Scope
	for _, g := range a.Grants {
		if !counts(g) {
			continue
		}
		if g.UnitPath == "" {
			return Scope{All: true}
		}
		if !slices.Contains(s.UnitPaths, g.UnitPath) {
			s.UnitPaths = append(s.UnitPaths, g.UnitPath)
		}
	}
	return s
}

// KeepsUnit reports whether the actor may keep the phone hours and on-call
// phones of the unit at unitPath: its managers (Sorsele 004 §6: managers
// tell the switchboard which on-call phones are in use) and whoever
// manages units there. The store and the pages share this one rule.
func (a *Actor) KeepsUnit(unitPath string) bool {
	return a.RoleScope(RoleManager).Contains(unitPath) || a.Scope(PermManageUnits).Contains(unitPath)
}

// The rules below decide one thing each. The store enforces them; the
// pages and the API ask the same method only to decide what to offer, so
// that a page and the API cannot answer the same question differently.

// KeepsAnyUnit reports whether the actor keeps some unit's phone hours and
// on-call phones (KeepsUnit somewhere), for offering the forms at all.
func (a *Actor) KeepsAnyUnit() bool {
	return !a.RoleScope(RoleManager).None() || a.Can(PermManageUnits)
}

// DecidesPhoneHoursExceptions reports whether the actor may record the
// exception that lets a person or unit have phone hours at all: Sorsele
// kommun, Policy för telefoni, mobilteknisk utrustning samt
// e-postanvändning, 3. Telefontider allows none unless the kommunchef
// decides on an exception, which Distans holds as PhoneHoursApprover
// (and the system, which loads decisions already made). The store refuses
// an exception from anyone else before it reads the hours; the presence
// service before it checks them against the pack; the form offers the
// reason field only to them.
func (a *Actor) DecidesPhoneHoursExceptions() bool {
	return a != nil && (a.System || a.HasRole(PhoneHoursApprover))
}

// KeepsPhoneHoursIn reports whether the actor may save the phone hours of
// a person or unit at unitPath by virtue of the exception: the approver,
// where they hold the role, saves them with the decision they record
// (withException), and never without one.
func (a *Actor) KeepsPhoneHoursIn(unitPath string, withException bool) bool {
	return withException && a.RoleScope(PhoneHoursApprover).Contains(unitPath)
}

// KeepsUnitPhoneHours reports whether the actor may save the phone hours
// of the unit at unitPath: those who keep the unit (KeepsUnit), and the
// approver with an exception (KeepsPhoneHoursIn). The pages pass
// DecidesPhoneHoursExceptions for withException, to offer the form to
// whoever could save it with a decision.
func (a *Actor) KeepsUnitPhoneHours(unitPath string, withException bool) bool {
	return a.KeepsUnit(unitPath) || a.KeepsPhoneHoursIn(unitPath, withException)
}

// ManagesAgreement reports whether the actor acts as the manager of the
// agreement ag: the nearest manager decides (Bjurholms kommun,
// Riktlinjer för distansarbete, 3. Distansarbete), so PermDecideAgreements over the
// case's unit, and never in one's own case. The system is no manager: it
// signs nothing.
func (a *Actor) ManagesAgreement(ag *Agreement) bool {
	return a != nil && !a.System && a.PersonID != "" && a.PersonID != ag.PersonID &&
		a.Scope(PermDecideAgreements).Contains(ag.UnitPath)
}

// IsAgreementEmployee reports whether ag is the actor's own case.
func (a *Actor) IsAgreementEmployee(ag *Agreement) bool {
	return a != nil && !a.System && a.PersonID != "" && a.PersonID == ag.PersonID
}

// AgreementScope is where the actor sees other people's agreements: where
// they read them (HR) or decide them (managers).
func (a *Actor) AgreementScope() Scope {
	return a.scopeOf(func(g Grant) bool {
		return g.Role.Allows(PermViewAgreements) || g.Role.Allows(PermDecideAgreements)
	})
}

// SeesAgreement reports whether the actor may read the agreement ag, the
// remote place included (its read is audited): the person, the managers
// and HR in scope, and the system.
func (a *Actor) SeesAgreement(ag *Agreement) bool {
	return a != nil && (a.System || a.IsAgreementEmployee(ag) || a.AgreementScope().Contains(ag.UnitPath))
}

// SetsTeamDays reports whether the actor may set and remove the team days
// of the unit at unitPath: its managers (chef), as they call the team in.
func (a *Actor) SetsTeamDays(unitPath string) bool {
	return a.RoleScope(RoleManager).Contains(unitPath)
}

// OutstandingScope is where the actor may see who has not acknowledged a
// required document.
func (a *Actor) OutstandingScope() Scope { return a.Scope(PermFollowAcknowledgements) }

// SeesUtilisation reports whether the actor may see the desk utilisation
// figures: counts of sites, never of people, for those who read
// aggregates or keep the sites.
func (a *Actor) SeesUtilisation() bool { return a.Can(PermViewAggregates) || a.Can(PermManageSites) }

// ManagesSites reports whether the actor may create and change sites,
// desks and booking rules: sites belong to no unit, so the permission
// must hold in the whole organisation.
func (a *Actor) ManagesSites() bool { return a.Scope(PermManageSites).All }

// ManagesPolicy reports whether the actor may edit the policy pack and
// publish documents; the pack is the organisation's, so the permission
// must hold in the whole organisation.
func (a *Actor) ManagesPolicy() bool { return a.Scope(PermManagePolicy).All }

// ManagesOrganisation reports whether the actor may change the
// organisation's settings.
func (a *Actor) ManagesOrganisation() bool { return a.Scope(PermManageOrg).All }

// Imports reports whether the actor may import from the HR system's files
// and see imports: an import creates and moves units, people and roles
// anywhere, so the permission must hold in the whole organisation.
func (a *Actor) Imports() bool { return a.Scope(PermImport).All }

// Provisions reports whether the actor is the organisation's provisioning
// client (SCIM): it may create, change and deactivate people and their
// employments, create units for departments when the organisation asks
// for that, and grant and end the roles its groups are mapped to, and
// nothing else: it holds no grants, so every other permission is refused.
func (a *Actor) Provisions() bool {
	return a != nil && a.Provisioning && !a.System && a.OrganisationID != "" && a.PersonID == ""
}

// SeesAudit reports whether the actor may read the audit trail; events are
// not tied to units, so the permission must hold in the whole organisation.
func (a *Actor) SeesAudit() bool { return a.Scope(PermViewAudit).All }

// ReadsWorkMobileOf reports whether the actor may read the work mobile
// number of the person personID in the unit at unitPath: the person, the
// switchboard, which puts calls through, and whoever manages people there;
// colleagues' mobile numbers are not given out (Sorsele kommun, Policy för
// telefoni, mobilteknisk utrustning samt e-postanvändning, 2.
// Telefonnummer).
func (a *Actor) ReadsWorkMobileOf(personID, unitPath string) bool {
	return a != nil && (a.System || a.PersonID == personID || a.HasRole(RoleSwitchboard) ||
		a.Scope(PermManagePeople).Contains(unitPath))
}

// ManagesPeopleSomewhere, ManagesUnitsSomewhere and GrantsRolesSomewhere
// report whether the actor holds the permission anywhere: whoever does not
// is refused before their input is read, by the store, the forms and the
// API alike, so that they learn nothing from how it would be validated.
// Where the permission holds is decided per record after that.
func (a *Actor) ManagesPeopleSomewhere() bool { return a.Can(PermManagePeople) }

// ManagesUnitsSomewhere: see ManagesPeopleSomewhere.
func (a *Actor) ManagesUnitsSomewhere() bool { return a.Can(PermManageUnits) }

// GrantsRolesSomewhere: see ManagesPeopleSomewhere.
func (a *Actor) GrantsRolesSomewhere() bool { return a.Can(PermManageRoles) }

// ManagesPerson reports whether the actor may change the record of a
// person in the unit at unitPath: PermManagePeople there. A person not yet
// placed in any unit (unitPath empty) may be managed by anyone who manages
// people somewhere, so that HR of a subtree can give a new person their
// first employment.
func (a *Actor) ManagesPerson(unitPath string) bool {
	sc := a.Scope(PermManagePeople)
	if unitPath == "" {
		return !sc.None()
	}
	return sc.Contains(unitPath)
}

// SeesLeaveOf reports whether the actor may see the kind of leave of the
// person personID in the unit at unitPath: the person, those who manage
// people there (HR) and the person's managers, never the switchboard or
// colleagues.
func (a *Actor) SeesLeaveOf(personID, unitPath string) bool {
	return a != nil && (a.System || a.PersonID == personID || a.Scope(PermManagePeople).Contains(unitPath) ||
		a.RoleScope(RoleManager).Contains(unitPath))
}

// RevealsPersonalNumberOf reports whether the actor may read the personal
// identity number of someone in the unit at unitPath (the read is audited).
func (a *Actor) RevealsPersonalNumberOf(unitPath string) bool {
	return a.Scope(PermViewSecret).Contains(unitPath)
}

// SetsPasswordOf reports whether the actor may set the password of someone
// in the unit at unitPath, never their own (they change it themselves).
func (a *Actor) SetsPasswordOf(personID, unitPath string) bool {
	return a != nil && personID != a.PersonID && a.Scope(PermManageSignIn).Contains(unitPath)
}

// SetsPasswordsOfAll reports whether the actor may set the password of
// everyone in the organisation but themselves (SetsPasswordOf everywhere),
// as inviting everyone who still needs a password at once asks: a batch
// that reached only part of the organisation would leave the rest
// unexplained.
func (a *Actor) SetsPasswordsOfAll() bool { return a.Scope(PermManageSignIn).All }

// UnlocksAccountOf reports whether the actor may lift the lock-out of
// someone in the unit at unitPath, never their own (a locked-out person
// is not signed in).
func (a *Actor) UnlocksAccountOf(personID, unitPath string) bool {
	return a != nil && personID != a.PersonID && a.Scope(PermUnlockAccounts).Contains(unitPath)
}

// incidentHandlers is the one table of who handles which kinds of
// incident in full: the information-security coordinator triages every
// kind (Kristianstads kommun, Instruktion för digital kommunikation,
// Incidenthantering); the data protection officer is brought in on
// personal-data incidents (Vara kommun, 001 §2.7); IT handles IT,
// theft and equipment incidents (Bjurholms kommun, 002 §6 and §9.5: loss,
// damage and virus reported to IT); HR handles work injuries, the
// employer's reports to Arbetsmiljöverket and Försäkringskassan.
var incidentHandlers = map[Role][]IncidentKind{
	RoleSecurity: IncidentKinds,
	RoleDPO:      {IncidentPersonalData},
	RoleIT:       {IncidentIT, IncidentTheft, IncidentEquipmentLoss},
	RoleHR:       {IncidentWorkInjury},
}

// HandlesIncidentsIn is where the actor handles incidents of kind k: the
// scope of their grants whose role handles k (incidentHandlers). The
// store turns it into SQL per kind; IncidentAccess decides one record.
func (a *Actor) HandlesIncidentsIn(k IncidentKind) Scope {
	return a.scopeOf(func(g Grant) bool { return slices.Contains(incidentHandlers[g.Role], k) })
}

// IncidentHandlerRoles returns the roles that handle incidents of kind k
// (incidentHandlers), in the order of Roles: whom the store tells of a
// new incident of the kind.
func IncidentHandlerRoles(k IncidentKind) []Role {
	var out []Role
	for _, r := range Roles {
		if slices.Contains(incidentHandlers[r], k) {
			out = append(out, r)
		}
	}
	return out
}

// HandlesIncidents reports whether the actor handles some kind of incident
// somewhere, for offering the queue at all.
func (a *Actor) HandlesIncidents() bool {
	for _, k := range IncidentKinds {
		if !a.HandlesIncidentsIn(k).None() {
			return true
		}
	}
	return false
}

// IncidentAccess is how much of inc the actor sees: everything for its
// handlers and its owner, the incident without its secret fields for the
// managers of the reporter's unit and of the owner's (who are escalated
// to when a deadline passes), the report and its status for the
// reporter, and nothing for anyone else (the union sees aggregates only,
// through the reports).
func (a *Actor) IncidentAccess(inc *Incident) IncidentAccess {
	switch {
	case a == nil:
		return IncidentNoAccess
	case a.System, a.HandlesIncidentsIn(inc.Kind).Contains(inc.UnitPath),
		a.PersonID != "" && a.PersonID == inc.OwnerID:
		return IncidentAccessFull
	case a.PersonID != "" && a.PersonID != inc.ReporterID &&
		(a.RoleScope(RoleManager).Contains(inc.UnitPath) || a.RoleScope(RoleManager).Contains(inc.OwnerUnitPath)):
		return IncidentAccessUnit
	case a.PersonID != "" && (a.PersonID == inc.ReporterID || a.PersonID == inc.RegisteredByID):
		return IncidentAccessReporter
	}
	return IncidentNoAccess
}

// HandlesIncident reports whether the actor may triage and handle inc:
// record its duties, assess, notify, add measures, close. The owner
// handles it as well; the system does not (it decides nothing).
func (a *Actor) HandlesIncident(inc *Incident) bool {
	return a != nil && !a.System && a.PersonID != "" &&
		(a.HandlesIncidentsIn(inc.Kind).Contains(inc.UnitPath) || a.PersonID == inc.OwnerID)
}

// RegistersIncidentsForOthers reports whether the actor may register an
// incident for someone who phones: the switchboard, and those who handle
// incidents.
func (a *Actor) RegistersIncidentsForOthers() bool {
	return a != nil && !a.System && (a.HasRole(RoleSwitchboard) || a.HandlesIncidents())
}

// Equipment rules. IT keeps the registry (Sorsele kommun, Policy för
// telefoni, mobilteknisk utrustning samt e-postanvändning, 8: IT-enheten
// blocks SIM cards and issues equipment; Bjurholms kommun, 002 §6: loss
// and damage are reported at once); the person's managers follow their
// people's equipment, decide on trips and exceptions and assess
// negligence (002 §6; Kristianstads kommun, Instruktion för digital
// kommunikation, När anställningen upphör: the manager decides how
// equipment is returned). An item is in IT's scope by the unit that owns
// it; a person's handovers, returns, losses, trips and return tasks by
// the person's unit.

// EquipmentScope is where the actor keeps the registry: the scope of
// their IT grants.
func (a *Actor) EquipmentScope() Scope { return a.RoleScope(RoleIT) }

// KeepsEquipment reports whether the actor keeps some of the registry,
// for offering IT's pages at all.
func (a *Actor) KeepsEquipment() bool { return a != nil && !a.EquipmentScope().None() }

// ManagesEquipmentOf reports whether the actor is a manager of the person
// with personID in the unit at unitPath, never themselves: who reports a
// loss or signs a return for them, decides their trips, grants return
// exceptions and assesses negligence. The system decides nothing.
func (a *Actor) ManagesEquipmentOf(personID, unitPath string) bool {
	return a != nil && !a.System && a.PersonID != "" && personID != a.PersonID &&
		a.RoleScope(RoleManager).Contains(unitPath)
}

// SeesEquipmentOf reports whether the actor sees the equipment of the
// person with personID in the unit at unitPath (their items, handovers,
// receipts, losses, trips and return tasks): the person, their managers,
// and IT.
func (a *Actor) SeesEquipmentOf(personID, unitPath string) bool {
	return a != nil && (a.System || (a.PersonID != "" && a.PersonID == personID) ||
		a.RoleScope(RoleManager).Contains(unitPath) || a.EquipmentScope().Contains(unitPath))
}

// SeesItem reports whether the actor sees an item: IT by its owning unit,
// and whoever sees its holder's equipment while it is issued.
func (a *Actor) SeesItem(it *EquipmentItem) bool {
	return a.EquipmentScope().Contains(it.UnitPath) ||
		(it.HolderID != "" && a.SeesEquipmentOf(it.HolderID, it.HolderUnitPath))
}

// RecordsLossStep reports whether the actor may record a step of loss l
// that the pack gives to role: IT's steps by IT; the manager's by the
// person's manager; the person's by the person, their manager or IT.
func (a *Actor) RecordsLossStep(l *EquipmentLoss, role Role) bool {
	if a == nil || a.System || a.PersonID == "" {
		return false
	}
	it := a.EquipmentScope().Contains(l.PersonUnitPath)
	manager := a.ManagesEquipmentOf(l.PersonID, l.PersonUnitPath)
	switch role {
	case RoleIT:
		return it
	case RoleManager:
		return manager
	case RoleEmployee:
		return a.PersonID == l.PersonID || manager || it
	}
	return false
}

// RegisterScope is where the actor keeps the register (diarium): the
// registrator, in the whole organisation or a unit subtree (Kristianstads
// kommun, Instruktion för digital kommunikation, Offentlighet och
// sekretess: public documents are registered). Administrators do not:
// the register names the parties of HR's and the security coordinator's
// cases, which an administrator otherwise does not read, and one who
// needs it grants themselves the registrator's role, which the audit
// trail records. The store, the pages, the API and the CLI ask this one
// rule.
func (a *Actor) RegisterScope() Scope { return a.Scope(PermKeepRegister) }

// KeepsRegister reports whether the actor keeps the register somewhere,
// for offering the page at all.
func (a *Actor) KeepsRegister() bool { return a != nil && !a.RegisterScope().None() }

// Disposes reports whether the actor may run disposal (gallring) by hand:
// the registrator of the whole organisation. Disposal carries out the
// document management plan, what the archive keeps and what goes, which
// is the registrator's charge with the register (RegisterScope); an
// administrator configures Distans but does not decide what becomes of
// its records. The job disposes as the system. Disposal is the
// organisation's whole, so a registrator of a unit subtree does not.
func (a *Actor) Disposes() bool { return a != nil && a.RegisterScope().All }

// HoldsRecords reports whether the actor may place and release a hold
// that keeps records past their period during an investigation: the
// information-security coordinator of the whole organisation, who leads
// the investigations of IT use and incidents (Kristianstad 003,
// Incidenthantering and Kontroll av IT-användning).
func (a *Actor) HoldsRecords() bool { return a != nil && a.RoleScope(RoleSecurity).All }

// SeesDisposal reports whether the actor sees the disposal page: the plan,
// the log and the holds.
func (a *Actor) SeesDisposal() bool { return a.Disposes() || a.HoldsRecords() }

// Can reports whether the actor holds permission p anywhere.
func (a *Actor) Can(p Permission) bool { return !a.Scope(p).None() }

// HasRole reports whether the actor holds role r anywhere.
func (a *Actor) HasRole(r Role) bool {
	if a == nil {
		return false
	}
	for _, g := range a.Grants {
		if g.Role == r {
			return true
		}
	}
	return false
}

// SystemActor returns the actor for the binary's own work in an organisation
// (orgID may be empty for work across organisations, such as demo loading).
func SystemActor(orgID string) *Actor {
	return &Actor{OrganisationID: orgID, System: true, Name: "system"}
}

type actorKey struct{}

// NewContext returns a context carrying the actor.
func NewContext(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or nil when nobody is signed in.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}
