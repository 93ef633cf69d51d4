package distans

import (
	"context"
	"time"
)

// UnitKind is the level of a unit in the tree förvaltning → avdelning → enhet.
type UnitKind string

const (
	UnitAdministration UnitKind = "forvaltning"
	UnitDepartment     UnitKind = "avdelning"
	UnitSection        UnitKind = "enhet"
)

// Unit is a node in an organisation's tree. Path is the materialised path of
// IDs from the root, "/id1/id2/", so that a subtree is every unit whose path
// starts with its root's path; the store maintains it.
type Unit struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisation_id"`
	ParentID       string `json:"parent_id,omitempty"`
	// Code is the unit's code in the HR system, by which imports find it;
	// unique in the organisation when set.
	Code      string     `json:"code,omitempty"`
	Name      string     `json:"name"`
	Kind      UnitKind   `json:"kind"`
	ManagerID string     `json:"manager_id,omitempty"` // the person who is chef
	Path      string     `json:"path"`
	EndedOn   *time.Time `json:"ended_on,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// Validate checks the unit's own fields; the store checks the parent and the
// manager exist in the same organisation.
func (u *Unit) Validate() error {
	var v Validation
	v.Required("name", u.Name)
	v.MaxLen("name", u.Name, 200)
	v.MaxLen("code", u.Code, 40)
	switch u.Kind {
	case UnitAdministration, UnitDepartment, UnitSection:
	default:
		v.Add("kind", "Typen måste vara förvaltning, avdelning eller enhet.", "The kind must be forvaltning, avdelning or enhet.")
	}
	return v.Err()
}

// UnitFilter narrows ListUnits; the zero value lists every unit the caller may see.
type UnitFilter struct {
	ParentID     string
	IncludeEnded bool
	// Levels, when not 0, keeps the units of the top Levels levels of the
	// tree: 1 the roots, 2 the roots and their children. A filter of an
	// organisation with a thousand units offers the upper levels, where a
	// list of every unit would be too long to choose from.
	Levels int
	// IDs, when not empty, keeps these units (at most 500).
	IDs []string
}

// UnitUpdate is a change to a unit: each field that is not nil replaces
// the unit's; an empty ParentID or ManagerID removes the parent or the
// manager. UpdatedAt, when set, is the unit's UpdatedAt as the caller read
// it; the change is then refused if the unit has changed since.
type UnitUpdate struct {
	ParentID  *string
	Code      *string // "" removes the code
	Name      *string
	Kind      *UnitKind
	ManagerID *string
	UpdatedAt *time.Time
}

// Apply makes the change on u.
func (upd *UnitUpdate) Apply(u *Unit) {
	set(&u.ParentID, upd.ParentID)
	set(&u.Code, upd.Code)
	set(&u.Name, upd.Name)
	set(&u.Kind, upd.Kind)
	set(&u.ManagerID, upd.ManagerID)
}

// UnitService manages the unit tree. Everyone signed in may list the units of
// their organisation (the tree is public information); changes need
// PermManageUnits. Setting a manager also grants that person the chef role
// in the unit, so the tree and the permissions never disagree.
//
// UpdateUnit reads the unit, applies upd and writes it in one transaction,
// so that concurrent updates of different fields all stand. It returns the
// unit as saved; ENOTFOUND outside the caller's organisation, EFORBIDDEN
// without PermManageUnits in the unit (and under a new parent), EINVALID
// when the result is not a valid unit, and ECONFLICT when upd.UpdatedAt is
// set and the unit has changed since.
type UnitService interface {
	FindUnit(ctx context.Context, id string) (*Unit, error)
	// ListUnits lists units by name in Swedish order (SortKey), then ID.
	ListUnits(ctx context.Context, f UnitFilter) ([]*Unit, error)
	CreateUnit(ctx context.Context, u *Unit) error
	UpdateUnit(ctx context.Context, id string, upd UnitUpdate) (*Unit, error)
	EndUnit(ctx context.Context, id string, on time.Time) error
}
