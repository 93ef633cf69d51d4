package distans

import (
	"context"
	"regexp"
	"sync"
	"time"
)

// Organisation is a tenant: a municipality, one of its companies or a shared
// IT cooperative. Nothing owned by one organisation is ever visible to another.
type Organisation struct {
	ID       string `json:"id"`
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	TimeZone string `json:"time_zone"`
	Language string `json:"language"` // "sv" or "en": the default for its people
	// Status is set by the installation's administrator; a new
	// organisation is active. StatusChangedAt is when it last changed.
	Status          OrgStatus  `json:"status"`
	StatusChangedAt *time.Time `json:"status_changed_at,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// PasswordPolicy holds an organisation's rules for local passwords. It is
// not stored with the organisation: sign-in reads it from the parameters of
// the organisation's active policy pack (internal/auth), the one place an
// organisation sets it, and DefaultPasswordPolicy fills in what the pack
// does not say.
type PasswordPolicy struct {
	MinLength      int `json:"min_length"`
	HistoryCount   int `json:"history_count"`   // earlier passwords that may not be reused
	MaxFailures    int `json:"max_failures"`    // failed sign-ins before the account locks
	LockoutMinutes int `json:"lockout_minutes"` // how long a lock lasts unless HR unlocks sooner
}

// DefaultPasswordPolicy is what sign-in uses where the organisation's pack
// has no parameter: at least eight characters, the floor of Kristianstad's
// instruction (003, Lösenord), which no pack can lower.
var DefaultPasswordPolicy = PasswordPolicy{MinLength: 8, HistoryCount: 5, MaxFailures: 5, LockoutMinutes: 15}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate checks the organisation's fields.
func (o *Organisation) Validate() error {
	var v Validation
	v.Required("name", o.Name)
	v.MaxLen("name", o.Name, 200)
	if !slugRE.MatchString(o.Slug) || len(o.Slug) > 63 {
		v.Add("slug", "Kortnamnet får bara innehålla a–z, 0–9 och bindestreck.", "The slug may contain only a–z, 0–9 and hyphens.")
	}
	if _, err := LoadLocation(o.TimeZone); err != nil || o.TimeZone == "" {
		v.Add("time_zone", "Okänd tidszon.", "Unknown time zone.")
	}
	if o.Language != "sv" && o.Language != "en" {
		v.Add("language", "Språket måste vara sv eller en.", "The language must be sv or en.")
	}
	return v.Err()
}

// Location returns the organisation's time zone, Europe/Stockholm if unset.
func (o *Organisation) Location() *time.Location {
	if loc, err := LoadLocation(o.TimeZone); err == nil && o.TimeZone != "" {
		return loc
	}
	loc, _ := LoadLocation("Europe/Stockholm")
	return loc
}

// zones are the time zones LoadLocation has loaded, by name.
var zones sync.Map

// LoadLocation is time.LoadLocation, each zone read and parsed once:
// time.LoadLocation reads the zone's file at every call, which was a
// fiftieth of a directory search's CPU (every page's layout asks for its
// organisation's zone). A name it cannot load is not kept.
func LoadLocation(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}

// OrganisationUpdate is a change to an organisation: each field that is
// not nil replaces the organisation's. UpdatedAt, when set, is the
// organisation's UpdatedAt as the caller read it; the change is then
// refused if the organisation has changed since.
type OrganisationUpdate struct {
	Slug      *string
	Name      *string
	TimeZone  *string
	Language  *string
	UpdatedAt *time.Time
}

// Apply makes the change on o.
func (upd *OrganisationUpdate) Apply(o *Organisation) {
	set(&o.Slug, upd.Slug)
	set(&o.Name, upd.Name)
	set(&o.TimeZone, upd.TimeZone)
	set(&o.Language, upd.Language)
}

// Today returns the organisation's calendar day at the instant now (see
// Today): its own time zone, Europe/Stockholm when it has none.
func (o *Organisation) Today(now time.Time) time.Time { return Today(now, o.Location()) }

// TodayIn returns organisation orgID's calendar day at the instant of ctx
// (NowFrom), and the organisation, as orgs finds it for ctx's actor.
func TodayIn(ctx context.Context, orgs OrganisationService, orgID string) (time.Time, *Organisation, error) {
	o, err := orgs.FindOrganisationByID(ctx, orgID)
	if err != nil {
		return time.Time{}, nil, err
	}
	return o.Today(NowFrom(ctx)), o, nil
}

// OrganisationService manages organisations. Listing and lookup by slug are
// open to everyone (the sign-in page needs them); changes need PermManageOrg
// in the organisation, or the system actor to create one.
//
// UpdateOrganisation reads the organisation, applies upd and writes it in
// one transaction, so that concurrent updates of different fields all
// stand. It returns the organisation as saved; ENOTFOUND for another
// organisation than the caller's, EFORBIDDEN without PermManageOrg,
// EINVALID when the result is not valid, and ECONFLICT for a slug in use or
// when upd.UpdatedAt is set and the organisation has changed since.
type OrganisationService interface {
	FindOrganisationByID(ctx context.Context, id string) (*Organisation, error)
	FindOrganisationBySlug(ctx context.Context, slug string) (*Organisation, error)
	ListOrganisations(ctx context.Context) ([]*Organisation, error)
	CreateOrganisation(ctx context.Context, o *Organisation) error
	UpdateOrganisation(ctx context.Context, id string, upd OrganisationUpdate) (*Organisation, error)
}
