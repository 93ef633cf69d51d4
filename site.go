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
	ID             string     `json:"id"`
	OrganisationID string     `json:"organisation_id"`
	Name           string     `json:"name"`
	Kind           SiteKind   `json:"kind"`
	Street         string     `json:"street"`
	PostalCode     string     `json:"postal_code"`
	City           string     `json:"city"`
	EndedOn        *time.Time `json:"ended_on,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// Validate checks the site's fields.
func (s *Site) Validate() error {
	var v Validation
	v.Required("name", s.Name)
	v.MaxLen("name", s.Name, 200)
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

// SiteService manages sites. Everyone signed in may list them; changes need
// PermManageSites.
type SiteService interface {
	FindSite(ctx context.Context, id string) (*Site, error)
	ListSites(ctx context.Context, includeEnded bool) ([]*Site, error)
	CreateSite(ctx context.Context, s *Site) error
	UpdateSite(ctx context.Context, s *Site) error
	EndSite(ctx context.Context, id string, on time.Time) error
}
