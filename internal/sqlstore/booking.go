package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

// Bookings. A booking's row is its history; while it is active it also
// holds one booking_slots row per half day, and the unique indexes on
// (organisation, desk, date, half) and (organisation, person, date, half)
// refuse a second claim on the same half day, whatever the checks before
// them saw. The checks are there to give a precise message; the indexes
// are the guarantee.

func errBookingNotFound() error {
	return distans.NotFound("Bokningen finns inte.", "The booking does not exist.")
}

func errDeskTaken() error {
	return distans.Errorf(distans.ECONFLICT, "Platsen är redan bokad den dagen.", "The desk is already booked that day.")
}

func errPersonBusy(self bool) error {
	if self {
		return distans.Errorf(distans.ECONFLICT, "Du har redan en plats bokad då. Avboka den först.",
			"You already have a desk booked then. Cancel that booking first.")
	}
	return distans.Errorf(distans.ECONFLICT, "Personen har redan en plats bokad då.", "The person already has a desk booked then.")
}

// slotConflict turns a violated slot index into the message for it.
func slotConflict(err error, self bool) error {
	if !isUnique(err) {
		return err
	}
	// PostgreSQL names the index (booking_slots_person), SQLite its
	// columns (booking_slots.person_id).
	if strings.Contains(err.Error(), "person") {
		return errPersonBusy(self)
	}
	return errDeskTaken()
}

const bookingCols = `organisation_id, id, site_id, desk_id, person_id, booked_by, date, part, status, series_id, checked_in_at,
	created_at, updated_at`

func scanBooking(sc interface{ Scan(...any) error }) (*distans.Booking, error) {
	b := &distans.Booking{}
	err := sc.Scan(&b.OrganisationID, &b.ID, &b.SiteID, &b.DeskID, &b.PersonID, &b.BookedBy, dt(&b.Date), &b.Part, &b.Status,
		&b.SeriesID, nulltm(&b.CheckedInAt), tm(&b.CreatedAt), tm(&b.UpdatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errBookingNotFound()
	}
	return b, err
}

func findBooking(ctx context.Context, q querier, orgID, id string) (*distans.Booking, error) {
	return scanBooking(q.QueryRowContext(ctx, `SELECT `+bookingCols+` FROM bookings WHERE organisation_id = $1 AND id = $2`, orgID, id))
}

// booker holds what every date of one booking request shares: the desk,
// its site and rules, whom it is for, and today.
type booker struct {
	s        *Store
	a        *distans.Actor
	desk     *distans.Desk
	site     *distans.Site
	rules    *distans.BookingRules
	personID string
	self     bool
	today    time.Time
	at       time.Time // the instant of the request, stamped on what it creates
}

// newBooker checks the parts of a request that do not depend on the date:
// the desk exists in the organisation (ENOTFOUND), and the actor may book
// for the person (their own booking, or PermManageSites for anyone in the
// organisation).
func (s *Store) newBooker(ctx context.Context, q querier, a *distans.Actor, deskID, personID string) (*booker, error) {
	k := &booker{s: s, a: a, personID: personID}
	if k.personID == "" {
		k.personID = a.PersonID
	}
	if k.personID == "" {
		return nil, invalid("person_id", "Ange vem bokningen gäller.", "Say whom the booking is for.")
	}
	k.self = k.personID == a.PersonID
	if !k.self {
		if err := canManageSites(a); err != nil {
			p, ferr := findPersonRow(ctx, q, a.OrganisationID, k.personID)
			if ferr != nil || !canSee(a, p) {
				return nil, errPersonNotFound()
			}
			return nil, err
		}
		if _, err := findPersonRow(ctx, q, a.OrganisationID, k.personID); distans.ErrorCode(err) == distans.ENOTFOUND {
			return nil, invalid("person_id", "Personen finns inte i organisationen.", "The person is not in the organisation.")
		} else if err != nil {
			return nil, err
		}
	}
	// The desk with its site and rules, in one query.
	k.site = &distans.Site{}
	var r rulesRow
	var err error
	k.desk, err = scanDesk(q.QueryRowContext(ctx, `SELECT `+deskCols+`, `+siteRulesCols+`
		FROM desks d JOIN sites s ON s.organisation_id = d.organisation_id AND s.id = d.site_id`+siteRulesJoin+`
		WHERE d.organisation_id = $1 AND d.id = $2`, a.OrganisationID, deskID), siteRulesDest(k.site, &r)...)
	if err != nil {
		return nil, err
	}
	k.rules = r.rules(a.OrganisationID, k.site.ID)
	if k.today, err = s.today(ctx, q, a.OrganisationID); err != nil {
		return nil, err
	}
	k.at = now(ctx)
	return k, nil
}

// lockPerson serialises one person's bookings on PostgreSQL where the site
// has a weekly maximum, so that it holds when the same person books twice
// at once, without serialising everyone else's (the slot indexes keep
// desks single). It is an advisory lock, so it never waits on a row another
// write holds; SQLite's single writer needs none.
func (k *booker) lockPerson(ctx context.Context, tx *sql.Tx) error {
	if k.s.dialect.name != "postgres" || k.rules.MaxPerWeek == 0 {
		return nil
	}
	orgID, personID := k.a.OrganisationID, k.personID
	h := fnv.New64a()
	h.Write([]byte("distans-booking\x00" + orgID + "\x00" + personID))
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(h.Sum64()))
	return err
}

// check applies the rules for one date in the order a person would fix
// them: the date itself, the desk and site, the weekly maximum. Whether the
// desk is free, and whether the person already holds a desk then, is left
// to the insert: the slot indexes answer both, naming which (slotConflict).
func (k *booker) check(ctx context.Context, q querier, date time.Time, part distans.DayPart) error {
	horizon := k.today.AddDate(0, 0, k.rules.HorizonDays)
	switch {
	case date.Before(k.today):
		return invalid("date", "Datumet har redan varit.", "The date has passed.")
	case date.After(horizon):
		return invalid("date", fmt.Sprintf("Du kan boka högst %d dagar framåt, till och med %s.", k.rules.HorizonDays, day(horizon)),
			fmt.Sprintf("You can book at most %d days ahead, up to %s.", k.rules.HorizonDays, day(horizon)))
	case !k.desk.ActiveOn(date):
		return invalid("desk_id", "Platsen används inte längre det datumet.", "The desk is no longer in use on that date.")
	case k.site.EndedOn != nil && k.site.EndedOn.Before(date):
		return invalid("desk_id", "Arbetsplatsen är stängd det datumet.", "The site is closed on that date.")
	}
	if k.rules.MaxPerWeek > 0 {
		var n int
		monday := date.AddDate(0, 0, -((int(date.Weekday()) + 6) % 7))
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM bookings WHERE organisation_id = $1 AND person_id = $2
			AND date >= $3 AND date <= $4 AND site_id = $5 AND status IN ('booked', 'checked_in')`,
			k.a.OrganisationID, k.personID, day(monday), day(monday.AddDate(0, 0, 6)), k.site.ID).Scan(&n); err != nil {
			return err
		}
		if n >= k.rules.MaxPerWeek {
			who := "Du har"
			if !k.self {
				who = "Personen har"
			}
			return distans.Errorf(distans.ECONFLICT,
				fmt.Sprintf("%s redan %d bokningar på %s veckan som börjar %s, och mer tillåts inte.", who, n, k.site.Name, day(monday)),
				fmt.Sprintf("The limit of %d bookings at %s in the week starting %s is reached.", k.rules.MaxPerWeek, k.site.Name, day(monday)))
		}
	}
	return nil
}

// insert writes the booking and its slots. A violated slot index comes
// back as ECONFLICT; within a transaction that goes on (BookRecurring) the
// caller must have set a savepoint, since PostgreSQL aborts the
// transaction on the error.
func (k *booker) insert(ctx context.Context, tx *sql.Tx, date time.Time, part distans.DayPart, seriesID string) (*distans.Booking, error) {
	b := k.booking(date, part, seriesID)
	var q args
	if _, err := tx.ExecContext(ctx, bookingInsert(b, &q), q...); err != nil {
		return nil, err
	}
	q = nil
	if _, err := tx.ExecContext(ctx, slotsInsert(b, &q), q...); err != nil {
		return nil, slotConflict(err, k.self)
	}
	return b, nil
}

// insertAlone writes the booking, its slots and its audit event in one
// statement that is its own transaction (PostgreSQL only). The event goes
// to audit_pending (auditpending.go): racing bookers do not queue on the
// organisation's audit head, and the chain takes the event moments later.
func (k *booker) insertAlone(ctx context.Context, date time.Time, part distans.DayPart) (*distans.Booking, error) {
	b := k.booking(date, part, "")
	var q args
	stmt := `WITH b AS (` + bookingInsert(b, &q) + `), s AS (` + slotsInsert(b, &q) + `) ` + appendPending(k.event(b), &q)
	// One statement is a transaction of its own, and is retried as write
	// retries one (retryAborted).
	if err := retryAborted(ctx, writeAttempts, func() error {
		_, err := k.s.bdb.ExecContext(ctx, stmt, q...)
		return err
	}); err != nil {
		return nil, slotConflict(err, k.self)
	}
	return b, nil
}

// booking is a new booking of the desk for the person.
func (k *booker) booking(date time.Time, part distans.DayPart, seriesID string) *distans.Booking {
	b := &distans.Booking{ID: newID(), OrganisationID: k.a.OrganisationID, SiteID: k.site.ID, DeskID: k.desk.ID,
		PersonID: k.personID, BookedBy: k.a.PersonID, Date: date, Part: part, Status: distans.BookingBooked, SeriesID: seriesID,
		CreatedAt: k.at}
	b.UpdatedAt = b.CreatedAt
	return b
}

// bookingInsert is the INSERT of b's row, its arguments added to q.
func bookingInsert(b *distans.Booking, q *args) string {
	return `INSERT INTO bookings (` + bookingCols + `) VALUES (` + strings.Join([]string{q.add(b.OrganisationID), q.add(b.ID),
		q.add(b.SiteID), q.add(b.DeskID), q.add(b.PersonID), q.add(b.BookedBy), q.add(day(b.Date)), q.add(string(b.Part)),
		q.add(string(b.Status)), q.add(b.SeriesID), "NULL", q.add(ts(b.CreatedAt)), q.add(ts(b.UpdatedAt))}, ", ") + `)`
}

// slotsInsert is the INSERT of b's slots, one per half day, whose unique
// indexes refuse a desk or a person twice; its arguments are added to q.
func slotsInsert(b *distans.Booking, q *args) string {
	var values []string
	for _, h := range b.Part.Halves() {
		values = append(values, "("+strings.Join([]string{q.add(b.OrganisationID), q.add(b.ID), q.add(string(h)), q.add(b.DeskID),
			q.add(b.PersonID), q.add(day(b.Date))}, ", ")+")")
	}
	return `INSERT INTO booking_slots (organisation_id, booking_id, half, desk_id, person_id, date) VALUES ` + strings.Join(values, ", ")
}

// event is b's audit event.
func (k *booker) event(b *distans.Booking) *distans.AuditEvent {
	return newAuditEvent(k.at, k.a, b.OrganisationID, "booking.create", "booking", b.ID, k.summary(b))
}

func (k *booker) audit(ctx context.Context, tx *sql.Tx, b *distans.Booking) error {
	return k.s.audit(ctx, tx, k.a, b.OrganisationID, "booking.create", "booking", b.ID, k.summary(b))
}

func (k *booker) summary(b *distans.Booking) string {
	return "booked desk " + k.desk.Label + " (" + b.DeskID + ") on " + day(b.Date) + " " + string(b.Part) + " for person " + b.PersonID
}

// Book books one desk for one day or half day; see distans.OfficeService
// for the rules. On success b holds the stored booking.
func (s *Store) Book(ctx context.Context, b *distans.Booking) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if err := b.Validate(); err != nil {
		return err
	}
	date := distans.DateOf(b.Date)
	k := deskDay{a.OrganisationID, b.DeskID, day(date)}
	q, err := s.desks.enter(ctx, k)
	if err != nil {
		return err
	}
	defer s.desks.leave(k, q)
	if q.booked(b.Part) {
		return errDeskTaken()
	}
	if err := s.book(ctx, a, b, date); err != nil {
		return err
	}
	q.book(b.Part)
	return nil
}

// book is Book in the desk and day's turn.
func (s *Store) book(ctx context.Context, a *distans.Actor, b *distans.Booking, date time.Time) error {
	pg := s.dialect.name == "postgres"
	if pg {
		if ok, err := s.bookAtOnce(ctx, a, b, date); err != nil || ok {
			return err
		}
	}
	// The desk, its site and rules and today are read once, outside the
	// transaction: the booking changes none of them.
	k, err := s.newBooker(ctx, s.rdb, a, b.DeskID, b.PersonID)
	if err != nil {
		return err
	}
	if pg && k.rules.MaxPerWeek == 0 {
		// Without a weekly maximum nothing needs a transaction around the
		// checks: the slot indexes decide, and one statement writes.
		if err := k.check(ctx, s.rdb, date, b.Part); err != nil {
			return err
		}
		got, err := k.insertAlone(ctx, date, b.Part)
		if err != nil {
			return err
		}
		*b = *got
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := k.lockPerson(ctx, tx); err != nil {
			return err
		}
		if err := k.check(ctx, tx, date, b.Part); err != nil {
			return err
		}
		got, err := k.insert(ctx, tx, date, b.Part, "")
		if err != nil {
			return err
		}
		*b = *got
		return k.audit(ctx, tx, got)
	})
}

// bookAtOnce tries the common booking on PostgreSQL, one's own desk at a
// site without a weekly maximum, as a single statement: it checks what
// newBooker and check would (the desk and its site in use that day, the day
// within the site's horizon) and writes the booking, its slots and its
// pending audit event, with the summary booker.summary writes. It reports
// false, having written nothing, when a check fails or the booking is of
// another kind; the caller then takes the long way, which says why.
func (s *Store) bookAtOnce(ctx context.Context, a *distans.Actor, b *distans.Booking, date time.Time) (bool, error) {
	if a.System || a.PersonID == "" || (b.PersonID != "" && b.PersonID != a.PersonID) {
		return false, nil
	}
	today, err := s.today(ctx, s.rdb, a.OrganisationID)
	if err != nil {
		return false, err
	}
	ahead := int(date.Sub(today).Hours() / 24) // both are midnights UTC
	if ahead < 0 {
		return false, nil
	}
	out := &distans.Booking{ID: newID(), OrganisationID: a.OrganisationID, DeskID: b.DeskID, PersonID: a.PersonID,
		BookedBy: a.PersonID, Date: date, Part: b.Part, Status: distans.BookingBooked, CreatedAt: now(ctx)}
	out.UpdatedAt = out.CreatedAt
	var q args
	org, id, desk, person, dt, part := q.add(out.OrganisationID), q.add(out.ID), q.add(out.DeskID), q.add(out.PersonID),
		q.add(day(date)), q.add(string(out.Part))
	var halves []string
	for _, h := range out.Part.Halves() {
		halves = append(halves, "("+q.add(string(h))+")")
	}
	stmt := `WITH d AS (
			SELECT d.site_id, d.label FROM desks d
			JOIN sites s ON s.organisation_id = d.organisation_id AND s.id = d.site_id
			LEFT JOIN booking_rules r ON r.organisation_id = d.organisation_id AND r.site_id = d.site_id
			WHERE d.organisation_id = ` + org + ` AND d.id = ` + desk + `
				AND (d.ended_on IS NULL OR d.ended_on >= ` + dt + `) AND (s.ended_on IS NULL OR s.ended_on >= ` + dt + `)
				AND COALESCE(r.max_per_week, 0) = 0
				AND COALESCE(r.horizon_days, ` + q.add(distans.DefaultBookingRules.HorizonDays) + `) >= ` + q.add(ahead) + `),
		b AS (INSERT INTO bookings (` + bookingCols + `)
			SELECT ` + org + `, ` + id + `, d.site_id, ` + desk + `, ` + person + `, ` + person + `, ` + dt + `, ` + part + `,
				'booked', '', NULL, ` + q.add(ts(out.CreatedAt)) + `, ` + q.add(ts(out.UpdatedAt)) + ` FROM d
			RETURNING site_id),
		sl AS (INSERT INTO booking_slots (organisation_id, booking_id, half, desk_id, person_id, date)
			SELECT ` + org + `, ` + id + `, h.half, ` + desk + `, ` + person + `, ` + dt + `
			FROM b, (VALUES ` + strings.Join(halves, ", ") + `) h (half)),
		e AS (INSERT INTO audit_pending (organisation_id, id, actor_id, actor_name, action, record_type, record_id, summary, at)
			SELECT ` + org + `, ` + q.add(newID()) + `, ` + person + `, ` + q.add(a.Name) + `, 'booking.create', 'booking', ` + id + `,
				'booked desk ' || d.label || ' (' || CAST(` + desk + ` AS TEXT) || ') on ' || CAST(` + q.add(day(date)) + ` AS TEXT)
				|| ' ' || CAST(` + part + ` AS TEXT) || ' for person ' || CAST(` + person + ` AS TEXT), ` + q.add(ts(out.CreatedAt)) + `
			FROM d, b)
		SELECT site_id FROM b`
	err = retryAborted(ctx, writeAttempts, func() error { return s.bdb.QueryRowContext(ctx, stmt, q...).Scan(&out.SiteID) })
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, slotConflict(err, true)
	}
	*b = *out
	return true, nil
}

// BookRecurring books the matching dates one by one inside one
// transaction, each insert behind a savepoint so that a taken date is
// reported and the others go on. The result lists every matching date,
// booked or with its reason.
func (s *Store) BookRecurring(ctx context.Context, r distans.RecurringBooking) (*distans.RecurringResult, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	from, until := distans.DateOf(r.From), distans.DateOf(r.Until)
	res := &distans.RecurringResult{SeriesID: newID()}
	err = s.write(ctx, func(tx *sql.Tx) error {
		res.Booked, res.Conflicts = nil, nil
		k, err := s.newBooker(ctx, tx, a, r.DeskID, r.PersonID)
		if err != nil {
			return err
		}
		if err := k.lockPerson(ctx, tx); err != nil {
			return err
		}
		for d := from; !d.After(until); d = d.AddDate(0, 0, 1) {
			if !slices.Contains(r.Weekdays, d.Weekday()) {
				continue
			}
			err := k.check(ctx, tx, d, r.Part)
			if err == nil {
				var b *distans.Booking
				b, err = k.insertSavepoint(ctx, tx, d, r.Part, res.SeriesID)
				if err == nil {
					res.Booked = append(res.Booked, b)
					continue
				}
			}
			var e *distans.Error
			if !errors.As(err, &e) {
				return err
			}
			c := &distans.DateConflict{Date: d, Code: e.Code, Sv: e.Sv, En: e.En}
			if len(e.Fields) > 0 {
				c.Sv, c.En = e.Fields[0].Sv, e.Fields[0].En
			}
			res.Conflicts = append(res.Conflicts, c)
		}
		// The audit events come after every insert: the audit head is taken
		// last, never held while waiting on another booking's slot, so no
		// two bookings wait on each other.
		for _, b := range res.Booked {
			if err := k.audit(ctx, tx, b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (k *booker) insertSavepoint(ctx context.Context, tx *sql.Tx, date time.Time, part distans.DayPart, seriesID string) (*distans.Booking, error) {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT booking_date`); err != nil {
		return nil, err
	}
	b, err := k.insert(ctx, tx, date, part, seriesID)
	if err != nil {
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT booking_date`); rerr != nil {
			return nil, rerr
		}
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT booking_date`); err != nil {
		return nil, err
	}
	return b, nil
}

// bookingFor returns the booking for the actor to read (write false) or to
// change (write true): one's own, or any with PermManageSites; reading also
// with PermViewPeople over the person. A booking the actor may not read is
// ENOTFOUND; one they may read but not change, EFORBIDDEN.
func bookingFor(ctx context.Context, q querier, a *distans.Actor, id string, write bool) (*distans.Booking, error) {
	b, err := findBooking(ctx, q, a.OrganisationID, id)
	if err != nil {
		return nil, err
	}
	if b.PersonID == a.PersonID || a.ManagesSites() {
		return b, nil
	}
	p, err := findPersonRow(ctx, q, a.OrganisationID, b.PersonID)
	if err != nil {
		return nil, err
	}
	if !canSee(a, p) {
		return nil, errBookingNotFound()
	}
	if write {
		return nil, distans.Forbidden()
	}
	return b, nil
}

// FindBooking returns a booking the actor may read.
func (s *Store) FindBooking(ctx context.Context, id string) (*distans.Booking, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	return bookingFor(ctx, s.rdb, a, id, false)
}

// ListBookings returns a person's bookings by date and part.
func (s *Store) ListBookings(ctx context.Context, f distans.BookingFilter) ([]*distans.Booking, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	personID := f.PersonID
	if personID == "" {
		personID = a.PersonID
	}
	if personID != a.PersonID {
		p, err := findPersonRow(ctx, s.rdb, a.OrganisationID, personID)
		if err != nil {
			return nil, err
		}
		if !canSee(a, p) && !a.ManagesSites() {
			return nil, errPersonNotFound()
		}
	}
	var q args
	where := "organisation_id = " + q.add(a.OrganisationID) + " AND person_id = " + q.add(personID)
	if !f.From.IsZero() {
		where += " AND date >= " + q.add(day(distans.DateOf(f.From)))
	}
	if !f.To.IsZero() {
		where += " AND date <= " + q.add(day(distans.DateOf(f.To)))
	}
	if !f.IncludeInactive {
		where += " AND status IN ('booked', 'checked_in')"
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+bookingCols+` FROM bookings WHERE `+where+` ORDER BY date, part, id`, q...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.Booking
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// endBooking frees the booking's slots and sets its new status.
func endBooking(ctx context.Context, tx *sql.Tx, b *distans.Booking, status distans.BookingStatus) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM booking_slots WHERE organisation_id = $1 AND booking_id = $2`,
		b.OrganisationID, b.ID); err != nil {
		return err
	}
	b.Status, b.UpdatedAt = status, now(ctx)
	_, err := tx.ExecContext(ctx, `UPDATE bookings SET status = $1, updated_at = $2 WHERE organisation_id = $3 AND id = $4`,
		b.Status, ts(b.UpdatedAt), b.OrganisationID, b.ID)
	return err
}

// CancelBooking cancels an active booking from today on and frees its desk.
func (s *Store) CancelBooking(ctx context.Context, id string) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.lockOffice(ctx, tx, a.OrganisationID); err != nil {
			return err
		}
		b, err := bookingFor(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		if !b.Status.Active() {
			return distans.Errorf(distans.ECONFLICT, "Bokningen är redan avbokad eller släppt.", "The booking is already cancelled or released.")
		}
		today, err := s.today(ctx, tx, a.OrganisationID)
		if err != nil {
			return err
		}
		if b.Date.Before(today) {
			return invalid("date", "En bokning som redan har varit kan inte avbokas.", "A booking in the past cannot be cancelled.")
		}
		if err := endBooking(ctx, tx, b, distans.BookingCancelled); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, b.OrganisationID, "booking.cancel", "booking", b.ID,
			"cancelled booking of desk "+b.DeskID+" on "+day(b.Date)+" "+string(b.Part)+" for person "+b.PersonID)
	})
}

// CheckIn claims an active booking on its day. Checking in twice is
// harmless; a released or cancelled booking cannot be claimed.
func (s *Store) CheckIn(ctx context.Context, id string) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.lockOffice(ctx, tx, a.OrganisationID); err != nil {
			return err
		}
		b, err := bookingFor(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		switch b.Status {
		case distans.BookingCheckedIn:
			return nil
		case distans.BookingReleased:
			return distans.Errorf(distans.ECONFLICT, "Bokningen släpptes eftersom ingen checkade in i tid. Boka en ny plats.",
				"The booking was released because nobody checked in in time. Book a desk again.")
		case distans.BookingCancelled:
			return distans.Errorf(distans.ECONFLICT, "Bokningen är avbokad.", "The booking is cancelled.")
		}
		today, err := s.today(ctx, tx, a.OrganisationID)
		if err != nil {
			return err
		}
		if !b.Date.Equal(today) {
			return invalid("date", "Du kan bara checka in på bokningens dag.", "You can check in only on the day of the booking.")
		}
		at := now(ctx)
		if _, err := tx.ExecContext(ctx, `UPDATE bookings SET status = $1, checked_in_at = $2, updated_at = $2
			WHERE organisation_id = $3 AND id = $4`, distans.BookingCheckedIn, ts(at), b.OrganisationID, b.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, b.OrganisationID, "booking.check_in", "booking", b.ID,
			"checked in at desk "+b.DeskID+" on "+day(b.Date)+" for person "+b.PersonID)
	})
}

// ReleaseUnclaimed frees, at each site of the actor's organisation that
// requires check-in, the bookings of today (in the organisation's time
// zone, as of now) still not checked in once the release time has passed:
// ReleaseAt for full days and mornings, PMReleaseAt for afternoons. Earlier
// days are left as they are: their desks no longer matter, and their
// history stays as it was. One audit event per site that released any.
func (s *Store) ReleaseUnclaimed(ctx context.Context, at time.Time) (int, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return 0, err
	}
	if !a.System {
		if err := canManageSites(a); err != nil {
			return 0, err
		}
	}
	total := 0
	err = s.write(ctx, func(tx *sql.Tx) error {
		total = 0
		if err := s.lockOffice(ctx, tx, a.OrganisationID); err != nil {
			return err
		}
		loc, err := s.location(ctx, tx, a.OrganisationID)
		if err != nil {
			return err
		}
		local := at.In(loc)
		today := distans.Today(at, loc)
		minute := distans.TimeOfDay(local.Hour()*60 + local.Minute())
		type site struct {
			id                 string
			release, pmRelease distans.TimeOfDay
		}
		var sites []site
		rows, err := tx.QueryContext(ctx, `SELECT site_id, release_at, pm_release_at FROM booking_rules
			WHERE organisation_id = $1 AND check_in_required = $2 ORDER BY site_id`, a.OrganisationID, true)
		if err != nil {
			return err
		}
		for rows.Next() {
			var x site
			if err := rows.Scan(&x.id, &x.release, &x.pmRelease); err != nil {
				rows.Close()
				return err
			}
			sites = append(sites, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, x := range sites {
			var parts []string
			if minute >= x.release {
				parts = append(parts, "'day'", "'am'")
			}
			if minute >= x.pmRelease {
				parts = append(parts, "'pm'")
			}
			if len(parts) == 0 {
				continue
			}
			due := `SELECT id FROM bookings WHERE organisation_id = $1 AND date = $2 AND site_id = $3 AND status = 'booked'
				AND part IN (` + strings.Join(parts, ", ") + `)`
			if _, err := tx.ExecContext(ctx, `DELETE FROM booking_slots WHERE organisation_id = $1 AND booking_id IN (`+due+`)`,
				a.OrganisationID, day(today), x.id); err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `UPDATE bookings SET status = 'released', updated_at = $4
				WHERE organisation_id = $1 AND date = $2 AND site_id = $3 AND status = 'booked'
				AND part IN (`+strings.Join(parts, ", ")+`)`, a.OrganisationID, day(today), x.id, ts(now(ctx)))
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			if n == 0 {
				continue
			}
			total += int(n)
			if err := s.audit(ctx, tx, a, a.OrganisationID, "booking.release", "site", x.id,
				"released "+strconv.FormatInt(n, 10)+" bookings not checked in on "+day(today)); err != nil {
				return err
			}
		}
		return nil
	})
	return total, err
}
