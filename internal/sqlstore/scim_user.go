package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

// A SCIM user is a person with a scim_users row (their SCIM identity) and
// their current employment. Whether they are active is their account's:
// a deactivated account has disabled_at set, which sign-in reads.

func errSCIMUserNotFound() error {
	return distans.NotFound("Användaren finns inte.", "The user does not exist.")
}

// scimConflict is ECONFLICT naming the SCIM attribute, which the endpoint
// answers as SCIM's "uniqueness".
func scimConflict(attr, sv, en string) error {
	e := distans.Errorf(distans.ECONFLICT, sv, en)
	e.Fields = []distans.FieldError{{Field: attr, Sv: sv, En: en}}
	return e
}

func errUserNameTaken() error {
	return scimConflict("userName", "Användarnamnet används redan i organisationen.", "The userName is already in use in the organisation.")
}

func errExternalIDTaken() error {
	return scimConflict("externalId", "externalId används redan i organisationen.", "The externalId is already in use in the organisation.")
}

func errSCIMEmailTaken() error {
	return scimConflict("emails", "E-postadressen används redan av en annan person i organisationen.",
		"The e-mail address is already used by another person in the organisation.")
}

// scimUserTables are the tables a first sync's new users fill (grew).
const scimUserTables = "people, scim_users, employments, directory_profiles, accounts"

// scimDefaultTitle is the title of an employment whose user has none: an
// employment needs one, and identity systems often send no title.
const scimDefaultTitle = "Medarbetare"

// scimUserSelect reads the unit and the account by subqueries, not joins:
// a change plans its statements at every run (writeOnce), and
// a join of four tables took the planner eight times as long as running it.
const scimUserSelect = `SELECT p.id, su.external_id, su.user_name, su.given_name, su.family_name, p.name, p.email, p.phone,
	COALESCE((SELECT dp.work_mobile FROM directory_profiles dp WHERE dp.organisation_id = p.organisation_id AND dp.person_id = p.id), ''),
	p.title, p.employee_number, su.department,
	COALESCE((SELECT u.code FROM units u WHERE u.organisation_id = p.organisation_id AND u.id = p.unit_id), ''),
	COALESCE((SELECT u.name FROM units u WHERE u.organisation_id = p.organisation_id AND u.id = p.unit_id), ''),
	COALESCE((SELECT u.manager_id FROM units u WHERE u.organisation_id = p.organisation_id AND u.id = p.unit_id), ''),
	NOT EXISTS (SELECT 1 FROM accounts ac WHERE ac.organisation_id = su.organisation_id AND ac.person_id = su.person_id
		AND ac.disabled_at IS NOT NULL),
	su.created_at, su.updated_at
	FROM scim_users su JOIN people p ON p.organisation_id = su.organisation_id AND p.id = su.person_id`

// scanSCIMUser reads a row of scimUserSelect: the department is the one
// the identity system sent, else the unit's code, else its name (a unit
// group may place the user elsewhere than the department says); the manager is the unit's, unless that is the user.
func scanSCIMUser(sc interface{ Scan(...any) error }, extra ...any) (*distans.SCIMUser, error) {
	u := &distans.SCIMUser{}
	var dept, code, unitName, manager string
	err := sc.Scan(append([]any{&u.ID, &u.ExternalID, &u.UserName, &u.GivenName, &u.FamilyName, &u.DisplayName, &u.Email,
		&u.Phone, &u.Mobile, &u.Title, &u.EmployeeNumber, &dept, &code, &unitName, &manager, &u.Active, tm(&u.Created), tm(&u.LastModified)}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errSCIMUserNotFound()
	} else if err != nil {
		return nil, err
	}
	u.Department = unitName
	if code != "" {
		u.Department = code
	}
	if dept != "" {
		u.Department = dept
	}
	if manager != u.ID {
		u.ManagerID = manager
	}
	return u, nil
}

func findSCIMUser(ctx context.Context, q querier, orgID, id string) (*distans.SCIMUser, error) {
	return scanSCIMUser(q.QueryRowContext(ctx, scimUserSelect+` WHERE su.organisation_id = $1 AND su.person_id = $2`, orgID, id))
}

// userNameKey is the userName as it is compared: without case.
func userNameKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// normalizeSCIMUser trims the user's fields, fills the name and e-mail
// address a person needs from what the identity system sent, and checks
// them; its errors name the SCIM attribute.
func normalizeSCIMUser(u *distans.SCIMUser) error {
	for _, f := range []*string{&u.ExternalID, &u.UserName, &u.GivenName, &u.FamilyName, &u.DisplayName, &u.Email, &u.Phone,
		&u.Mobile, &u.Title, &u.EmployeeNumber, &u.Department, &u.ManagerID} {
		*f = strings.TrimSpace(*f)
	}
	var v distans.Validation
	v.Required("userName", u.UserName)
	v.MaxLen("userName", u.UserName, 200)
	v.MaxLen("externalId", u.ExternalID, 200)
	v.MaxLen("name.givenName", u.GivenName, 100)
	v.MaxLen("name.familyName", u.FamilyName, 100)
	if u.DisplayName == "" {
		u.DisplayName = strings.TrimSpace(u.GivenName + " " + u.FamilyName)
	}
	if u.DisplayName == "" {
		u.DisplayName = u.UserName
	}
	v.MaxLen("displayName", u.DisplayName, 200)
	if u.Email == "" {
		if a, err := mail.ParseAddress(u.UserName); err == nil && a.Address == u.UserName {
			u.Email = u.UserName
		}
	}
	u.Email = distans.NormalizeEmail(u.Email)
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		v.Add("emails", "Ange en giltig e-postadress (emails eller ett userName som är en e-postadress).",
			"Give a valid e-mail address (emails, or a userName that is an e-mail address).")
	}
	p := distans.Person{Name: u.DisplayName, Email: u.Email, Phone: u.Phone, EmployeeNumber: u.EmployeeNumber}
	if err := p.Validate(); err != nil {
		var de *distans.Error
		if errors.As(err, &de) {
			for _, f := range de.Fields {
				switch f.Field {
				case "phone":
					v.Add("phoneNumbers", f.Sv, f.En)
				case "employee_number":
					v.Add("employeeNumber", f.Sv, f.En)
				}
			}
		}
	}
	// The mobile is the directory profile's work mobile, checked as the
	// profile checks it.
	if err := (&distans.DirectoryProfile{PersonID: "-", WorkMobile: u.Mobile}).Validate(); err != nil {
		var de *distans.Error
		if errors.As(err, &de) {
			for _, f := range de.Fields {
				if f.Field == "work_mobile" {
					v.Add("phoneNumbers", f.Sv, f.En)
				}
			}
		}
	}
	v.MaxLen("title", u.Title, 200)
	return v.Err()
}

// CreateUser provisions a user: a new person, or the person already in
// the organisation with the same employee number (else e-mail address)
// who has no SCIM identity yet; with an employment from today when
// active.
func (s *Store) CreateUser(ctx context.Context, u *distans.SCIMUser) error {
	a, err := provisioner(ctx)
	if err != nil {
		return err
	}
	if err := normalizeSCIMUser(u); err != nil {
		return err
	}
	var out *distans.SCIMUser
	err = s.writeAccessAnalysed(ctx, func(tx *sql.Tx) error {
		org := a.OrganisationID
		var log auditLog
		if err := checkSCIMUnique(ctx, tx, org, "", u); err != nil {
			return err
		}
		p, err := matchPerson(ctx, tx, org, u)
		if err != nil {
			return err
		}
		linked := p != nil
		summary := "provisioned user " + u.UserName + ", linked to person " + u.DisplayName
		// An active new person is written placed (newSCIMPerson): nearly
		// every user of a first sync is one.
		placed := !linked && u.Active
		var emp *distans.Employment
		switch {
		case placed:
			summary = "provisioned user " + u.UserName + " as new person " + u.DisplayName
			if p, emp, err = s.newSCIMPerson(ctx, tx, &log, org, u); err != nil {
				return err
			}
		case !linked:
			summary = "provisioned user " + u.UserName + " as new person " + u.DisplayName
			p = &distans.Person{ID: newID(), OrganisationID: org, Name: u.DisplayName, Email: u.Email, Phone: u.Phone,
				EmployeeNumber: u.EmployeeNumber, Language: "sv", CreatedAt: now(ctx)}
			p.UpdatedAt = p.CreatedAt
			if err := insertPerson(ctx, tx, p, ""); err != nil {
				return scimEmailTaken(err)
			}
		default:
			if err := s.updateSCIMPerson(ctx, tx, p, u); err != nil {
				return err
			}
		}
		if err := writeSCIMMobile(ctx, tx, p, !linked, u.Mobile); err != nil {
			return err
		}
		at := now(ctx)
		if _, err := tx.ExecContext(ctx, `INSERT INTO scim_users (organisation_id, person_id, user_name, user_name_key, external_id,
			given_name, family_name, department, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
			org, p.ID, u.UserName, userNameKey(u.UserName), u.ExternalID, u.GivenName, u.FamilyName, u.Department, ts(at)); err != nil {
			return scimUniqueErr(err)
		}
		log.add("scim.user.create", "person", p.ID, summary)
		if placed {
			if err := insertSCIMEmployment(ctx, tx, &log, p, emp); err != nil {
				return err
			}
			if err := s.setSCIMManager(ctx, tx, &log, p, u.ManagerID); err != nil {
				return err
			}
		} else if err := s.applyActive(ctx, tx, &log, p, nil, u, !linked); err != nil {
			return err
		}
		if out, err = findSCIMUser(ctx, tx, org, p.ID); err != nil {
			return err
		}
		return s.writeProvisioningAudit(ctx, tx, a, org, &log)
	})
	if err != nil {
		return err
	}
	s.grew(ctx, 1, scimUserTables)
	*u = *out
	return nil
}

// newSCIMPerson writes the person of a new, active user already placed:
// the employment from today that placeUser would give them (returned, to
// be written once the user's row is), and on the person's row and search
// terms the placement refreshPlacement would write from it. That is four
// statements fewer than writing the person and then placing them, for
// every user of a first sync.
func (s *Store) newSCIMPerson(ctx context.Context, tx *sql.Tx, log *auditLog, orgID string, u *distans.SCIMUser) (*distans.Person, *distans.Employment, error) {
	today, err := s.today(ctx, tx, orgID)
	if err != nil {
		return nil, nil, err
	}
	p := &distans.Person{ID: newID(), OrganisationID: orgID, Name: u.DisplayName, Email: u.Email, Phone: u.Phone,
		EmployeeNumber: u.EmployeeNumber, Language: "sv", CreatedAt: now(ctx)}
	p.UpdatedAt = p.CreatedAt
	unitID, path, unitName, title, err := s.userPlacement(ctx, tx, log, p, u, nil, today, true)
	if err != nil {
		return nil, nil, err
	}
	e := &distans.Employment{OrganisationID: orgID, ID: newID(), PersonID: p.ID, UnitID: unitID, Title: title, StartsOn: today}
	pl := placementOf([]*distans.Employment{e}, func(string) string { return path }, today)
	p.UnitID, p.UnitPath, p.Title, p.SiteID = pl.unitID, pl.unitPath, pl.title, pl.siteID
	// The search words are written with the row (indexWords, as
	// indexPeople would write them, and indexNew their index): a second
	// write of the row would write it twice. The unit's name came with
	// its placement.
	terms, dir := indexWords(p.Name, p.Email, p.Title, p.EmployeeNumber, unitName, "")
	if _, err := tx.ExecContext(ctx, `INSERT INTO people (organisation_id, id, name, email, phone, employee_number,
		personal_number, language, unit_id, unit_path, title, site_id, refresh_on, employed, search, name_key, terms, dir_terms,
		created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, '', $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)`,
		p.OrganisationID, p.ID, p.Name, p.Email, p.Phone, p.EmployeeNumber, p.Language, p.UnitID, p.UnitPath, p.Title, p.SiteID,
		nullDay(pl.refreshOn), pl.employed, searchText(p), nameKey(p.Name), terms, dir, ts(p.CreatedAt)); err != nil {
		return nil, nil, scimEmailTaken(err)
	}
	if err := s.indexNew(ctx, tx, wordsRow{org: orgID, id: p.ID, key: nameKey(p.Name), path: p.UnitPath, terms: terms, dir: dir,
		employed: pl.employed}); err != nil {
		return nil, nil, err
	}
	return p, e, nil
}

// insertSCIMEmployment writes the employment newSCIMPerson placed p by.
func insertSCIMEmployment(ctx context.Context, tx *sql.Tx, log *auditLog, p *distans.Person, e *distans.Employment) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO employments (`+employmentCols+`) VALUES ($1, $2, $3, $4, $5, NULL, $6, NULL, $7, $7)`,
		e.OrganisationID, e.ID, e.PersonID, e.UnitID, e.Title, day(e.StartsOn), ts(now(ctx))); err != nil {
		return err
	}
	log.add("employment.create", "employment", e.ID,
		"added employment as "+e.Title+" for "+p.Name+" from "+day(e.StartsOn))
	return nil
}

// matchPerson finds the person a new user is: one of the organisation
// without a SCIM identity, by employee number, else by e-mail address. A
// person found who already has one is a conflict: two users cannot be one
// person. Both are looked for in one statement: every user of a first sync
// asks, and almost none is found.
func matchPerson(ctx context.Context, tx *sql.Tx, orgID string, u *distans.SCIMUser) (*distans.Person, error) {
	type candidate struct {
		id, employeeNumber, email string
		taken                     bool
	}
	var found []candidate
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.employee_number, p.email, EXISTS (SELECT 1 FROM scim_users su
		WHERE su.organisation_id = p.organisation_id AND su.person_id = p.id)
		FROM people p WHERE p.organisation_id = $1 AND ((p.employee_number = $2 AND $2 <> '') OR (p.email = $3 AND $3 <> ''))
		ORDER BY p.id`, orgID, u.EmployeeNumber, u.Email)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.id, &c.employeeNumber, &c.email, &c.taken); err != nil {
			rows.Close()
			return nil, err
		}
		found = append(found, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, byEmail := range []bool{false, true} {
		i := slices.IndexFunc(found, func(c candidate) bool {
			if byEmail {
				return u.Email != "" && c.email == u.Email
			}
			return u.EmployeeNumber != "" && c.employeeNumber == u.EmployeeNumber
		})
		if i < 0 {
			continue
		}
		c := found[i]
		if c.taken {
			if byEmail {
				return nil, errSCIMEmailTaken()
			}
			return nil, scimConflict("employeeNumber", "Anställningsnumret hör redan till en annan användare.",
				"The employee number already belongs to another user.")
		}
		p, err := findPersonRow(ctx, tx, orgID, c.id, "")
		if err != nil {
			return nil, err
		}
		// Found by e-mail with another employee number is someone else.
		if byEmail && u.EmployeeNumber != "" && p.EmployeeNumber != "" && p.EmployeeNumber != u.EmployeeNumber {
			return nil, errSCIMEmailTaken()
		}
		return p, nil
	}
	return nil, nil
}

// checkSCIMUnique refuses a userName or externalId that another user of
// the organisation than selfID holds. The unique indexes hold it too; this
// names the attribute before anything is written.
func checkSCIMUnique(ctx context.Context, tx *sql.Tx, orgID, selfID string, u *distans.SCIMUser) error {
	var names, externals int
	if err := tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM scim_users WHERE organisation_id = $1 AND user_name_key = $2 AND person_id <> $4),
		(SELECT COUNT(*) FROM scim_users WHERE organisation_id = $1 AND external_id = $3 AND $3 <> '' AND person_id <> $4)`,
		orgID, userNameKey(u.UserName), u.ExternalID, selfID).Scan(&names, &externals); err != nil {
		return err
	}
	if names > 0 {
		return errUserNameTaken()
	}
	if externals > 0 {
		return errExternalIDTaken()
	}
	return nil
}

// scimUniqueErr names the attribute of a unique index that a concurrent
// change took between checkSCIMUnique and the write.
func scimUniqueErr(err error) error {
	if !isUnique(err) {
		return err
	}
	if strings.Contains(err.Error(), "external_id") {
		return errExternalIDTaken()
	}
	return errUserNameTaken()
}

func scimEmailTaken(err error) error {
	if isUnique(err) {
		return errSCIMEmailTaken()
	}
	return err
}

// insertPerson writes a new person's row; pnr is the normalised personal
// identity number or empty. The caller indexes the person (indexPeople):
// an inactive new SCIM user is indexed with their placement
// (refreshPlacement), so that the search index, the busiest of a first
// sync, is written once. An active one is written placed, and indexed, by
// newSCIMPerson instead.
func insertPerson(ctx context.Context, tx *sql.Tx, p *distans.Person, pnr string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO people (organisation_id, id, name, email, phone, employee_number,
		personal_number, language, search, name_key, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		p.OrganisationID, p.ID, p.Name, p.Email, p.Phone, p.EmployeeNumber, pnr, p.Language,
		searchText(p), nameKey(p.Name), ts(p.CreatedAt), ts(p.UpdatedAt))
	return err
}

// updateSCIMPerson writes the user's name, e-mail, phone and employee
// number onto the person p, when they differ.
func (s *Store) updateSCIMPerson(ctx context.Context, tx *sql.Tx, p *distans.Person, u *distans.SCIMUser) error {
	if p.Name == u.DisplayName && p.Email == u.Email && p.Phone == u.Phone && p.EmployeeNumber == u.EmployeeNumber {
		return nil
	}
	p.Name, p.Email, p.Phone, p.EmployeeNumber = u.DisplayName, u.Email, u.Phone, u.EmployeeNumber
	p.UpdatedAt = touched(ctx, p.UpdatedAt)
	if _, err := tx.ExecContext(ctx, `UPDATE people SET name = $1, email = $2, phone = $3, employee_number = $4,
		search = $5, name_key = $6, updated_at = $7 WHERE organisation_id = $8 AND id = $9`,
		p.Name, p.Email, p.Phone, p.EmployeeNumber, searchText(p), nameKey(p.Name), ts(p.UpdatedAt), p.OrganisationID, p.ID); err != nil {
		return scimEmailTaken(err)
	}
	return s.indexPeople(ctx, tx, p.OrganisationID, []string{p.ID})
}

// writeSCIMMobile makes mobile the work mobile of p's directory profile,
// keeping the keywords the person wrote there; a profile is made only
// for a number. fresh says p was made in this transaction and has no
// profile yet.
func writeSCIMMobile(ctx context.Context, tx *sql.Tx, p *distans.Person, fresh bool, mobile string) error {
	if mobile == "" {
		if fresh {
			return nil
		}
		_, err := tx.ExecContext(ctx, `UPDATE directory_profiles SET work_mobile = '', updated_at = $1
			WHERE organisation_id = $2 AND person_id = $3 AND work_mobile <> ''`, ts(now(ctx)), p.OrganisationID, p.ID)
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO directory_profiles (organisation_id, person_id, keywords, work_mobile, updated_at)
		VALUES ($1, $2, '', $3, $4) ON CONFLICT (organisation_id, person_id)
		DO UPDATE SET work_mobile = excluded.work_mobile, updated_at = excluded.updated_at`,
		p.OrganisationID, p.ID, mobile, ts(now(ctx)))
	return err
}

// applyActive brings the person's account and employment in line with
// the user u, who was old before (nil for a new user): deactivates,
// reactivates, or places them in their department with their title.
// fresh says the person was made in this transaction: they have no
// account and no employment to read.
func (s *Store) applyActive(ctx context.Context, tx *sql.Tx, log *auditLog, p *distans.Person, old, u *distans.SCIMUser, fresh bool) error {
	today, err := s.today(ctx, tx, p.OrganisationID)
	if err != nil {
		return err
	}
	var disabled *time.Time
	if !fresh {
		err := tx.QueryRowContext(ctx, `SELECT disabled_at FROM accounts WHERE organisation_id = $1 AND person_id = $2`,
			p.OrganisationID, p.ID).Scan(nulltm(&disabled))
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	if !u.Active {
		if disabled != nil {
			return nil
		}
		return s.deactivate(ctx, tx, log, p, today)
	}
	reactivated := disabled != nil
	if reactivated {
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET disabled_at = NULL WHERE organisation_id = $1 AND person_id = $2`,
			p.OrganisationID, p.ID); err != nil {
			return err
		}
		log.add("scim.user.reactivate", "person", p.ID,
			"reactivated the account of "+p.Name)
	}
	if err := s.placeUser(ctx, tx, log, p, u, today, reactivated, fresh); err != nil {
		return err
	}
	if old == nil || old.ManagerID != u.ManagerID {
		if err := s.setSCIMManager(ctx, tx, log, p, u.ManagerID); err != nil {
			return err
		}
	}
	if reactivated {
		return s.regrant(ctx, tx, log, p.OrganisationID, []string{p.ID})
	}
	return nil
}

// currentEmployment returns the person's employment that is current on
// today, or nil.
func currentEmployment(ctx context.Context, tx *sql.Tx, orgID, personID string, today time.Time) (*distans.Employment, error) {
	e, err := scanEmployment(tx.QueryRowContext(ctx, `SELECT `+employmentCols+` FROM employments
		WHERE organisation_id = $1 AND person_id = $2 AND starts_on <= $3 AND (ends_on IS NULL OR ends_on >= $3)
		ORDER BY starts_on DESC, id DESC LIMIT 1`, orgID, personID, day(today)))
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return nil, nil
	}
	return e, err
}

// placeUser gives an active user the employment their department and
// title say: the current one as it is when they match; its title changed
// in place; a move to another unit ends it yesterday and starts one
// today (in place when it began today), so that the history and the
// agreement job see the move; a new one from today when there is none (a
// reactivation the same day reopens the one deactivation ended today).
func (s *Store) placeUser(ctx context.Context, tx *sql.Tx, log *auditLog, p *distans.Person, u *distans.SCIMUser,
	today time.Time, reactivated, fresh bool) error {
	org := p.OrganisationID
	var cur *distans.Employment
	var err error
	if !fresh {
		if cur, err = currentEmployment(ctx, tx, org, p.ID, today); err != nil {
			return err
		}
	}
	unitID, _, _, title, err := s.userPlacement(ctx, tx, log, p, u, cur, today, fresh)
	if err != nil {
		return err
	}
	at := now(ctx)
	exec := func(action, summary, query string, args ...any) error {
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
		log.add(action, "employment", fmt.Sprint(args[len(args)-1]), summary)
		return nil
	}
	switch {
	case cur == nil:
		e := &distans.Employment{OrganisationID: org, ID: newID(), PersonID: p.ID, UnitID: unitID, Title: title, StartsOn: today}
		if !fresh {
			if err := checkNoOverlap(ctx, tx, "employments", org, p.ID, period{e.ID, e.StartsOn, nil},
				"Personen har en kommande anställning som krockar med en ny från i dag.",
				"The person has a coming employment that would overlap a new one from today."); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO employments (`+employmentCols+`) VALUES ($1, $2, $3, $4, $5, NULL, $6, NULL, $7, $7)`,
			org, e.ID, p.ID, unitID, title, day(today), ts(at)); err != nil {
			return err
		}
		log.add("employment.create", "employment", e.ID,
			"added employment as "+title+" for "+p.Name+" from "+day(today))
	case cur.UnitID == unitID || cur.StartsOn.Equal(today):
		reopen := reactivated && cur.EndsOn != nil && cur.EndsOn.Equal(today)
		if cur.UnitID == unitID && cur.Title == title && !reopen {
			return nil
		}
		ends := nullDay(cur.EndsOn)
		if reopen {
			ends = nil
		}
		if err := exec("employment.update", "updated employment as "+title+" for "+p.Name,
			`UPDATE employments SET unit_id = $1, title = $2, ends_on = $3, updated_at = $4 WHERE organisation_id = $5 AND id = $6`,
			unitID, title, ends, ts(at), org, cur.ID); err != nil {
			return err
		}
	default:
		yesterday := today.AddDate(0, 0, -1)
		if err := exec("employment.end", "ended employment as "+cur.Title+" for "+p.Name+" on "+day(yesterday)+" (moved)",
			`UPDATE employments SET ends_on = $1, updated_at = $2 WHERE organisation_id = $3 AND id = $4`,
			day(yesterday), ts(at), org, cur.ID); err != nil {
			return err
		}
		// A planned last day goes with the person to the new unit.
		var ends any
		if cur.EndsOn != nil && !reactivated {
			ends = day(*cur.EndsOn)
		}
		id := newID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO employments (`+employmentCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
			org, id, p.ID, unitID, title, nullStr(cur.SiteID), day(today), ends, ts(at)); err != nil {
			return err
		}
		log.add("employment.create", "employment", id,
			"added employment as "+title+" for "+p.Name+" from "+day(today)+" (moved)")
	}
	return s.refreshPlacement(ctx, tx, org, p.ID, today)
}

// userPlacement is the rule of placeUser: the unit the user u is employed
// in is the one their unit groups say, else their department's, else the
// current employment's (cur, or nil), else the organisation's root; the
// title is theirs, else the current employment's, else scimDefaultTitle.
// path and unitName are the unit's when it was read (a department or the
// root), else "". A person made in this transaction (fresh) is in no
// group yet: the first sync of thousands of users skips the four-table
// lookup.
func (s *Store) userPlacement(ctx context.Context, tx *sql.Tx, log *auditLog, p *distans.Person, u *distans.SCIMUser,
	cur *distans.Employment, today time.Time, fresh bool) (unitID, path, unitName, title string, err error) {
	org := p.OrganisationID
	if !fresh {
		if unitID, err = groupUnit(ctx, tx, org, p.ID, today); err != nil {
			return "", "", "", "", err
		}
	}
	if unitID != "" {
		// The organisation chose groups for placement: the department
		// waits until the user leaves their unit groups.
	} else if u.Department != "" {
		if unitID, path, unitName, err = s.departmentUnit(ctx, tx, log, org, u.Department, today); err != nil {
			return "", "", "", "", err
		}
	} else if cur != nil {
		unitID = cur.UnitID
	} else if unitID, path, unitName, err = rootUnit(ctx, tx, org, today); err != nil {
		return "", "", "", "", err
	}
	title = u.Title
	if title == "" && cur != nil {
		title = cur.Title
	}
	if title == "" {
		title = scimDefaultTitle
	}
	return unitID, path, unitName, title, nil
}

// groupUnit is the unit that the person's unit-mapped groups place them
// in, or "": of several, the most specific (longest path), ties by the
// group's display name.
func groupUnit(ctx context.Context, tx *sql.Tx, orgID, personID string, today time.Time) (string, error) {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT un.id FROM scim_group_members gm
		JOIN scim_groups g ON g.organisation_id = gm.organisation_id AND g.id = gm.group_id
		JOIN scim_group_mappings m ON m.organisation_id = g.organisation_id AND m.display_name = g.display_name
		JOIN units un ON un.organisation_id = m.organisation_id AND un.id = m.unit_id
		WHERE gm.organisation_id = $1 AND gm.person_id = $2 AND m.kind = $3
		AND (un.ended_on IS NULL OR un.ended_on >= $4)
		ORDER BY LENGTH(un.path) DESC, g.display_name LIMIT 1`, orgID, personID, distans.SCIMMapUnit, day(today)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// departmentUnit is the unit a department names: a unit of the
// organisation, current today, by code, else by name; with the
// organisation's CreateUnits, a new unit under its root; else EINVALID on
// department.
func (s *Store) departmentUnit(ctx context.Context, tx *sql.Tx, log *auditLog, orgID, dept string, today time.Time) (id, path, name string, err error) {
	for _, col := range []string{"code", "name"} {
		err := tx.QueryRowContext(ctx, `SELECT id, path, name FROM units WHERE organisation_id = $1 AND `+col+` = $2
			AND (ended_on IS NULL OR ended_on >= $3) ORDER BY created_at, id LIMIT 1`, orgID, dept, day(today)).Scan(&id, &path, &name)
		if err == nil {
			return id, path, name, nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return "", "", "", err
		}
	}
	st, err := scimSettings(ctx, tx, orgID)
	if err != nil {
		return "", "", "", err
	}
	if !st.CreateUnits {
		return "", "", "", invalid("department",
			fmt.Sprintf("Avdelningen %q finns inte som enhet i Distans (varken som kod eller namn), och organisationen har valt att inte skapa enheter från SCIM. Lägg upp enheten eller ändra inställningen.", dept),
			fmt.Sprintf("The department %q is not a unit in Distans (by code or name), and the organisation has chosen not to create units from SCIM. Add the unit or change the setting.", dept))
	}
	if err := s.lockTree(ctx, tx, orgID); err != nil {
		return "", "", "", err
	}
	u := &distans.Unit{ID: newID(), OrganisationID: orgID, Name: dept, Kind: distans.UnitDepartment, CreatedAt: now(ctx)}
	u.UpdatedAt = u.CreatedAt
	if err := u.Validate(); err != nil {
		return "", "", "", invalid("department", "Avdelningens namn är för långt för en enhet.", "The department's name is too long for a unit.")
	}
	root, rootPath, _, err := rootUnit(ctx, tx, orgID, today)
	if distans.ErrorCode(err) == distans.EINVALID {
		u.Kind, u.Path = distans.UnitAdministration, "/"+u.ID+"/"
	} else if err != nil {
		return "", "", "", err
	} else {
		u.ParentID, u.Path = root, rootPath+u.ID+"/"
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO units (`+unitCols+`) VALUES ($1, $2, $3, '', $4, $5, NULL, $6, NULL, $7, $7)`,
		orgID, u.ID, nullStr(u.ParentID), u.Name, u.Kind, u.Path, ts(u.CreatedAt)); err != nil {
		return "", "", "", err
	}
	log.add("unit.create", "unit", u.ID, "created unit "+u.Name+" for a SCIM department")
	return u.ID, u.Path, u.Name, nil
}

// rootUnit is the organisation's root unit (the oldest current unit
// without a parent), its path and its name: where a user without a
// department is employed.
func rootUnit(ctx context.Context, tx *sql.Tx, orgID string, today time.Time) (id, path, name string, err error) {
	err = tx.QueryRowContext(ctx, `SELECT id, path, name FROM units WHERE organisation_id = $1 AND parent_id IS NULL
		AND (ended_on IS NULL OR ended_on >= $2) ORDER BY created_at, id LIMIT 1`, orgID, day(today)).Scan(&id, &path, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", "", invalid("department", "Organisationen har ingen enhet att anställa personen i; ange department.",
			"The organisation has no unit to employ the person in; give a department.")
	}
	return id, path, name, err
}

// setSCIMManager makes managerID the manager of the person's unit when
// that unit has none (granting the chef role, as setting a manager does
// anywhere). A unit with another manager keeps them: a person's manager
// in the identity system does not replace a unit's manager for everyone
// in it.
func (s *Store) setSCIMManager(ctx context.Context, tx *sql.Tx, log *auditLog, p *distans.Person, managerID string) error {
	if managerID == "" || managerID == p.ID {
		return nil
	}
	if _, err := findPersonRow(ctx, tx, p.OrganisationID, managerID); distans.ErrorCode(err) == distans.ENOTFOUND {
		return invalid("manager", "Chefen finns inte i organisationen.", "The manager is not in the organisation.")
	} else if err != nil {
		return err
	}
	var unitID string
	if err := tx.QueryRowContext(ctx, `SELECT unit_id FROM people WHERE organisation_id = $1 AND id = $2`,
		p.OrganisationID, p.ID).Scan(&unitID); err != nil || unitID == "" {
		return err
	}
	old, err := findUnit(ctx, tx, p.OrganisationID, unitID)
	if err != nil || old.ManagerID != "" {
		return err
	}
	u := *old
	u.ManagerID, u.UpdatedAt = managerID, touched(ctx, old.UpdatedAt)
	if _, err := tx.ExecContext(ctx, `UPDATE units SET manager_id = $1, updated_at = $2 WHERE organisation_id = $3 AND id = $4`,
		managerID, ts(u.UpdatedAt), u.OrganisationID, u.ID); err != nil {
		return err
	}
	log.add("unit.update", "unit", u.ID,
		"set the manager of unit "+u.Name+" to person "+managerID+" (SCIM manager of "+p.Name+")")
	return grantChef(ctx, tx, log, old, &u)
}

// deactivate is SCIM's active=false, at once: the employment current today
// ends today (the history stays), the account is disabled (sign-in reads
// it, so the last day admits nobody), every session ends and every API
// token is revoked, and the roles that groups granted end.
func (s *Store) deactivate(ctx context.Context, tx *sql.Tx, log *auditLog, p *distans.Person, today time.Time) error {
	org, at := p.OrganisationID, ts(now(ctx))
	if _, err := tx.ExecContext(ctx, `UPDATE employments SET ends_on = $1, updated_at = $2 WHERE organisation_id = $3
		AND person_id = $4 AND starts_on <= $1 AND (ends_on IS NULL OR ends_on > $1)`, day(today), at, org, p.ID); err != nil {
		return err
	}
	if _, err := accountRow(ctx, tx, org, p.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE accounts SET disabled_at = $1 WHERE organisation_id = $2 AND person_id = $3`,
		at, org, p.ID); err != nil {
		return err
	}
	sessions, err := deleteSecrets(ctx, tx, "sessions", `organisation_id = $1 AND person_id = $2`, org, p.ID)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE organisation_id = $2 AND person_id = $3
		AND revoked_at IS NULL`, at, org, p.ID)
	if err != nil {
		return err
	}
	tokens, _ := res.RowsAffected()
	if err := s.refreshPlacement(ctx, tx, org, p.ID, today); err != nil {
		return err
	}
	log.add("scim.user.deactivate", "person", p.ID, "deactivated "+p.Name+": employment ends "+day(today)+
		", sign-in refused, "+strconv.Itoa(sessions)+" sessions ended, "+strconv.FormatInt(tokens, 10)+" API tokens revoked")
	return s.regrant(ctx, tx, log, org, []string{p.ID})
}

// FindUser returns a user of the provisioning client's organisation.
func (s *Store) FindUser(ctx context.Context, id string) (*distans.SCIMUser, error) {
	a, err := provisioner(ctx)
	if err != nil {
		return nil, err
	}
	return findSCIMUser(ctx, s.rdb, a.OrganisationID, id)
}

// ReplaceUser replaces every attribute of the user (PUT).
func (s *Store) ReplaceUser(ctx context.Context, id string, u *distans.SCIMUser) (*distans.SCIMUser, error) {
	return s.PatchUser(ctx, id, func(x *distans.SCIMUser) error {
		created := x.Created
		*x = *u
		x.ID, x.Created = id, created
		return nil
	})
}

// PatchUser reads the user, lets change edit it, and writes the result,
// in one transaction with the person's row locked.
func (s *Store) PatchUser(ctx context.Context, id string, change func(*distans.SCIMUser) error) (*distans.SCIMUser, error) {
	a, err := provisioner(ctx)
	if err != nil {
		return nil, err
	}
	err = s.writeAccess(ctx, func(tx *sql.Tx) error {
		org := a.OrganisationID
		var log auditLog
		p, err := findPersonRow(ctx, tx, org, id, s.dialect.forUpdate)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return errSCIMUserNotFound()
		} else if err != nil {
			return err
		}
		old, err := findSCIMUser(ctx, tx, org, id)
		if err != nil {
			return err
		}
		x := *old
		u := &x
		if err := change(u); err != nil {
			return err
		}
		u.ID = id
		if err := normalizeSCIMUser(u); err != nil {
			return err
		}
		if err := checkSCIMUnique(ctx, tx, org, id, u); err != nil {
			return err
		}
		if err := s.updateSCIMPerson(ctx, tx, p, u); err != nil {
			return err
		}
		if u.Mobile != old.Mobile {
			if err := writeSCIMMobile(ctx, tx, p, false, u.Mobile); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE scim_users SET user_name = $1, user_name_key = $2, external_id = $3,
			given_name = $4, family_name = $5, department = $6, updated_at = $7 WHERE organisation_id = $8 AND person_id = $9`,
			u.UserName, userNameKey(u.UserName), u.ExternalID, u.GivenName, u.FamilyName, u.Department, ts(touched(ctx, old.LastModified)),
			org, id); err != nil {
			return scimUniqueErr(err)
		}
		log.add("scim.user.update", "person", id, "updated user "+u.UserName)
		if err := s.applyActive(ctx, tx, &log, p, old, u, false); err != nil {
			return err
		}
		return s.writeProvisioningAudit(ctx, tx, a, org, &log)
	})
	if err != nil {
		return nil, err
	}
	// Read back once committed, as CreateUser does.
	return findSCIMUser(ctx, s.rdb, a.OrganisationID, id)
}

// DeleteUser deactivates the user and removes their SCIM identity and
// group memberships; the person and their history stay.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	a, err := provisioner(ctx)
	if err != nil {
		return err
	}
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		org := a.OrganisationID
		var log auditLog
		p, err := findPersonRow(ctx, tx, org, id, s.dialect.forUpdate)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return errSCIMUserNotFound()
		} else if err != nil {
			return err
		}
		u, err := findSCIMUser(ctx, tx, org, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM scim_group_members WHERE organisation_id = $1 AND person_id = $2`, org, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM scim_users WHERE organisation_id = $1 AND person_id = $2`, org, id); err != nil {
			return err
		}
		log.add("scim.user.delete", "person", id,
			"deleted user "+u.UserName+" (the person "+p.Name+" and their history stay)")
		if u.Active {
			today, err := s.today(ctx, tx, org)
			if err != nil {
				return err
			}
			if err := s.deactivate(ctx, tx, &log, p, today); err != nil {
				return err
			}
		} else if err := s.regrant(ctx, tx, &log, org, []string{id}); err != nil {
			return err
		}
		return s.writeProvisioningAudit(ctx, tx, a, org, &log)
	})
}

// scimUserFilter turns a filter into SQL conditions on scimUserSelect;
// one says the filter names at most one user, by a key the unique indexes
// hold (userName, a non-empty externalId).
func scimUserFilter(q *args, f distans.SCIMFilter) (where string, one bool, err error) {
	for _, t := range f {
		var cond string
		switch strings.ToLower(t.Attr) {
		case "username":
			cond = "su.user_name_key = " + q.add(userNameKey(t.Value))
			one = true
		case "externalid":
			cond = "su.external_id = " + q.add(t.Value)
			one = one || t.Value != ""
		case "emails.value", "emails":
			cond = "p.email = " + q.add(distans.NormalizeEmail(t.Value))
		case "employeenumber", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:employeenumber":
			cond = "p.employee_number = " + q.add(t.Value)
		default:
			return "", false, errSCIMFilter(t.Attr)
		}
		where += " AND " + cond
	}
	return where, one, nil
}

func errSCIMFilter(attr string) error {
	return invalid("filter", fmt.Sprintf("Det går inte att filtrera på %q.", attr), fmt.Sprintf("Filtering on %q is not supported.", attr))
}

// scimPage clamps SCIM's startIndex and count (see distans.SCIMService).
func scimPage(startIndex, count int) (offset, limit int) {
	return max(startIndex, 1) - 1, min(max(count, 0), distans.SCIMMaxCount)
}

// ListUsers returns one page of the organisation's users matching f, in
// the order they were made, and how many match in all. A userName (or
// externalId, e-mail, employee number) filter is one index lookup.
func (s *Store) ListUsers(ctx context.Context, f distans.SCIMFilter, startIndex, count int) ([]*distans.SCIMUser, int, error) {
	a, err := provisioner(ctx)
	if err != nil {
		return nil, 0, err
	}
	var q args
	where := "su.organisation_id = " + q.add(a.OrganisationID)
	cond, one, err := scimUserFilter(&q, f)
	if err != nil {
		return nil, 0, err
	}
	where += cond
	offset, limit := scimPage(startIndex, count)
	out, total := []*distans.SCIMUser{}, 0
	if one && offset == 0 && limit > 0 {
		// Entra's lookup before every change, by userName: at most one
		// user, so no count over a window, no order and no second
		// statement to count none.
		rows, err := s.rdb.QueryContext(ctx, scimUserSelect+` WHERE `+where, q...)
		if err != nil {
			return nil, 0, err
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanSCIMUser(rows)
			if err != nil {
				return nil, 0, err
			}
			out = append(out, u)
		}
		return out, len(out), rows.Err()
	}
	if limit > 0 {
		rows, err := s.rdb.QueryContext(ctx, scimUserSelect[:len("SELECT ")]+`COUNT(*) OVER (), `+scimUserSelect[len("SELECT "):]+
			` WHERE `+where+` ORDER BY su.person_id`+limitRows(limit)+` OFFSET `+strconv.Itoa(offset), q...)
		if err != nil {
			return nil, 0, err
		}
		defer rows.Close()
		for rows.Next() {
			var n int
			u, err := scanSCIMUser(countFirst{rows, &n})
			if err != nil {
				return nil, 0, err
			}
			out, total = append(out, u), n
		}
		if err := rows.Err(); err != nil {
			return nil, 0, err
		}
		if len(out) > 0 {
			return out, total, nil
		}
	}
	err = s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM scim_users su JOIN people p ON p.organisation_id = su.organisation_id
		AND p.id = su.person_id WHERE `+where, q...).Scan(&total)
	return out, total, err
}

// countFirst scans a row whose first column is a count before the
// columns the wrapped scanner expects.
type countFirst struct {
	rows *sql.Rows
	n    *int
}

func (c countFirst) Scan(dest ...any) error { return c.rows.Scan(append([]any{c.n}, dest...)...) }
