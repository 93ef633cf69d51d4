package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

// This file holds the hybrid office's places: zones, desks, booking rules,
// availability, utilisation and team days. booking.go holds the bookings.

var _ distans.OfficeService = (*Store)(nil)

func errZoneNotFound() error {
	return distans.NotFound("Zonen finns inte.", "The zone does not exist.")
}

func errDeskNotFound() error {
	return distans.NotFound("Platsen finns inte.", "The desk does not exist.")
}

func errTeamDayNotFound() error {
	return distans.NotFound("Den gemensamma dagen finns inte.", "The team day does not exist.")
}

// lockOffice serialises the organisation's office changes on PostgreSQL
// (desks, rules, cancelling, checking in, releasing) by locking its audit
// head first, which every write locks anyway when it appends its event, so
// that their checks read a settled state. New bookings do not take it: they
// lock only their person (lockPerson) and append their audit events last,
// so a booking never holds the head while waiting on another's slot. The
// unique indexes on booking_slots are what forbids double bookings.
func (s *Store) lockOffice(ctx context.Context, tx *sql.Tx, orgID string) error {
	return s.lockTree(ctx, tx, orgID)
}

// Zones.

const zoneCols = `organisation_id, id, site_id, name, floor, created_at, updated_at`

func scanZone(sc interface{ Scan(...any) error }) (*distans.Zone, error) {
	z := &distans.Zone{}
	err := sc.Scan(&z.OrganisationID, &z.ID, &z.SiteID, &z.Name, &z.Floor, tm(&z.CreatedAt), tm(&z.UpdatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errZoneNotFound()
	}
	return z, err
}

func findZone(ctx context.Context, q querier, orgID, id string) (*distans.Zone, error) {
	return scanZone(q.QueryRowContext(ctx, `SELECT `+zoneCols+` FROM office_zones WHERE organisation_id = $1 AND id = $2`, orgID, id))
}

// ListZones returns a site's zones by name; everyone signed in may.
func (s *Store) ListZones(ctx context.Context, siteID string) ([]*distans.Zone, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := findSite(ctx, s.rdb, a.OrganisationID, siteID); err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+zoneCols+` FROM office_zones WHERE organisation_id = $1 AND site_id = $2
		ORDER BY name, id`, a.OrganisationID, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.Zone
	for rows.Next() {
		z, err := scanZone(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, z)
	}
	return out, rows.Err()
}

// CreateZone needs PermManageSites.
func (s *Store) CreateZone(ctx context.Context, z *distans.Zone) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if err := canManageSites(a); err != nil {
		return err
	}
	if err := z.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := findSite(ctx, tx, a.OrganisationID, z.SiteID); distans.ErrorCode(err) == distans.ENOTFOUND {
			return invalid("site_id", "Arbetsplatsen finns inte.", "The site does not exist.")
		} else if err != nil {
			return err
		}
		z.ID, z.OrganisationID = newID(), a.OrganisationID
		z.CreatedAt = now(ctx)
		z.UpdatedAt = z.CreatedAt
		if _, err := tx.ExecContext(ctx, `INSERT INTO office_zones (`+zoneCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			z.OrganisationID, z.ID, z.SiteID, z.Name, z.Floor, ts(z.CreatedAt), ts(z.UpdatedAt)); err != nil {
			return err
		}
		if err := bumpLayout(ctx, tx, z.OrganisationID, z.SiteID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, z.OrganisationID, "zone.create", "zone", z.ID, "created zone "+z.Name+" at site "+z.SiteID)
	})
}

// UpdateZone changes the name and floor; a zone stays at its site. It
// needs PermManageSites.
func (s *Store) UpdateZone(ctx context.Context, z *distans.Zone) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if err := z.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		old, err := findZone(ctx, tx, a.OrganisationID, z.ID)
		if err != nil {
			return err
		}
		if err := canManageSites(a); err != nil {
			return err
		}
		if z.SiteID != old.SiteID {
			return invalid("site_id", "En zon kan inte flyttas till en annan arbetsplats.", "A zone cannot move to another site.")
		}
		z.OrganisationID, z.CreatedAt, z.UpdatedAt = old.OrganisationID, old.CreatedAt, now(ctx)
		if _, err := tx.ExecContext(ctx, `UPDATE office_zones SET name = $1, floor = $2, updated_at = $3
			WHERE organisation_id = $4 AND id = $5`, z.Name, z.Floor, ts(z.UpdatedAt), z.OrganisationID, z.ID); err != nil {
			return err
		}
		if err := bumpLayout(ctx, tx, z.OrganisationID, z.SiteID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, z.OrganisationID, "zone.update", "zone", z.ID, "updated zone "+z.Name)
	})
}

// Desks.

const deskCols = `d.organisation_id, d.id, d.site_id, d.zone_id, d.label, d.screens, d.height_adjustable, d.quiet, d.accessible,
	d.ended_on, d.created_at, d.updated_at`

func scanDesk(sc interface{ Scan(...any) error }, extra ...any) (*distans.Desk, error) {
	d := &distans.Desk{}
	err := sc.Scan(append([]any{&d.OrganisationID, &d.ID, &d.SiteID, &d.ZoneID, &d.Label, &d.Screens, &d.HeightAdjustable,
		&d.Quiet, &d.Accessible, nulldt(&d.EndedOn), tm(&d.CreatedAt), tm(&d.UpdatedAt)}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errDeskNotFound()
	}
	return d, err
}

func findDesk(ctx context.Context, q querier, orgID, id string) (*distans.Desk, error) {
	return scanDesk(q.QueryRowContext(ctx, `SELECT `+deskCols+` FROM desks d WHERE d.organisation_id = $1 AND d.id = $2`, orgID, id))
}

// FindDesk returns a desk of the actor's organisation.
func (s *Store) FindDesk(ctx context.Context, id string) (*distans.Desk, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	return findDesk(ctx, s.rdb, a.OrganisationID, id)
}

// ListDesks returns a site's desks by zone and label; ended desks (ended
// before today) only when asked for.
func (s *Store) ListDesks(ctx context.Context, siteID string, includeEnded bool) ([]*distans.Desk, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := findSite(ctx, s.rdb, a.OrganisationID, siteID); err != nil {
		return nil, err
	}
	var q args
	where := "d.organisation_id = " + q.add(a.OrganisationID) + " AND d.site_id = " + q.add(siteID)
	if !includeEnded {
		today, err := s.today(ctx, s.rdb, a.OrganisationID)
		if err != nil {
			return nil, err
		}
		where += " AND (d.ended_on IS NULL OR d.ended_on >= " + q.add(day(today)) + ")"
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+deskCols+` FROM desks d WHERE `+where+` ORDER BY d.zone_id, d.label, d.id`, q...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.Desk
	for rows.Next() {
		d, err := scanDesk(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func errDeskLabelTaken(err error) error {
	return conflict(err, "Det finns redan en plats med den beteckningen i zonen.", "The zone already has a desk with that label.")
}

// CreateDesk needs PermManageSites; the desk belongs to its zone's site.
func (s *Store) CreateDesk(ctx context.Context, d *distans.Desk) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if err := canManageSites(a); err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		z, err := findZone(ctx, tx, a.OrganisationID, d.ZoneID)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return invalid("zone_id", "Zonen finns inte.", "The zone does not exist.")
		} else if err != nil {
			return err
		}
		d.ID, d.OrganisationID, d.SiteID, d.EndedOn = newID(), a.OrganisationID, z.SiteID, nil
		d.CreatedAt = now(ctx)
		d.UpdatedAt = d.CreatedAt
		if _, err := tx.ExecContext(ctx, `INSERT INTO desks (organisation_id, id, site_id, zone_id, label, screens,
			height_adjustable, quiet, accessible, ended_on, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11)`,
			d.OrganisationID, d.ID, d.SiteID, d.ZoneID, d.Label, d.Screens, d.HeightAdjustable, d.Quiet, d.Accessible,
			ts(d.CreatedAt), ts(d.UpdatedAt)); err != nil {
			return errDeskLabelTaken(err)
		}
		if err := bumpLayout(ctx, tx, d.OrganisationID, d.SiteID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, d.OrganisationID, "desk.create", "desk", d.ID, "created desk "+d.Label+" in zone "+z.Name)
	})
}

// UpdateDesk changes the label and attributes, and may move the desk to
// another zone of the same site; it needs PermManageSites.
func (s *Store) UpdateDesk(ctx context.Context, d *distans.Desk) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		old, err := findDesk(ctx, tx, a.OrganisationID, d.ID)
		if err != nil {
			return err
		}
		if err := canManageSites(a); err != nil {
			return err
		}
		if d.ZoneID != old.ZoneID {
			z, err := findZone(ctx, tx, a.OrganisationID, d.ZoneID)
			if distans.ErrorCode(err) == distans.ENOTFOUND {
				return invalid("zone_id", "Zonen finns inte.", "The zone does not exist.")
			} else if err != nil {
				return err
			}
			if z.SiteID != old.SiteID {
				return invalid("zone_id", "En plats kan bara flyttas till en zon på samma arbetsplats.", "A desk can only move to a zone of the same site.")
			}
		}
		d.OrganisationID, d.SiteID, d.EndedOn, d.CreatedAt = old.OrganisationID, old.SiteID, old.EndedOn, old.CreatedAt
		d.UpdatedAt = now(ctx)
		if _, err := tx.ExecContext(ctx, `UPDATE desks SET zone_id = $1, label = $2, screens = $3, height_adjustable = $4,
			quiet = $5, accessible = $6, updated_at = $7 WHERE organisation_id = $8 AND id = $9`,
			d.ZoneID, d.Label, d.Screens, d.HeightAdjustable, d.Quiet, d.Accessible, ts(d.UpdatedAt), d.OrganisationID, d.ID); err != nil {
			return errDeskLabelTaken(err)
		}
		if err := bumpLayout(ctx, tx, d.OrganisationID, d.SiteID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, d.OrganisationID, "desk.update", "desk", d.ID, "updated desk "+d.Label)
	})
}

// EndDesk sets the desk's last day and cancels its active bookings after
// that day, in the same transaction; it needs PermManageSites.
func (s *Store) EndDesk(ctx context.Context, id string, on time.Time) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	on = distans.DateOf(on)
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.lockOffice(ctx, tx, a.OrganisationID); err != nil {
			return err
		}
		d, err := findDesk(ctx, tx, a.OrganisationID, id)
		if err != nil {
			return err
		}
		if err := canManageSites(a); err != nil {
			return err
		}
		after := `SELECT id FROM bookings WHERE organisation_id = $1 AND desk_id = $2 AND date > $3 AND status IN ('booked', 'checked_in')`
		if _, err := tx.ExecContext(ctx, `DELETE FROM booking_slots WHERE organisation_id = $1 AND booking_id IN (`+after+`)`,
			d.OrganisationID, d.ID, day(on)); err != nil {
			return err
		}
		// The cancelled bookings come back from the UPDATE itself: whoever
		// loses one is told, once per booking.
		rows, err := tx.QueryContext(ctx, `UPDATE bookings SET status = 'cancelled', updated_at = $4
			WHERE organisation_id = $1 AND desk_id = $2 AND date > $3 AND status IN ('booked', 'checked_in')
			RETURNING id, person_id, date`, d.OrganisationID, d.ID, day(on), ts(now(ctx)))
		if err != nil {
			return err
		}
		var lost []*distans.Notification
		for rows.Next() {
			var bookingID, personID string
			var date time.Time
			if err := rows.Scan(&bookingID, &personID, dt(&date)); err != nil {
				rows.Close()
				return err
			}
			lost = append(lost, &distans.Notification{OrganisationID: d.OrganisationID, PersonID: personID,
				Key: "booking/" + bookingID + "/cancelled/" + personID, Kind: distans.NotifyBookingCancelled,
				Params: map[string]string{"desk": d.Label, "date": day(date)}, Link: "/office"})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE desks SET ended_on = $1, updated_at = $2 WHERE organisation_id = $3 AND id = $4`,
			day(on), ts(now(ctx)), d.OrganisationID, d.ID); err != nil {
			return err
		}
		if err := bumpLayout(ctx, tx, d.OrganisationID, d.SiteID); err != nil {
			return err
		}
		for _, n := range lost {
			if _, err := notify(ctx, tx, n); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, d.OrganisationID, "desk.end", "desk", d.ID,
			"ended desk "+d.Label+" on "+day(on)+", cancelled "+strconv.Itoa(len(lost))+" later bookings")
	})
}

// Booking rules.

// rulesCols are read from a LEFT JOIN: NULL when the site has no rules of
// its own.
const rulesCols = `r.horizon_days, r.max_per_week, r.check_in_required, r.release_at, r.pm_release_at, r.congestion_percent, r.updated_at`

type rulesRow struct {
	horizon, maxWeek, release, pmRelease, congestion sql.NullInt64
	checkIn                                          sql.NullBool
	updated                                          *time.Time
}

func (r *rulesRow) dest() []any {
	return []any{&r.horizon, &r.maxWeek, &r.checkIn, &r.release, &r.pmRelease, &r.congestion, nulltm(&r.updated)}
}

func (r *rulesRow) rules(orgID, siteID string) *distans.BookingRules {
	out := distans.DefaultBookingRules
	out.OrganisationID, out.SiteID = orgID, siteID
	if r.horizon.Valid {
		out.HorizonDays, out.MaxPerWeek, out.CheckInRequired = int(r.horizon.Int64), int(r.maxWeek.Int64), r.checkIn.Bool
		out.ReleaseAt, out.PMReleaseAt = distans.TimeOfDay(r.release.Int64), distans.TimeOfDay(r.pmRelease.Int64)
		out.CongestionPercent = int(r.congestion.Int64)
		if r.updated != nil {
			out.UpdatedAt = *r.updated
		}
	}
	return &out
}

// siteRulesCols are a site s with its rules r, for siteRulesDest; the
// query joins booking_rules r with siteRulesJoin.
const (
	siteRulesCols = `s.organisation_id, s.id, s.name, s.kind, s.street, s.postal_code, s.city, s.ended_on,
		s.created_at, s.updated_at, ` + rulesCols
	siteRulesJoin = ` LEFT JOIN booking_rules r ON r.organisation_id = s.organisation_id AND r.site_id = s.id`
)

func siteRulesDest(x *distans.Site, r *rulesRow) []any {
	return append([]any{&x.OrganisationID, &x.ID, &x.Name, &x.Kind, &x.Street, &x.PostalCode, &x.City,
		nulldt(&x.EndedOn), tm(&x.CreatedAt), tm(&x.UpdatedAt)}, r.dest()...)
}

// siteWithRules returns a site of the organisation and its rules in one
// query.
func siteWithRules(ctx context.Context, q querier, orgID, siteID string) (*distans.Site, *distans.BookingRules, error) {
	x := &distans.Site{}
	var r rulesRow
	err := q.QueryRowContext(ctx, `SELECT `+siteRulesCols+` FROM sites s`+siteRulesJoin+`
		WHERE s.organisation_id = $1 AND s.id = $2`, orgID, siteID).Scan(siteRulesDest(x, &r)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errSiteNotFound()
	} else if err != nil {
		return nil, nil, err
	}
	return x, r.rules(orgID, siteID), nil
}

// BookingRules returns the site's rules; everyone signed in may read them.
func (s *Store) BookingRules(ctx context.Context, siteID string) (*distans.BookingRules, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	_, r, err := siteWithRules(ctx, s.rdb, a.OrganisationID, siteID)
	return r, err
}

// SetBookingRules replaces the site's rules; it needs PermManageSites.
func (s *Store) SetBookingRules(ctx context.Context, r *distans.BookingRules) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		site, err := findSite(ctx, tx, a.OrganisationID, r.SiteID)
		if err != nil {
			return err
		}
		if err := canManageSites(a); err != nil {
			return err
		}
		r.OrganisationID, r.UpdatedAt = a.OrganisationID, now(ctx)
		if _, err := tx.ExecContext(ctx, `DELETE FROM booking_rules WHERE organisation_id = $1 AND site_id = $2`,
			r.OrganisationID, r.SiteID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO booking_rules (organisation_id, site_id, horizon_days, max_per_week,
			check_in_required, release_at, pm_release_at, congestion_percent, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			r.OrganisationID, r.SiteID, r.HorizonDays, r.MaxPerWeek, r.CheckInRequired, int(r.ReleaseAt), int(r.PMReleaseAt),
			r.CongestionPercent, ts(r.UpdatedAt)); err != nil {
			return err
		}
		if err := bumpLayout(ctx, tx, r.OrganisationID, r.SiteID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, r.OrganisationID, "booking_rules.set", "site", r.SiteID, "set booking rules of site "+site.Name+
			": "+strconv.Itoa(r.HorizonDays)+" days ahead, "+strconv.Itoa(r.MaxPerWeek)+" a week, check-in "+strconv.FormatBool(r.CheckInRequired)+
			" by "+r.ReleaseAt.String()+"/"+r.PMReleaseAt.String()+", congested at "+strconv.Itoa(r.CongestionPercent)+"%")
	})
}

// Availability.

// sharePercent returns part of whole in whole percent, rounded down; 0 when
// whole is 0.
func sharePercent(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return part * 100 / whole
}

// SiteAvailability returns the site's desks on date with who holds each
// half day. Names are shown only for people the viewer may see (their own
// booking, or PermViewPeople over the person); others are just booked.
// One query reads the site's layout version and the day's active bookings
// (with the people's names only when the viewer may see someone else's);
// the site, its rules and its layout come from memory while that version
// stands (see layout.go). Zones carry no timestamps here.
func (s *Store) SiteAvailability(ctx context.Context, siteID string, date time.Time) (*distans.SiteAvailability, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	date = distans.DateOf(date)
	// Someone who may see no one else's name needs no names from people:
	// their own is the actor's.
	names, join := `'', ''`, ``
	if a.System || !a.Scope(distans.PermViewPeople).None() {
		names = `p.name, p.unit_path`
		join = ` LEFT JOIN people p ON p.organisation_id = b.organisation_id AND p.id = b.person_id`
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT s.layout_version, b.id, b.desk_id, b.person_id, b.part, b.status, `+names+`
		FROM sites s
		LEFT JOIN bookings b ON b.organisation_id = s.organisation_id AND b.site_id = s.id AND b.date = $3
			AND b.status IN ('booked', 'checked_in')`+join+`
		WHERE s.organisation_id = $1 AND s.id = $2`, a.OrganisationID, siteID, day(date))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var version int64
	type holder struct {
		h      distans.SlotHolder
		deskID string
	}
	holders := make([]holder, 0, 64)
	found := false
	var id, deskID, personID, part, status, name, unitPath sql.NullString // one allocation, not one per row
	for rows.Next() {
		found = true
		if err := rows.Scan(&version, &id, &deskID, &personID, &part, &status, &name, &unitPath); err != nil {
			return nil, err
		}
		if !id.Valid {
			continue // no bookings that day
		}
		h := distans.SlotHolder{BookingID: id.String, PersonID: personID.String, Part: distans.DayPart(part.String),
			Status: distans.BookingStatus(status.String), Name: name.String}
		h.Mine = h.PersonID == a.PersonID
		if h.Mine {
			h.Name = cmp.Or(h.Name, a.Name)
		} else if !canSee(a, &distans.Person{ID: h.PersonID, UnitPath: unitPath.String}) {
			h.BookingID, h.PersonID, h.Name = "", "", ""
		}
		holders = append(holders, holder{h, deskID.String})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !found {
		return nil, errSiteNotFound()
	}
	rows.Close()
	layout, err := s.layout(ctx, a.OrganisationID, siteID, version)
	if err != nil {
		return nil, err
	}

	// The desks, their copies and their zones are allocated together: one
	// allocation each per site rather than per desk.
	site, rules := layout.site, layout.rules
	out := &distans.SiteAvailability{Site: &site, Date: date, Rules: &rules}
	desks := make([]distans.Desk, len(layout.desks))
	avail := make([]distans.DeskAvailability, len(layout.desks))
	var zone *distans.ZoneAvailability
	for i := range layout.desks {
		ld := &layout.desks[i]
		if !ld.desk.ActiveOn(date) {
			continue
		}
		if zone == nil || zone.Zone.ID != ld.zone.ID {
			z := ld.zone
			zone = &distans.ZoneAvailability{Zone: &z}
			out.Zones = append(out.Zones, zone)
		}
		desks[i] = ld.desk
		avail[i] = distans.DeskAvailability{Desk: &desks[i], State: distans.DeskFree}
		zone.Desks = append(zone.Desks, &avail[i])
	}
	taken := 0
	for i := range holders {
		x := &holders[i]
		j, ok := layout.index[x.deskID]
		if !ok || avail[j].Desk == nil {
			continue // a desk that ended before the day: its bookings were cancelled
		}
		for _, half := range x.h.Part.Halves() {
			if half == distans.PartAM {
				avail[j].AM = &x.h
			} else {
				avail[j].PM = &x.h
			}
			taken++
		}
	}
	for _, z := range out.Zones {
		for _, da := range z.Desks {
			out.Desks++
			switch {
			case da.AM != nil && da.PM != nil:
				da.State = distans.DeskDayTaken
			case da.AM != nil:
				da.State = distans.DeskAMTaken
				out.FreePM++
			case da.PM != nil:
				da.State = distans.DeskPMTaken
				out.FreeAM++
			default:
				z.Free++
				out.FreeDesks++
				out.FreeAM++
				out.FreePM++
			}
		}
	}
	out.BookedPercent = sharePercent(taken, 2*out.Desks)
	out.Congested = out.Desks > 0 && taken*100 >= out.Rules.CongestionPercent*2*out.Desks
	return out, nil
}

// naturalCompare orders labels as people read them: "P2" before "P10".
func naturalCompare(x, y string) int {
	for x != "" && y != "" {
		dx, dy := digitPrefix(x), digitPrefix(y)
		if dx > 0 && dy > 0 {
			nx, ny := strings.TrimLeft(x[:dx], "0"), strings.TrimLeft(y[:dy], "0")
			if c := cmp.Or(cmp.Compare(len(nx), len(ny)), cmp.Compare(nx, ny)); c != 0 {
				return c
			}
			x, y = x[dx:], y[dy:]
			continue
		}
		if x[0] != y[0] {
			return cmp.Compare(x[0], y[0])
		}
		x, y = x[1:], y[1:]
	}
	return cmp.Compare(len(x), len(y))
}

func digitPrefix(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// NearestFreeSites returns the organisation's other sites, open on date,
// with at least one desk free all day, most free desks first and then by
// name. Sites carry no coordinates, so the order is by room, not distance.
func (s *Store) NearestFreeSites(ctx context.Context, siteID string, date time.Time) ([]*distans.SiteLoad, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	date = distans.DateOf(date)
	if _, err := findSite(ctx, s.rdb, a.OrganisationID, siteID); err != nil {
		return nil, err
	}
	org, d := a.OrganisationID, day(date)
	loads := map[string]*distans.SiteLoad{}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+siteCols+` FROM sites WHERE organisation_id = $1 AND id <> $2
		AND (ended_on IS NULL OR ended_on >= $3)`, org, siteID, d)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		x, err := scanSite(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		loads[x.ID] = &distans.SiteLoad{Site: x}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.rdb.QueryContext(ctx, `SELECT site_id, COUNT(*) FROM desks WHERE organisation_id = $1
		AND (ended_on IS NULL OR ended_on >= $2) GROUP BY site_id`, org, d)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, err
		}
		if l := loads[id]; l != nil {
			l.Desks, l.FreeDesks = n, n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Each desk with any booking that day is not free all day; slots count
	// half days for the percentage.
	rows, err = s.rdb.QueryContext(ctx, `SELECT site_id, desk_id, part FROM bookings WHERE organisation_id = $1 AND date = $2
		AND status IN ('booked', 'checked_in') AND site_id <> $3 ORDER BY site_id, desk_id`, org, d, siteID)
	if err != nil {
		return nil, err
	}
	slots := map[string]int{}
	var lastSite, lastDesk string
	for rows.Next() {
		var site, desk string
		var part distans.DayPart
		if err := rows.Scan(&site, &desk, &part); err != nil {
			rows.Close()
			return nil, err
		}
		l := loads[site]
		if l == nil {
			continue
		}
		if site != lastSite || desk != lastDesk {
			l.FreeDesks--
			lastSite, lastDesk = site, desk
		}
		slots[site] += len(part.Halves())
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []*distans.SiteLoad
	for id, l := range loads {
		if l.FreeDesks <= 0 {
			continue
		}
		l.BookedPercent = sharePercent(slots[id], 2*l.Desks)
		out = append(out, l)
	}
	slices.SortFunc(out, func(x, y *distans.SiteLoad) int {
		return cmp.Or(cmp.Compare(y.FreeDesks, x.FreeDesks), cmp.Compare(x.Site.Name, y.Site.Name), cmp.Compare(x.Site.ID, y.Site.ID))
	})
	return out, nil
}

// Utilisation counts desk-days per site and weekday between from and to.
// It needs PermViewAggregates or PermManageSites somewhere: the figures are
// counts of the organisation's sites, never of people.
func (s *Store) Utilisation(ctx context.Context, from, to time.Time) ([]*distans.UtilisationRow, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if !a.SeesUtilisation() {
		return nil, distans.Forbidden()
	}
	from, to = distans.DateOf(from), distans.DateOf(to)
	if to.Before(from) || to.Sub(from) > distans.MaxRecurringDays*24*time.Hour {
		return nil, invalid("to", "Perioden ska vara högst 366 dagar och sluta efter att den börjar.",
			"The period must be at most 366 days and end after it starts.")
	}
	org := a.OrganisationID
	type key struct {
		site string
		wd   time.Weekday
	}
	rowsBy := map[key]*distans.UtilisationRow{}
	row := func(site string, wd time.Weekday) *distans.UtilisationRow {
		k := key{site, wd}
		r := rowsBy[k]
		if r == nil {
			r = &distans.UtilisationRow{SiteID: site, Weekday: wd}
			rowsBy[k] = r
		}
		return r
	}
	days := map[time.Weekday]int{}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		days[d.Weekday()]++
	}

	// Capacity: every desk counts on each day from its creation to its end.
	rows, err := s.rdb.QueryContext(ctx, `SELECT site_id, created_at, ended_on FROM desks WHERE organisation_id = $1`, org)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var site string
		var created time.Time
		var ended *time.Time
		if err := rows.Scan(&site, tm(&created), nulldt(&ended)); err != nil {
			rows.Close()
			return nil, err
		}
		first, last := from, to
		if c := distans.DateOf(created); c.After(first) {
			first = c
		}
		if ended != nil && ended.Before(last) {
			last = *ended
		}
		for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
			row(site, d.Weekday()).Capacity++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = s.rdb.QueryContext(ctx, `SELECT site_id, date, part, status, COUNT(*) FROM bookings
		WHERE organisation_id = $1 AND date >= $2 AND date <= $3 AND status <> 'cancelled'
		GROUP BY site_id, date, part, status`, org, day(from), day(to))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var site string
		var d time.Time
		var part distans.DayPart
		var status distans.BookingStatus
		var n int
		if err := rows.Scan(&site, dt(&d), &part, &status, &n); err != nil {
			rows.Close()
			return nil, err
		}
		weight := 0.5 * float64(len(part.Halves()))
		r := row(site, d.Weekday())
		r.Booked += weight * float64(n)
		if status == distans.BookingCheckedIn {
			r.CheckedIn += weight * float64(n)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	names := map[string]string{}
	rows, err = s.rdb.QueryContext(ctx, `SELECT id, name FROM sites WHERE organisation_id = $1`, org)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		names[id] = name
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]*distans.UtilisationRow, 0, len(rowsBy))
	for _, r := range rowsBy {
		r.SiteName, r.Days = names[r.SiteID], days[r.Weekday]
		out = append(out, r)
	}
	monday := func(wd time.Weekday) int { return (int(wd) + 6) % 7 }
	slices.SortFunc(out, func(x, y *distans.UtilisationRow) int {
		return cmp.Or(cmp.Compare(x.SiteName, y.SiteName), cmp.Compare(x.SiteID, y.SiteID), cmp.Compare(monday(x.Weekday), monday(y.Weekday)))
	})
	return out, nil
}

// Team days.

// teamAccess allows the unit's team to read its team days and bookings:
// people placed in the unit's subtree, its managers, and those with
// PermViewPeople over it. Others get EFORBIDDEN (the tree itself is public).
func (s *Store) teamAccess(ctx context.Context, a *distans.Actor, u *distans.Unit) error {
	if a.SetsTeamDays(u.Path) || a.Scope(distans.PermViewPeople).Contains(u.Path) {
		return nil
	}
	if a.PersonID != "" {
		p, err := findPersonRow(ctx, s.rdb, a.OrganisationID, a.PersonID)
		if err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
			return err
		}
		if p != nil && p.UnitPath != "" && strings.HasPrefix(p.UnitPath, u.Path) {
			return nil
		}
	}
	return distans.Forbidden()
}

const teamDayCols = `organisation_id, id, unit_id, date, note, created_by, created_at`

func scanTeamDay(sc interface{ Scan(...any) error }) (*distans.TeamDay, error) {
	d := &distans.TeamDay{}
	err := sc.Scan(&d.OrganisationID, &d.ID, &d.UnitID, dt(&d.Date), &d.Note, &d.CreatedBy, tm(&d.CreatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errTeamDayNotFound()
	}
	return d, err
}

// SetTeamDay adds a team day for a unit; it needs the chef role over the
// unit. One team day per unit and date (ECONFLICT for a second).
func (s *Store) SetTeamDay(ctx context.Context, d *distans.TeamDay) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	d.Date = distans.DateOf(d.Date)
	return s.write(ctx, func(tx *sql.Tx) error {
		u, err := findUnit(ctx, tx, a.OrganisationID, d.UnitID)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return invalid("unit_id", "Enheten finns inte.", "The unit does not exist.")
		} else if err != nil {
			return err
		}
		if !a.SetsTeamDays(u.Path) {
			return distans.Forbidden()
		}
		today, err := s.today(ctx, tx, a.OrganisationID)
		if err != nil {
			return err
		}
		if d.Date.Before(today) {
			return invalid("date", "Datumet har redan varit.", "The date has passed.")
		}
		d.ID, d.OrganisationID, d.CreatedBy, d.CreatedAt = newID(), a.OrganisationID, a.PersonID, now(ctx)
		if _, err := tx.ExecContext(ctx, `INSERT INTO team_days (`+teamDayCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			d.OrganisationID, d.ID, d.UnitID, day(d.Date), d.Note, d.CreatedBy, ts(d.CreatedAt)); err != nil {
			return conflict(err, "Enheten har redan en gemensam dag det datumet.", "The unit already has a team day on that date.")
		}
		return s.audit(ctx, tx, a, d.OrganisationID, "team_day.create", "team_day", d.ID, "set team day "+day(d.Date)+" for unit "+u.Name)
	})
}

// DeleteTeamDay removes a team day; it needs the chef role over its unit.
func (s *Store) DeleteTeamDay(ctx context.Context, id string) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		d, err := scanTeamDay(tx.QueryRowContext(ctx, `SELECT `+teamDayCols+` FROM team_days WHERE organisation_id = $1 AND id = $2`,
			a.OrganisationID, id))
		if err != nil {
			return err
		}
		u, err := findUnit(ctx, tx, a.OrganisationID, d.UnitID)
		if err != nil {
			return err
		}
		if !a.SetsTeamDays(u.Path) {
			return distans.Forbidden()
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM team_days WHERE organisation_id = $1 AND id = $2`, d.OrganisationID, d.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, d.OrganisationID, "team_day.delete", "team_day", d.ID, "removed team day "+day(d.Date)+" of unit "+u.Name)
	})
}

// ListTeamDays returns the team days set on the unit or on any unit above
// it, by date.
func (s *Store) ListTeamDays(ctx context.Context, unitID string, from, to time.Time) ([]*distans.TeamDay, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	u, err := findUnit(ctx, s.rdb, a.OrganisationID, unitID)
	if err != nil {
		return nil, err
	}
	if err := s.teamAccess(ctx, a, u); err != nil {
		return nil, err
	}
	var q args
	var ids []string
	for _, id := range strings.Split(strings.Trim(u.Path, "/"), "/") {
		ids = append(ids, q.add(id))
	}
	where := "organisation_id = " + q.add(a.OrganisationID) + " AND unit_id IN (" + strings.Join(ids, ", ") + ")"
	if !from.IsZero() {
		where += " AND date >= " + q.add(day(distans.DateOf(from)))
	}
	if !to.IsZero() {
		where += " AND date <= " + q.add(day(distans.DateOf(to)))
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+teamDayCols+` FROM team_days WHERE `+where+` ORDER BY date, id`, q...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.TeamDay
	for rows.Next() {
		d, err := scanTeamDay(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ListTeamBookings returns where the people of the unit's subtree sit on
// date, by site, zone and desk.
func (s *Store) ListTeamBookings(ctx context.Context, unitID string, date time.Time) ([]*distans.TeamBooking, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	u, err := findUnit(ctx, s.rdb, a.OrganisationID, unitID)
	if err != nil {
		return nil, err
	}
	if err := s.teamAccess(ctx, a, u); err != nil {
		return nil, err
	}
	var q args
	where := "b.organisation_id = " + q.add(a.OrganisationID) + " AND b.date = " + q.add(day(distans.DateOf(date))) +
		" AND b.status IN ('booked', 'checked_in') AND " + inSubtree(&q, "p.unit_path", u.Path)
	rows, err := s.rdb.QueryContext(ctx, `SELECT b.id, b.person_id, p.name, b.part, b.status, b.site_id, s.name, d.zone_id, z.name,
		b.desk_id, d.label
		FROM bookings b
		JOIN people p ON p.organisation_id = b.organisation_id AND p.id = b.person_id
		JOIN desks d ON d.organisation_id = b.organisation_id AND d.id = b.desk_id
		JOIN office_zones z ON z.organisation_id = d.organisation_id AND z.id = d.zone_id
		JOIN sites s ON s.organisation_id = b.organisation_id AND s.id = b.site_id
		WHERE `+where+` ORDER BY s.name, z.name, d.label, b.part, b.id`, q...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.TeamBooking
	for rows.Next() {
		x := &distans.TeamBooking{}
		if err := rows.Scan(&x.BookingID, &x.PersonID, &x.Name, &x.Part, &x.Status, &x.SiteID, &x.SiteName, &x.ZoneID,
			&x.ZoneName, &x.DeskID, &x.DeskLabel); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
