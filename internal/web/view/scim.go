package view

import "github.com/distans/distans"

// SCIMPage is an organisation's provisioning from its identity system:
// the tokens (a new one's secret shown once), whether departments that
// name no unit become units, and what membership of each group grants.
type SCIMPage struct {
	Layout
	Tokens       []*distans.SCIMToken
	TokenForm    *Form
	NewSecret    string // shown once, right after a token is made
	NewTokenName string
	Endpoint     string // the base URL the identity system is given
	CreateUnits  bool
	Mappings     []SCIMMappingRow
	MappingForm  *Form
	Roles        []Option
	Units        []Option
}

// Template implements Page.
func (*SCIMPage) Template() string { return "scim" }

// SCIMMappingRow is one group mapping as the page shows it.
type SCIMMappingRow struct {
	DisplayName string
	Kind        string // a role in a unit, or a placement in a unit
	Role        string
	Unit        string
}
