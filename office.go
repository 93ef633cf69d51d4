package distans

import (
	"context"
	"fmt"
	"time"
)

// The hybrid office (issue 5, Stockholm 000 §4c): sites are divided into
// zones, zones hold desks, and people book desks for a day or half a day.
// A desk is never booked twice for the same half day: the store enforces it
// with a unique index, not with a check that two requests could both pass.

// DayPart is the part of a day a booking covers. A full day holds both
// halves; a morning and an afternoon booking of the same desk do not meet.
type DayPart string

const (
	PartDay DayPart = "day"
	PartAM  DayPart = "am"
	PartPM  DayPart = "pm"
)

// Valid reports whether p is a known part.
func (p DayPart) Valid() bool { return p == PartDay || p == PartAM || p == PartPM }

// Halves returns the half days p occupies: am and pm for a day.
func (p DayPart) Halves() []DayPart {
	if p == PartDay {
		return []DayPart{PartAM, PartPM}
	}
	return []DayPart{p}
}

// Label returns the part for people to read.
func (p DayPart) Label(lang string) string {
	l := map[DayPart][2]string{PartDay: {"heldag", "full day"}, PartAM: {"förmiddag", "morning"}, PartPM: {"eftermiddag", "afternoon"}}[p]
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

// BookingStatus is where a booking is in its life. Booked and checked-in
// bookings hold their desk; released (not claimed by the release time) and
// cancelled ones do not.
type BookingStatus string

const (
	BookingBooked    BookingStatus = "booked"
	BookingCheckedIn BookingStatus = "checked_in"
	BookingReleased  BookingStatus = "released"
	BookingCancelled BookingStatus = "cancelled"
)

// Active reports whether a booking with status s holds its desk.
func (s BookingStatus) Active() bool { return s == BookingBooked || s == BookingCheckedIn }

// DateOf returns the calendar day of t as written (in t's own location) as
// midnight UTC, the form every date in the domain takes.
func DateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// TimeOfDay is a local wall-clock time as minutes after midnight.
type TimeOfDay int

// ParseTimeOfDay reads "HH:MM".
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, Errorf(EINVALID, "Ange tiden som TT:MM, till exempel 10:00.", "Enter the time as HH:MM, for example 10:00.")
	}
	return TimeOfDay(t.Hour()*60 + t.Minute()), nil
}

func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", int(t)/60, int(t)%60) }

// Zone is an area of a site: a floor, a wing, a quiet room.
type Zone struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisation_id"`
	SiteID         string    `json:"site_id"`
	Name           string    `json:"name"`
	Floor          string    `json:"floor"`
	CreatedAt      time.Time `json:"created_at,omitzero"` // zero in availability, which leaves them out
	UpdatedAt      time.Time `json:"updated_at,omitzero"`
}

// Validate checks the zone's fields; the store checks the site.
func (z *Zone) Validate() error {
	var v Validation
	v.Required("site_id", z.SiteID)
	v.Required("name", z.Name)
	v.MaxLen("name", z.Name, 100)
	v.MaxLen("floor", z.Floor, 40)
	return v.Err()
}

// Desk is a bookable workplace in a zone. SiteID is the zone's site, set
// by the store. A desk that has ended (EndedOn) cannot be booked after that
// day.
type Desk struct {
	ID               string     `json:"id"`
	OrganisationID   string     `json:"organisation_id"`
	SiteID           string     `json:"site_id"`
	ZoneID           string     `json:"zone_id"`
	Label            string     `json:"label"`
	Screens          int        `json:"screens"`
	HeightAdjustable bool       `json:"height_adjustable"`
	Quiet            bool       `json:"quiet"`
	Accessible       bool       `json:"accessible"`
	EndedOn          *time.Time `json:"ended_on,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

// Validate checks the desk's fields; the store checks the zone.
func (d *Desk) Validate() error {
	var v Validation
	v.Required("zone_id", d.ZoneID)
	v.Required("label", d.Label)
	v.MaxLen("label", d.Label, 40)
	if d.Screens < 0 || d.Screens > 6 {
		v.Add("screens", "Antalet skärmar ska vara 0–6.", "The number of screens must be 0–6.")
	}
	return v.Err()
}

// ActiveOn reports whether the desk may be used on date.
func (d *Desk) ActiveOn(date time.Time) bool { return d.EndedOn == nil || !d.EndedOn.Before(date) }

// BookingRules are a site's rules for booking. Sites without rules of their
// own follow DefaultBookingRules.
type BookingRules struct {
	OrganisationID string `json:"organisation_id"`
	SiteID         string `json:"site_id"`
	// HorizonDays is how many days ahead of today one may book.
	HorizonDays int `json:"horizon_days"`
	// MaxPerWeek is how many bookings (a day or a half day counts as one)
	// a person may hold at the site in one week, Monday to Sunday; 0 means
	// no limit.
	MaxPerWeek int `json:"max_per_week"`
	// CheckInRequired makes ReleaseUnclaimed free the desks of bookings not
	// checked in by ReleaseAt (full days and mornings) or PMReleaseAt
	// (afternoons), local time.
	CheckInRequired bool      `json:"check_in_required"`
	ReleaseAt       TimeOfDay `json:"release_at"`
	PMReleaseAt     TimeOfDay `json:"pm_release_at"`
	// CongestionPercent is the share of half-day slots booked at which the
	// site counts as congested and people are shown other sites.
	CongestionPercent int       `json:"congestion_percent"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// DefaultBookingRules apply to a site until someone sets its own.
var DefaultBookingRules = BookingRules{HorizonDays: 14, ReleaseAt: 10 * 60, PMReleaseAt: 14 * 60, CongestionPercent: 85}

// Validate checks the rules.
func (r *BookingRules) Validate() error {
	var v Validation
	v.Required("site_id", r.SiteID)
	if r.HorizonDays < 1 || r.HorizonDays > 365 {
		v.Add("horizon_days", "Bokningshorisonten ska vara 1–365 dagar.", "The booking horizon must be 1–365 days.")
	}
	if r.MaxPerWeek < 0 || r.MaxPerWeek > 14 {
		v.Add("max_per_week", "Högsta antal bokningar per vecka ska vara 0–14 (0 betyder ingen gräns).", "The weekly maximum must be 0–14 (0 means no limit).")
	}
	if r.ReleaseAt < 0 || r.ReleaseAt >= 24*60 {
		v.Add("release_at", "Ange en tid mellan 00:00 och 23:59.", "Enter a time between 00:00 and 23:59.")
	}
	if r.PMReleaseAt < r.ReleaseAt || r.PMReleaseAt >= 24*60 {
		v.Add("pm_release_at", "Eftermiddagens tid ska vara samma som eller senare än förmiddagens och före 24:00.", "The afternoon time must be at or after the morning's and before 24:00.")
	}
	if r.CongestionPercent < 1 || r.CongestionPercent > 100 {
		v.Add("congestion_percent", "Tröskeln för trängsel ska vara 1–100 procent.", "The congestion threshold must be 1–100 percent.")
	}
	return v.Err()
}

// Booking is one person's claim on a desk for a day or half a day. PersonID
// is who sits there; BookedBy who made the booking (the same person, or a
// site administrator). SeriesID links the bookings of one BookRecurring call.
type Booking struct {
	ID             string        `json:"id"`
	OrganisationID string        `json:"organisation_id"`
	SiteID         string        `json:"site_id"`
	DeskID         string        `json:"desk_id"`
	PersonID       string        `json:"person_id"`
	BookedBy       string        `json:"booked_by,omitempty"`
	Date           time.Time     `json:"date"`
	Part           DayPart       `json:"part"`
	Status         BookingStatus `json:"status"`
	SeriesID       string        `json:"series_id,omitempty"`
	CheckedInAt    *time.Time    `json:"checked_in_at,omitempty"`
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
}

// Validate checks the fields a caller sets.
func (b *Booking) Validate() error {
	var v Validation
	v.Required("desk_id", b.DeskID)
	if b.Date.IsZero() {
		v.Add("date", "Ange datum.", "Enter a date.")
	}
	if !b.Part.Valid() {
		v.Add("part", "Välj heldag, förmiddag eller eftermiddag.", "Choose day, am or pm.")
	}
	return v.Err()
}

// RecurringBooking asks for the same desk and part on some weekdays of
// every week from From to Until, both included.
type RecurringBooking struct {
	DeskID   string         `json:"desk_id"`
	PersonID string         `json:"person_id,omitempty"` // empty: the caller
	Weekdays []time.Weekday `json:"weekdays"`
	Part     DayPart        `json:"part"`
	From     time.Time      `json:"from"`
	Until    time.Time      `json:"until"`
}

// MaxRecurringDays bounds the span of a recurring booking.
const MaxRecurringDays = 366

// Validate checks the request.
func (r *RecurringBooking) Validate() error {
	var v Validation
	v.Required("desk_id", r.DeskID)
	if !r.Part.Valid() {
		v.Add("part", "Välj heldag, förmiddag eller eftermiddag.", "Choose day, am or pm.")
	}
	if len(r.Weekdays) == 0 {
		v.Add("weekdays", "Välj minst en veckodag.", "Choose at least one weekday.")
	}
	for _, d := range r.Weekdays {
		if d < time.Sunday || d > time.Saturday {
			v.Add("weekdays", "Okänd veckodag.", "Unknown weekday.")
			break
		}
	}
	switch {
	case r.From.IsZero() || r.Until.IsZero():
		v.Add("until", "Ange första och sista datum.", "Enter the first and the last date.")
	case r.Until.Before(r.From):
		v.Add("until", "Sista datum kan inte vara före första.", "The last date cannot be before the first.")
	case r.Until.Sub(r.From) > MaxRecurringDays*24*time.Hour:
		v.Add("until", fmt.Sprintf("En återkommande bokning kan gälla högst %d dagar.", MaxRecurringDays),
			fmt.Sprintf("A recurring booking can span at most %d days.", MaxRecurringDays))
	}
	return v.Err()
}

// DateConflict is a date of a recurring booking that could not be booked,
// and why, in the words the single booking would have used.
type DateConflict struct {
	Date time.Time `json:"date"`
	Code string    `json:"code"`
	Sv   string    `json:"message_sv"`
	En   string    `json:"message_en"`
}

// RecurringResult reports every date of a recurring booking: booked, or
// in Conflicts with the reason. No date is left out.
type RecurringResult struct {
	SeriesID  string          `json:"series_id"`
	Booked    []*Booking      `json:"booked"`
	Conflicts []*DateConflict `json:"conflicts"`
}

// BookingFilter narrows ListBookings.
type BookingFilter struct {
	PersonID        string    // empty: the caller
	From, To        time.Time // dates, both included; zero means no bound
	IncludeInactive bool      // released and cancelled too
}

// DeskState is how much of a day a desk is taken.
type DeskState string

const (
	DeskFree     DeskState = "free"
	DeskAMTaken  DeskState = "am_taken"
	DeskPMTaken  DeskState = "pm_taken"
	DeskDayTaken DeskState = "day_taken"
)

// SlotHolder is who holds a half day of a desk. PersonID, Name and
// BookingID are empty when the viewer may not see the person (the page
// says "bokad"); Mine is true for the viewer's own booking.
type SlotHolder struct {
	BookingID string        `json:"booking_id,omitempty"`
	PersonID  string        `json:"person_id,omitempty"`
	Name      string        `json:"name,omitempty"`
	Part      DayPart       `json:"part"`
	Status    BookingStatus `json:"status"`
	Mine      bool          `json:"mine"`
}

// DeskAvailability is one desk on one day.
type DeskAvailability struct {
	Desk  *Desk       `json:"desk"`
	State DeskState   `json:"state"`
	AM    *SlotHolder `json:"am,omitempty"`
	PM    *SlotHolder `json:"pm,omitempty"`
}

// ZoneAvailability is a zone's desks on one day, labels in natural order
// ("P2" before "P10"). Its Zone carries no timestamps.
type ZoneAvailability struct {
	Zone  *Zone               `json:"zone"`
	Desks []*DeskAvailability `json:"desks"`
	Free  int                 `json:"free"` // desks free all day
}

// SiteAvailability is a site's desks on one day. BookedPercent is the share
// of half-day slots taken; Congested is BookedPercent at or above the
// site's threshold.
type SiteAvailability struct {
	Site          *Site               `json:"site"`
	Date          time.Time           `json:"date"`
	Rules         *BookingRules       `json:"rules"`
	Zones         []*ZoneAvailability `json:"zones"`
	Desks         int                 `json:"desks"`
	FreeDesks     int                 `json:"free_desks"` // free all day
	FreeAM        int                 `json:"free_am"`
	FreePM        int                 `json:"free_pm"`
	BookedPercent int                 `json:"booked_percent"`
	Congested     bool                `json:"congested"`
}

// SiteLoad is how full another site is on a day, for NearestFreeSites.
type SiteLoad struct {
	Site          *Site `json:"site"`
	Desks         int   `json:"desks"`
	FreeDesks     int   `json:"free_desks"` // free all day
	BookedPercent int   `json:"booked_percent"`
}

// TeamDay (gemensam dag) is a day a manager asks a unit to be at the
// office together. It applies to the unit and everything below it.
type TeamDay struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisation_id"`
	UnitID         string    `json:"unit_id"`
	Date           time.Time `json:"date"`
	Note           string    `json:"note"`
	CreatedBy      string    `json:"created_by"`
	CreatedAt      time.Time `json:"created_at"`
}

// Validate checks the team day's fields.
func (d *TeamDay) Validate() error {
	var v Validation
	v.Required("unit_id", d.UnitID)
	if d.Date.IsZero() {
		v.Add("date", "Ange datum.", "Enter a date.")
	}
	v.MaxLen("note", d.Note, 500)
	return v.Err()
}

// TeamBooking is where a colleague sits on a day.
type TeamBooking struct {
	BookingID string        `json:"booking_id"`
	PersonID  string        `json:"person_id"`
	Name      string        `json:"name"`
	Part      DayPart       `json:"part"`
	Status    BookingStatus `json:"status"`
	SiteID    string        `json:"site_id"`
	SiteName  string        `json:"site_name"`
	ZoneID    string        `json:"zone_id"`
	ZoneName  string        `json:"zone_name"`
	DeskID    string        `json:"desk_id"`
	DeskLabel string        `json:"desk_label"`
}

// UtilisationRow is one site on one weekday over a period, in desk-days: a
// full-day booking counts 1, a half day 0.5. Booked counts every booking
// not cancelled (a released booking was booked and not used); CheckedIn
// those checked in; Capacity the desks in use on each of those days.
type UtilisationRow struct {
	SiteID    string       `json:"site_id"`
	SiteName  string       `json:"site_name"`
	Weekday   time.Weekday `json:"weekday"`
	Days      int          `json:"days"` // dates of that weekday in the period
	Booked    float64      `json:"booked"`
	CheckedIn float64      `json:"checked_in"`
	Capacity  float64      `json:"capacity"`
}

// OfficeService runs the hybrid office.
//
// Zones, desks and booking rules: everyone signed in reads them; changes
// need PermManageSites in the whole organisation (EFORBIDDEN otherwise).
//
// Bookings: a person books for themselves; PermManageSites may book for
// anyone in the organisation. Book and BookRecurring report EINVALID for a
// date before today (in the organisation's time zone) or past the site's
// horizon, and for a desk that has ended; ENOTFOUND for a desk outside the
// organisation; ECONFLICT when the desk's half day is taken ("Platsen är
// redan bokad den dagen."), when the person already holds a desk for an
// overlapping part of that day, or when the week's maximum is reached.
// Cancelling and checking in need the booking to be one's own or
// PermManageSites; a booking the caller may not see is ENOTFOUND.
//
// Team days: a manager (chef) over the unit sets and deletes them; people in
// the unit's subtree and those with PermViewPeople over it list them and
// their colleagues' bookings.
//
// Utilisation needs PermViewAggregates or PermManageSites; it returns
// counts only. Every change is audited in the same transaction.
type OfficeService interface {
	ListZones(ctx context.Context, siteID string) ([]*Zone, error)
	CreateZone(ctx context.Context, z *Zone) error
	UpdateZone(ctx context.Context, z *Zone) error

	FindDesk(ctx context.Context, id string) (*Desk, error)
	ListDesks(ctx context.Context, siteID string, includeEnded bool) ([]*Desk, error)
	CreateDesk(ctx context.Context, d *Desk) error
	// UpdateDesk may move a desk to another zone of the same site.
	UpdateDesk(ctx context.Context, d *Desk) error
	// EndDesk sets the desk's last day and cancels its bookings after it.
	EndDesk(ctx context.Context, id string, on time.Time) error

	// BookingRules returns the site's rules, DefaultBookingRules if it has
	// none of its own.
	BookingRules(ctx context.Context, siteID string) (*BookingRules, error)
	SetBookingRules(ctx context.Context, r *BookingRules) error

	// Book books b.DeskID for b.PersonID (empty: the caller) on b.Date.
	Book(ctx context.Context, b *Booking) error
	// BookRecurring books every matching date it can, in one transaction,
	// and reports the others with their reasons: partial success, never a
	// silent gap. Errors about the request itself (EINVALID, ENOTFOUND for
	// the desk, EFORBIDDEN) fail the whole call.
	BookRecurring(ctx context.Context, r RecurringBooking) (*RecurringResult, error)
	FindBooking(ctx context.Context, id string) (*Booking, error)
	// ListBookings returns the person's bookings by date: one's own, or
	// anyone's for PermManageSites or PermViewPeople over the person.
	ListBookings(ctx context.Context, f BookingFilter) ([]*Booking, error)
	CancelBooking(ctx context.Context, id string) error
	// CheckIn claims a booking on its day.
	CheckIn(ctx context.Context, id string) error
	// ReleaseUnclaimed frees today's bookings not checked in by the release
	// time at sites that require check-in, as of now, and returns how many.
	// Running it again releases nothing more. It runs as the system or with
	// PermManageSites, in the actor's organisation.
	ReleaseUnclaimed(ctx context.Context, now time.Time) (int, error)

	SetTeamDay(ctx context.Context, d *TeamDay) error
	DeleteTeamDay(ctx context.Context, id string) error
	// ListTeamDays returns the team days that apply to the unit (set on it
	// or on a unit above it) between from and to, both included.
	ListTeamDays(ctx context.Context, unitID string, from, to time.Time) ([]*TeamDay, error)
	// ListTeamBookings returns the active bookings on date of the people in
	// the unit's subtree, so that colleagues can sit near one another.
	ListTeamBookings(ctx context.Context, unitID string, date time.Time) ([]*TeamBooking, error)

	SiteAvailability(ctx context.Context, siteID string, date time.Time) (*SiteAvailability, error)
	// NearestFreeSites returns the organisation's other open sites with at
	// least one desk free all day on date, most free desks first. Sites have
	// no coordinates, so "nearest" means "most room".
	NearestFreeSites(ctx context.Context, siteID string, date time.Time) ([]*SiteLoad, error)
	// Utilisation returns one row per site and weekday that has desks or
	// bookings between from and to (both included, at most 366 days).
	Utilisation(ctx context.Context, from, to time.Time) ([]*UtilisationRow, error)
}
