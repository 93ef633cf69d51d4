package distans

import (
	"context"
	"time"
)

// SiteKind says whether a site is a main workplace (tjänsteställe) or a
// satellite office.
type SiteKind string

const (
	SiteMain      SiteKind = "main"
	SiteSatellite SiteKind = "satellite"
)

// Site is a workplace with an address.
type Site struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisation_id"`
	Name           string `json:"name"`
	// Code is the site's code in the HR system, by which imports find it;
	// unique in the organisation when set.
	Code       string     `json:"code,omitempty"`
	Kind       SiteKind   `json:"kind"`
	Street     string     `json:"street"`
	PostalCode string     `json:"postal_code"`
	City       string     `json:"city"`
	EndedOn    *time.Time `json:"ended_on,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// Validate checks the site's fields.
func (s *Site) Validate() error {
	var v Validation
	v.Required("name", s.Name)
	v.MaxLen("name", s.Name, 200)
	v.MaxLen("code", s.Code, 40)
	v.MaxLen("street", s.Street, 200)
	v.MaxLen("city", s.City, 100)
	if s.PostalCode != "" && !postalCodeRE.MatchString(s.PostalCode) {
		v.Add("postal_code", "Postnumret ska ha fem siffror, till exempel 123 45.", "The postal code must have five digits, for example 123 45.")
	}
	if s.Kind != SiteMain && s.Kind != SiteSatellite {
		v.Add("kind", "Typen måste vara main (huvudarbetsplats) eller satellite (satellitkontor).", "The kind must be main or satellite.")
	}
	return v.Err()
}

// SiteUpdate is a change to a site: each field that is not nil replaces
// the site's. UpdatedAt, when set, is the site's UpdatedAt as the caller
// read it; the change is then refused if the site has changed since.
type SiteUpdate struct {
	Name       *string
	Code       *string // "" removes the code
	Kind       *SiteKind
	Street     *string
	PostalCode *string
	City       *string
	UpdatedAt  *time.Time
}

// Apply makes the change on s.
func (upd *SiteUpdate) Apply(s *Site) {
	set(&s.Name, upd.Name)
	set(&s.Code, upd.Code)
	set(&s.Kind, upd.Kind)
	set(&s.Street, upd.Street)
	set(&s.PostalCode, upd.PostalCode)
	set(&s.City, upd.City)
}

// set replaces *dst with *v when v is not nil: one optional field of an update.
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// SiteService manages sites. Everyone signed in may list them; changes need
// PermManageSites.
//
// UpdateSite reads the site, applies upd and writes it in one transaction,
// so that concurrent updates of different fields all stand. It returns the
// site as saved; ENOTFOUND outside the organisation, EFORBIDDEN without
// PermManageSites, EINVALID when the result is not a valid site, and
// ECONFLICT when upd.UpdatedAt is set and the site has changed since.
type SiteService interface {
	FindSite(ctx context.Context, id string) (*Site, error)
	ListSites(ctx context.Context, includeEnded bool) ([]*Site, error)
	CreateSite(ctx context.Context, s *Site) error
	UpdateSite(ctx context.Context, id string, upd SiteUpdate) (*Site, error)
	EndSite(ctx context.Context, id string, on time.Time) error
}
