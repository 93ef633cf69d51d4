package distans

import (
	"context"
	"time"
)

// SCIM 2.0 (RFC 7643, RFC 7644) lets an organisation's identity system
// (Microsoft Entra ID, Okta, its own) keep its people in Distans: a new
// employee exists on their first day, and a leaver loses access the day they
// leave. Its users are people with an employment; its groups are mapped by
// the organisation to a unit or to a role in a unit subtree.

// SCIMToken is an identity system's bearer token for one organisation. The
// secret carries its organisation (STYLE principle 9a) and is shown once;
// only its hash is stored.
type SCIMToken struct {
	ID             string     `json:"id"`
	OrganisationID string     `json:"organisation_id"`
	Name           string     `json:"name"`
	CreatedBy      string     `json:"created_by"`
	CreatedAt      time.Time  `json:"created_at"`
	LastUsedAt     *time.Time `json:"last_used_at,omitempty"`
	RevokedAt      *time.Time `json:"revoked_at,omitempty"`
}

// SCIMUser is a person as SCIM sees them. ID is the person's ID. Active is
// false for a person whose account the identity system deactivated (or
// deleted): their employment ended on the day, their sessions and tokens
// ended at once, and nothing else of their history is removed.
//
// Of phoneNumbers, the work number is the person's phone, which the
// directory shows to everyone in the organisation; the mobile is the work
// mobile (tjänstemobil) of their directory profile, which only the
// switchboard, the person and whoever manages them read: colleagues' 07
// numbers are not handed out (Sorsele kommun, Policy för telefoni,
// mobilteknisk utrustning samt e-postanvändning, 2. Telefonnummer). A
// mobile-only person is reached through the switchboard, which sees it.
// Numbers of other types (fax, home) are not kept: Distans has no use for
// them.
type SCIMUser struct {
	ID             string
	ExternalID     string
	UserName       string // unique in the organisation, compared without case
	GivenName      string
	FamilyName     string
	DisplayName    string // the person's name
	Email          string // the work (or primary) address
	Phone          string // the work number (type "work"), the person's phone
	Mobile         string // the work mobile (type "mobile"), in the directory profile
	Title          string
	EmployeeNumber string
	Department     string // the unit of the current employment, by code or name
	ManagerID      string // the user (person) ID of the manager
	Active         bool
	Created        time.Time
	LastModified   time.Time
}

// SCIMGroup is a group of the identity system. What it means in Distans is
// set by the organisation's administrator per group name (SCIMGroupMapping):
// membership grants a role in a unit subtree, places the member in a unit,
// or means nothing until mapped.
type SCIMGroup struct {
	ID           string
	ExternalID   string
	DisplayName  string
	Members      []string // user IDs
	Created      time.Time
	LastModified time.Time
}

// SCIMGroupMapping says what membership of the group named DisplayName
// means, by Kind. SCIMMapRole grants Role in the unit UnitID and below
// (the whole organisation when UnitID is empty). SCIMMapUnit places the
// member in UnitID (required; Role is empty): their current employment is
// in that unit, exactly as a department naming it would place them, and
// the group wins over the department attribute, since the organisation
// chose groups for placement. A member of several unit groups is placed in
// the most specific unit (the longest path), ties going to the group whose
// display name sorts first. A member who leaves their last unit group
// falls back to their department when they have one, else stays where
// they are. A deactivated user is not placed.
type SCIMGroupMapping struct {
	OrganisationID string `json:"organisation_id"`
	DisplayName    string `json:"display_name"`
	Kind           string `json:"kind"`
	Role           Role   `json:"role,omitempty"`
	UnitID         string `json:"unit_id,omitempty"`
}

// The kinds of SCIMGroupMapping; an empty Kind is SCIMMapRole.
const (
	SCIMMapRole = "role"
	SCIMMapUnit = "unit"
)

// SCIMSettings are an organisation's choices for provisioning. With
// CreateUnits, a department that names no unit (by code or name) becomes a
// new unit under the organisation's root, for organisations that have not
// imported their unit tree; without it, such a department is refused.
type SCIMSettings struct {
	OrganisationID string `json:"organisation_id"`
	CreateUnits    bool   `json:"create_units"`
}

// RoleSourceSCIM marks a role assignment that membership of a mapped SCIM
// group granted: it ends when the membership, the group or the mapping
// ends, or the person is deactivated, and nothing else touches it.
const RoleSourceSCIM = "scim"

// SCIMMaxCount is the most users or groups one list returns; a larger
// count is taken as this (RFC 7644 §3.4.2.4 lets the server cap it).
const SCIMMaxCount = 1000

// SCIMFilter is a filter the endpoint accepts: attribute eq value, joined by
// and. Attr is one of userName, externalId, emails.value, employeeNumber
// (users) or displayName, externalId (groups), compared as SCIM says
// (userName and e-mail without case).
type SCIMFilter []SCIMFilterTerm

// SCIMFilterTerm is one "attr eq value".
type SCIMFilterTerm struct {
	Attr  string
	Value string
}

// SCIMService is provisioning as the /scim/v2 endpoint uses it. Its actor
// is the organisation's provisioning client (AuthenticateSCIM), and every
// change is audited as done by it. Errors: ENOTFOUND for an ID outside the
// organisation; ECONFLICT for a userName, externalId or e-mail in use (SCIM
// "uniqueness"); EINVALID naming the attribute for a value Distans cannot
// take (an unknown department when the organisation does not create units,
// a missing userName).
//
// Lists: startIndex is 1-based (below 1 is 1), count is capped at
// SCIMMaxCount and 0 returns no records, only the total; the int returned
// is the total matching. An empty filter lists all. A filter on another
// attribute is EINVALID on "filter".
//
// CreateUser and CreateGroup fill ID, Created and LastModified. CreateUser
// links to a person already in the organisation without a SCIM identity
// (imported before SCIM was switched on) with the same employee number,
// else the same e-mail address, rather than making another. A user's
// department becomes the unit of its employment (by code, then name); its
// manager becomes the manager of that unit when the unit has none, and is
// otherwise left as the unit has it (the unit's manager is read back).
//
// PatchUser and PatchGroup read the record, let change edit it and write it
// in one transaction, so that a PATCH is never applied to a stale read.
// Setting Active to false deactivates: the current employment ends today,
// the account is refused sign-in at once, sessions and API tokens end at
// once, roles granted by groups end; agreements end at the agreement job's
// next round. Setting it to true again starts a new employment today (and
// groups grant their roles again). A move to another unit ends the
// employment yesterday and starts one in the new unit today.
// DeleteUser deactivates and removes the SCIM identity (the userName and
// group memberships): the user is ENOTFOUND after it, the person and their
// history stay, and creating the user again links to the person anew.
type SCIMService interface {
	AuthenticateSCIM(ctx context.Context, token string) (*Actor, error)

	ListUsers(ctx context.Context, f SCIMFilter, startIndex, count int) ([]*SCIMUser, int, error)
	FindUser(ctx context.Context, id string) (*SCIMUser, error)
	CreateUser(ctx context.Context, u *SCIMUser) error
	ReplaceUser(ctx context.Context, id string, u *SCIMUser) (*SCIMUser, error)
	PatchUser(ctx context.Context, id string, change func(*SCIMUser) error) (*SCIMUser, error)
	DeleteUser(ctx context.Context, id string) error

	ListGroups(ctx context.Context, f SCIMFilter, startIndex, count int, members bool) ([]*SCIMGroup, int, error)
	FindGroup(ctx context.Context, id string, members bool) (*SCIMGroup, error)
	CreateGroup(ctx context.Context, g *SCIMGroup) error
	ReplaceGroup(ctx context.Context, id string, g *SCIMGroup) (*SCIMGroup, error)
	PatchGroup(ctx context.Context, id string, change func(*SCIMGroup) error) (*SCIMGroup, error)
	DeleteGroup(ctx context.Context, id string) error
}

// SCIMAdminService is what an organisation's administrator sets up
// (Actor.ManagesOrganisation): tokens, shown once and stored hashed, and the
// group mappings.
type SCIMAdminService interface {
	CreateSCIMToken(ctx context.Context, name string) (secret string, t *SCIMToken, err error)
	ListSCIMTokens(ctx context.Context) ([]*SCIMToken, error)
	RevokeSCIMToken(ctx context.Context, id string) error
	ListSCIMGroupMappings(ctx context.Context) ([]*SCIMGroupMapping, error)
	SaveSCIMGroupMapping(ctx context.Context, m *SCIMGroupMapping) error
	DeleteSCIMGroupMapping(ctx context.Context, displayName string) error
	FindSCIMSettings(ctx context.Context) (*SCIMSettings, error)
	SaveSCIMSettings(ctx context.Context, s *SCIMSettings) error
}
