package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
)

var _ distans.PersonService = (*Store)(nil)

func errPersonNotFound() error {
	return distans.NotFound("Personen finns inte.", "The person does not exist.")
}

func errEmailTaken(err error) error {
	return conflict(err, "E-postadressen används redan av en annan person i organisationen.",
		"The e-mail address is already used by another person in the organisation.")
}

// fold and nameKey are the domain's rules for searching and for Swedish
// order (distans.Fold, distans.SortKey).
func fold(s string) string    { return distans.Fold(s) }
func nameKey(s string) string { return distans.SortKey(s) }

// searchText is the folded text the directory search matches.
func searchText(p *distans.Person) string {
	return fold(strings.Join([]string{p.Name, p.Email, p.Title, p.EmployeeNumber}, " "))
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

const personCols = `p.organisation_id, p.id, p.name, p.email, p.phone, p.employee_number, p.personal_number, p.language,
	p.unit_id, p.unit_path, p.title, p.site_id, p.created_at, p.updated_at`

// scanPerson reads a person and masks the personal identity number.
func scanPerson(sc interface{ Scan(...any) error }, extra ...any) (*distans.Person, error) {
	p := &distans.Person{}
	var pnr string
	err := sc.Scan(append([]any{&p.OrganisationID, &p.ID, &p.Name, &p.Email, &p.Phone, &p.EmployeeNumber, &pnr, &p.Language,
		&p.UnitID, &p.UnitPath, &p.Title, &p.SiteID, tm(&p.CreatedAt), tm(&p.UpdatedAt)}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errPersonNotFound()
	}
	p.PersonalNumberMasked = distans.MaskPersonalNumber(pnr)
	return p, err
}

// findPersonRow returns a person of the organisation whoever asks; the
// callers decide what the actor may see. lock locks the row on PostgreSQL
// when q is a transaction that will change the person's periods.
func findPersonRow(ctx context.Context, q querier, orgID, id string, lock ...string) (*distans.Person, error) {
	return scanPerson(q.QueryRowContext(ctx, `SELECT `+personCols+` FROM people p WHERE p.organisation_id = $1 AND p.id = $2`+
		strings.Join(lock, ""), orgID, id))
}

// canSee reports whether the actor may read the person: their own record,
// or PermViewPeople in the person's unit.
func canSee(a *distans.Actor, p *distans.Person) bool {
	return a.System || a.PersonID == p.ID || a.Scope(distans.PermViewPeople).Contains(p.UnitPath)
}

// canManage is Actor.ManagesPerson for a person.
func canManage(a *distans.Actor, p *distans.Person) bool { return a.ManagesPerson(p.UnitPath) }

// personFor returns the person for a change by the actor: ENOTFOUND when
// the actor may not see them, EFORBIDDEN when they may see but not manage.
func (s *Store) personFor(ctx context.Context, q querier, a *distans.Actor, id string, lock ...string) (*distans.Person, error) {
	p, err := findPersonRow(ctx, q, a.OrganisationID, id, lock...)
	if err != nil {
		return nil, err
	}
	if canManage(a, p) {
		return p, nil
	}
	if !canSee(a, p) {
		return nil, errPersonNotFound()
	}
	return nil, distans.Forbidden()
}

// refreshDue recomputes the placement of the people in the organisation
// whose current employment may have changed since it was last computed
// (an employment started or ended). It is cheap when there are none: one
// probe of a partial index, once a day per organisation and instance.
// Only the date moving on makes a row due: refreshPlacement always sets
// refresh_on after the day it computes for, so once an organisation has
// nothing due on a day, no write on any instance makes something due that
// same day.
func (s *Store) refreshDue(ctx context.Context, orgID string) error {
	today, err := s.today(ctx, s.rdb, orgID)
	if err != nil {
		return err
	}
	if d, ok := s.clean.Load(orgID); ok && d.(string) == day(today) {
		return nil
	}
	if err := s.refreshNow(ctx, orgID, today); err != nil {
		return err
	}
	s.clean.Store(orgID, day(today))
	return nil
}

// refreshNow refreshes the placements due on today, if any.
func (s *Store) refreshNow(ctx context.Context, orgID string, today time.Time) error {
	var id string
	err := s.rdb.QueryRowContext(ctx, `SELECT id FROM people WHERE organisation_id = $1 AND refresh_on <= $2 LIMIT 1`,
		orgID, day(today)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	// A new placement changes people's units, which FindSelf's answers
	// (and the Self of credentials read before) carry.
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM people WHERE organisation_id = $1 AND refresh_on <= $2`, orgID, day(today))
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if err := s.refreshPlacement(ctx, tx, orgID, id, today); err != nil {
				return err
			}
		}
		return nil
	})
}

// placement is what a person's row copies from their employments: the
// unit, its path, the title and the site of the current employment, or
// else of the latest, and refreshOn, the day that choice may next change
// (nil: never).
type placement struct {
	unitID, unitPath, title, siteID string
	refreshOn                       *time.Time
	// employed says an employment is current on the day (people.employed):
	// the directory lists the person. It changes on a day refreshOn names.
	employed bool
}

// placementOf decides the placement of a person with employments emps on
// today; path gives a unit's path. Every write that changes employments
// asks it: one person at a time (refreshPlacement) and an import's
// thousands (ApplyImport). emps is sorted by start, then ID.
func placementOf(emps []*distans.Employment, path func(unitID string) string, today time.Time) placement {
	slices.SortFunc(emps, func(a, b *distans.Employment) int {
		return cmp.Or(a.StartsOn.Compare(b.StartsOn), strings.Compare(a.ID, b.ID))
	})
	var current, latest *distans.Employment
	var next *time.Time
	for _, e := range emps {
		if e.CurrentOn(today) {
			current = e
		}
		latest = e
		for _, b := range []*time.Time{&e.StartsOn, e.EndsOn} {
			if b == nil {
				continue
			}
			d := *b
			if b == e.EndsOn {
				d = d.AddDate(0, 0, 1) // the day after the last
			}
			if d.After(today) && (next == nil || d.Before(*next)) {
				next = &d
			}
		}
	}
	chosen := cmp.Or(current, latest)
	if chosen == nil {
		return placement{}
	}
	return placement{unitID: chosen.UnitID, unitPath: path(chosen.UnitID), title: chosen.Title, siteID: chosen.SiteID, refreshOn: next,
		employed: current != nil}
}

// refreshPlacement writes the person's placement (placementOf) onto their
// row and recomputes the search text and terms.
func (s *Store) refreshPlacement(ctx context.Context, tx *sql.Tx, orgID, personID string, today time.Time) error {
	// The unit's path is a subquery, not a join: a join lets the planner
	// start from the units and read every employment of the person's unit
	// (all of a SCIM first sync's people may share one) whenever it lacks
	// statistics, as on tables that grew from empty since the last ANALYZE.
	rows, err := tx.QueryContext(ctx, `SELECT `+employmentColsAs("e")+`,
		(SELECT u.path FROM units u WHERE u.organisation_id = e.organisation_id AND u.id = e.unit_id)
		FROM employments e WHERE e.organisation_id = $1 AND e.person_id = $2`, orgID, personID)
	if err != nil {
		return err
	}
	var emps []*distans.Employment
	paths := map[string]string{}
	for rows.Next() {
		var path string
		e, err := scanEmployment(rows, &path)
		if err != nil {
			rows.Close()
			return err
		}
		emps = append(emps, e)
		paths[e.UnitID] = path
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	pl := placementOf(emps, func(id string) string { return paths[id] }, today)
	p, err := findPersonRow(ctx, tx, orgID, personID)
	if err != nil {
		return err
	}
	p.Title = pl.title
	_, err = tx.ExecContext(ctx, `UPDATE people SET unit_id = $1, unit_path = $2, title = $3, site_id = $4, refresh_on = $5,
		search = $6, employed = $7 WHERE organisation_id = $8 AND id = $9`,
		pl.unitID, pl.unitPath, pl.title, pl.siteID, nullDay(pl.refreshOn), searchText(p), pl.employed, orgID, personID)
	if err != nil {
		return err
	}
	return s.indexPeople(ctx, tx, orgID, []string{personID})
}

// FindPerson returns a person the actor may see.
func (s *Store) FindPerson(ctx context.Context, id string) (*distans.Person, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.refreshDue(ctx, a.OrganisationID); err != nil {
		return nil, err
	}
	p, err := findPersonRow(ctx, s.rdb, a.OrganisationID, id)
	if err != nil {
		return nil, err
	}
	if !canSee(a, p) {
		return nil, errPersonNotFound()
	}
	return p, nil
}

// self is FindSelf's answer.
type self struct {
	p *distans.Person
	o *distans.Organisation
}

// currentSelf is the actor's person and organisation as authentication
// read them with the credential, in the same statement, or nil. That
// answer holds while this instance has changed nothing since (the stamp is
// the count of changes it had seen).
func (s *Store) currentSelf(a *distans.Actor) *distans.Self {
	if x := a.Self; x != nil && x.Stamp == s.access.gen.Load() && x.Person != nil && x.Organisation != nil &&
		x.Person.OrganisationID == a.OrganisationID && x.Person.ID == a.PersonID {
		return x
	}
	return nil
}

// FindSelf returns the actor's person and organisation with one query, or
// none: every client asks it first, so it answers from the actor's Self
// when authentication read it, else from an answer kept as long as the
// actor's credential (see accesscache.go), and forgotten with it.
func (s *Store) FindSelf(ctx context.Context) (*distans.Person, *distans.Organisation, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, nil, err
	}
	if a.PersonID == "" {
		return nil, nil, errPersonNotFound()
	}
	if err := s.refreshDue(ctx, a.OrganisationID); err != nil {
		return nil, nil, err
	}
	if x := s.currentSelf(a); x != nil {
		p, o := *x.Person, *x.Organisation
		return &p, &o, nil
	}
	key := a.OrganisationID + "/" + a.PersonID
	if x, ok := s.selves.get(&s.access, key); ok {
		p, o := *x.p, *x.o
		return &p, &o, nil
	}
	gen := s.access.gen.Load()
	o := &distans.Organisation{}
	p, err := scanPerson(s.rdb.QueryRowContext(ctx, `SELECT `+personCols+`, `+orgColsAs+`
		FROM people p JOIN organisations o ON o.id = p.organisation_id
		WHERE p.organisation_id = $1 AND p.id = $2`, a.OrganisationID, a.PersonID), orgDest(o)...)
	if err != nil {
		return nil, nil, err
	}
	cp, co := *p, *o
	s.selves.put(&s.access, key, &self{&cp, &co}, gen)
	return p, o, nil
}

// ListPeople returns one page of the people the actor may see, by name in
// Swedish order, and where it sits (see distans.Page). The register is for
// those who hold PermViewPeople somewhere (EFORBIDDEN for anyone else, who
// reads their own record with FindSelf): the pages and the API answer
// alike.
func (s *Store) ListPeople(ctx context.Context, f distans.PersonFilter) ([]*distans.Person, distans.Page, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, distans.Page{}, err
	}
	if !a.Can(distans.PermViewPeople) {
		return nil, distans.Page{}, distans.Forbidden()
	}
	if err := s.refreshDue(ctx, a.OrganisationID); err != nil {
		return nil, distans.Page{}, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	var out []*distans.Person
	var pg distans.Page
	err = s.read(ctx, func(tx *sql.Tx) error {
		var q args
		where := "p.organisation_id = " + q.add(a.OrganisationID)
		scope := a.Scope(distans.PermViewPeople)
		if !scope.All {
			where += " AND (p.id = " + q.add(a.PersonID) + " OR " + scopeSQL(&q, "p.unit_path", scope) + ")"
		}
		var unitPath string
		if f.UnitID != "" {
			u, err := findUnit(ctx, tx, a.OrganisationID, f.UnitID)
			if err != nil {
				return err
			}
			unitPath = u.Path
			where += " AND " + inSubtree(&q, "p.unit_path", u.Path)
		}
		words := newWordMatch("terms", f.Query).where(s, &q, a.OrganisationID, narrowing{unitPath: unitPath, scope: scope, self: a.PersonID})
		from := words.from
		if words.cond != "" {
			where += " AND " + words.cond
		}
		var total int
		searched := words.cond != ""
		switch {
		case f.ExactCount:
			err = tx.QueryRowContext(ctx, `SELECT COUNT(*) `+from+` WHERE `+where, s.planned(q, searched)...).Scan(&total)
		case f.After == "" && f.Before == "":
			total, from, where, q, err = s.firstPage(ctx, tx, from, where, words, q, searched, a.OrganisationID, limit)
			searched = false // the page names its people
		default:
			total, from, where, q, searched, err = s.laterPage(ctx, tx, from, where, words, q, searched, a.OrganisationID, f.After, f.Before, limit)
		}
		if err != nil || total == 0 {
			return err
		}
		pg, err = s.pageRows(ctx, tx, `SELECT `+personCols+` `+from, where, q, searched, f.After, f.Before, limit,
			func(rows *sql.Rows) (string, string, error) {
				p, err := scanPerson(rows)
				if err != nil {
					return "", "", err
				}
				out = append(out, p)
				return p.Name, p.ID, nil
			})
		pg.Total = total
		return err
	})
	if err != nil {
		return nil, distans.Page{}, err
	}
	if f.Before != "" {
		slices.Reverse(out)
	}
	return out, pg, nil
}

// CreatePerson needs PermManagePeople somewhere. The person has no unit
// until their first employment.
func (s *Store) CreatePerson(ctx context.Context, p *distans.Person) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if !a.ManagesPeopleSomewhere() {
		return distans.Forbidden()
	}
	if err := p.Validate(); err != nil {
		return err
	}
	pnr := ""
	if p.PersonalNumber != "" {
		pnr, _ = distans.NormalizePersonalNumber(p.PersonalNumber)
	}
	p.ID, p.OrganisationID = newID(), a.OrganisationID
	p.Email = distans.NormalizeEmail(p.Email)
	if p.Language == "" {
		p.Language = "sv"
	}
	p.UnitID, p.UnitPath, p.Title, p.SiteID = "", "", "", ""
	p.PersonalNumber, p.PersonalNumberMasked = "", distans.MaskPersonalNumber(pnr)
	p.CreatedAt = now(ctx)
	p.UpdatedAt = p.CreatedAt
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := insertPerson(ctx, tx, p, pnr); err != nil {
			return errEmailTaken(err)
		}
		if err := s.indexPeople(ctx, tx, p.OrganisationID, []string{p.ID}); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, p.OrganisationID, "person.create", "person", p.ID, "created person "+p.Name)
	})
}

// UpdatePerson changes a person's own fields; employments change the unit
// and title. It needs PermManagePeople in the person's unit, except that a
// person may change their own phone and language. An empty PersonalNumber
// keeps the stored one. The row is read locked and written in one
// transaction.
func (s *Store) UpdatePerson(ctx context.Context, id string, upd distans.PersonUpdate) (*distans.Person, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var out *distans.Person
	err = s.writeAccess(ctx, func(tx *sql.Tx) error {
		old, err := findPersonRow(ctx, tx, a.OrganisationID, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if !canSee(a, old) {
			return errPersonNotFound()
		}
		if !canManage(a, old) && a.PersonID != old.ID {
			return distans.Forbidden()
		}
		if err := unchanged(upd.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		x := *old
		p := &x
		upd.Apply(p)
		if err := p.Validate(); err != nil {
			return err
		}
		email := distans.NormalizeEmail(p.Email)
		if !canManage(a, old) {
			selfOnly := p.Name == old.Name && email == old.Email &&
				p.EmployeeNumber == old.EmployeeNumber && p.PersonalNumber == ""
			if !selfOnly {
				return distans.Forbidden()
			}
		}
		var pnr string
		if err := tx.QueryRowContext(ctx, `SELECT personal_number FROM people WHERE organisation_id = $1 AND id = $2`,
			old.OrganisationID, old.ID).Scan(&pnr); err != nil {
			return err
		}
		if p.PersonalNumber != "" {
			pnr, _ = distans.NormalizePersonalNumber(p.PersonalNumber)
		}
		p.OrganisationID, p.Email = old.OrganisationID, email
		if p.Language == "" {
			p.Language = old.Language
		}
		p.PersonalNumber, p.PersonalNumberMasked = "", distans.MaskPersonalNumber(pnr)
		p.UpdatedAt = touched(ctx, old.UpdatedAt)
		if _, err := tx.ExecContext(ctx, `UPDATE people SET name = $1, email = $2, phone = $3, employee_number = $4,
			personal_number = $5, language = $6, search = $7, name_key = $8, updated_at = $9
			WHERE organisation_id = $10 AND id = $11`,
			p.Name, p.Email, p.Phone, p.EmployeeNumber, pnr, p.Language, searchText(p), nameKey(p.Name), ts(p.UpdatedAt),
			p.OrganisationID, p.ID); err != nil {
			return errEmailTaken(err)
		}
		if err := s.indexPeople(ctx, tx, p.OrganisationID, []string{p.ID}); err != nil {
			return err
		}
		out = p
		return s.audit(ctx, tx, a, p.OrganisationID, "person.update", "person", p.ID, "updated person "+p.Name)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RevealPersonalNumber returns the person's personal identity number. It
// needs PermViewSecret in the person's unit and records that it was read in
// the same transaction, so that no number is shown without a trace.
func (s *Store) RevealPersonalNumber(ctx context.Context, personID string) (string, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return "", err
	}
	var pnr string
	err = s.write(ctx, func(tx *sql.Tx) error {
		p, err := findPersonRow(ctx, tx, a.OrganisationID, personID)
		if err != nil {
			return err
		}
		if !canSee(a, p) {
			return errPersonNotFound()
		}
		if !a.RevealsPersonalNumberOf(p.UnitPath) {
			return distans.Forbidden()
		}
		if err := tx.QueryRowContext(ctx, `SELECT personal_number FROM people WHERE organisation_id = $1 AND id = $2`,
			p.OrganisationID, p.ID).Scan(&pnr); err != nil {
			return err
		}
		if pnr == "" {
			return distans.NotFound("Personen har inget personnummer registrerat.", "The person has no personal identity number on record.")
		}
		return s.audit(ctx, tx, a, p.OrganisationID, "person.secret_read", "person", p.ID,
			"read the personal identity number of "+p.Name)
	})
	if err != nil {
		return "", err
	}
	return pnr, nil
}
