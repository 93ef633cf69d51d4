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
	PermManageSignIn   Permission = "signin.manage" // unlock accounts, set passwords, SSO settings
	PermManagePolicy   Permission = "policy.manage" // edit the policy pack, publish policy documents
	// PermViewAgreements reads remote-work agreements, the remote place
	// included (audited); PermDecideAgreements assesses, decides, signs as
	// the manager, follows up and ends them (002 §3: the nearest manager).
	PermViewAgreements   Permission = "agreements.view"
	PermDecideAgreements Permission = "agreements.decide"
)

// rolePermissions is the one table that says what each role may do. The scope
// of the role assignment (a unit subtree or the whole organisation) limits
// where the permission holds.
var rolePermissions = map[Role][]Permission{
	RoleEmployee: nil, // every person sees and edits their own profile without a role
	RoleManager:  {PermViewPeople, PermViewAggregates, PermViewAgreements, PermDecideAgreements},
	RoleHR: {PermViewPeople, PermManagePeople, PermViewSecret, PermViewAggregates, PermManageSignIn, PermManagePolicy,
		PermViewAgreements},
	RoleIT:          {PermViewPeople},
	RoleSecurity:    {PermViewPeople, PermViewAudit},
	RoleDPO:         {PermViewPeople, PermViewAudit},
	RoleSwitchboard: {PermViewPeople},
	RoleRegistrar:   {PermViewPeople},
	RoleLeadership:  {PermViewAggregates},
	RoleUnion:       {PermViewAggregates},
	RoleAdmin: {PermViewPeople, PermManagePeople, PermManageUnits, PermManageSites, PermManageRoles,
		PermViewAudit, PermManageOrg, PermManageSignIn, PermViewAggregates, PermManagePolicy},
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
