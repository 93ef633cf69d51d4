package distans

import (
	"context"
	"time"
)

// RoleAssignment gives a person a role in a unit subtree, or in the whole
// organisation when UnitID is empty.
type RoleAssignment struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisation_id"`
	PersonID       string `json:"person_id"`
	Role           Role   `json:"role"`
	UnitID         string `json:"unit_id,omitempty"`
	// Source is RoleSourceImport for a role an import granted,
	// RoleSourceSCIM for one a SCIM group's mapping granted, else empty.
	Source    string     `json:"source,omitempty"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

// Validate checks the assignment's fields.
func (r *RoleAssignment) Validate() error {
	var v Validation
	v.Required("person_id", r.PersonID)
	if !r.Role.Valid() {
		v.Add("role", "Okänd roll.", "Unknown role.")
	}
	return v.Err()
}

// RoleFilter narrows ListRoleAssignments.
type RoleFilter struct {
	PersonID     string
	Role         Role
	IncludeEnded bool
}

// RoleService grants and ends roles; it needs PermManageRoles. Everyone may
// list their own assignments. Grants returns the current grants of a person
// for building an Actor, and is used by sign-in on behalf of the system.
type RoleService interface {
	ListRoleAssignments(ctx context.Context, f RoleFilter) ([]*RoleAssignment, error)
	AssignRole(ctx context.Context, r *RoleAssignment) error
	EndRoleAssignment(ctx context.Context, id string) error
	Grants(ctx context.Context, orgID, personID string) ([]Grant, error)
}
