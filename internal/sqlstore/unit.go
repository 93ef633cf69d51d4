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

var _ distans.UnitService = (*Store)(nil)

func errUnitNotFound() error {
	return distans.NotFound("Enheten finns inte.", "The unit does not exist.")
}

func invalid(field, sv, en string) error {
	var v distans.Validation
	v.Add(field, sv, en)
	return v.Err()
}

// errUnitCode turns a violated units_code index into ECONFLICT on the
// field code.
func errUnitCode(err error) error {
	return codeTaken(err, "Koden används redan av en annan enhet.", "The code is already used by another unit.")
}

const unitCols = `organisation_id, id, parent_id, code, name, kind, manager_id, path, ended_on, created_at, updated_at`

func scanUnit(sc interface{ Scan(...any) error }) (*distans.Unit, error) {
	u := &distans.Unit{}
	err := sc.Scan(&u.OrganisationID, &u.ID, str(&u.ParentID), &u.Code, &u.Name, &u.Kind, str(&u.ManagerID), &u.Path,
		nulldt(&u.EndedOn), tm(&u.CreatedAt), tm(&u.UpdatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUnitNotFound()
	}
	return u, err
}

// findUnit returns a unit of the organisation; ENOTFOUND for any other.
func findUnit(ctx context.Context, q querier, orgID, id string) (*distans.Unit, error) {
	return scanUnit(q.QueryRowContext(ctx, `SELECT `+unitCols+` FROM units WHERE organisation_id = $1 AND id = $2`, orgID, id))
}

// FindUnit returns a unit of the actor's organisation. Everyone signed in
// may read the tree.
func (s *Store) FindUnit(ctx context.Context, id string) (*distans.Unit, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	return findUnit(ctx, s.rdb, a.OrganisationID, id)
}

// ListUnits returns the units of the actor's organisation in Swedish order
// of their names (swedishOrder); ended units (ended before today) only when
// asked for.
func (s *Store) ListUnits(ctx context.Context, f distans.UnitFilter) ([]*distans.Unit, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var today time.Time
	if !f.IncludeEnded {
		if today, err = s.today(ctx, s.rdb, a.OrganisationID); err != nil {
			return nil, err
		}
	}
	// The top of the tree is what every list's unit filter offers, on
	// every search of the directory: it is kept, as who a request is from
	// is (accesscache.go), and units are changed by writeAccess.
	top := f.Levels > 0 && f.ParentID == "" && len(f.IDs) == 0
	key := unitTopKey{a.OrganisationID, f.Levels, f.IncludeEnded, day(today)}
	if top {
		if units, ok := s.unitTops.get(&s.access, key); ok {
			return copyUnits(units), nil
		}
	}
	gen := s.access.gen.Load()
	var q args
	where := "organisation_id = " + q.add(a.OrganisationID)
	if f.ParentID != "" {
		where += " AND parent_id = " + q.add(f.ParentID)
	}
	if len(f.IDs) > 0 {
		if len(f.IDs) > 500 {
			return nil, distans.Errorf(distans.EINVALID, "Högst 500 enheter i taget.", "At most 500 units at a time.")
		}
		in := make([]string, len(f.IDs))
		for i, id := range f.IDs {
			in[i] = q.add(id)
		}
		where += " AND id IN (" + strings.Join(in, ", ") + ")"
	}
	if f.Levels > 0 {
		// A path is "/id/" for a root and one more "id/" a level down.
		where += " AND length(path) - length(replace(path, '/', '')) <= " + q.add(f.Levels+1)
	}
	if !f.IncludeEnded {
		where += " AND (ended_on IS NULL OR ended_on >= " + q.add(day(today)) + ")"
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+unitCols+` FROM units WHERE `+where, q...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	swedishOrder(out)
	if top {
		s.unitTops.put(&s.access, key, copyUnits(out), gen)
	}
	return out, nil
}

// swedishOrder sorts units by name in Swedish order (Z < Å < Ä < Ö, case
// ignored: distans.SortKey, the order people are listed in), then by ID,
// on both databases alike, each name's key made once. The filter of
// every list sorts the top of the tree by it, which is kept sorted (a
// directory search sorted 111 units: a fiftieth of its CPU).
func swedishOrder(units []*distans.Unit) {
	keys := make(map[*distans.Unit]string, len(units))
	for _, u := range units {
		keys[u] = distans.SortKey(u.Name)
	}
	slices.SortFunc(units, func(a, b *distans.Unit) int {
		return cmp.Or(strings.Compare(keys[a], keys[b]), strings.Compare(a.ID, b.ID))
	})
}

// unitTopKey names the top levels of an organisation's tree on a day.
type unitTopKey struct {
	orgID        string
	levels       int
	includeEnded bool
	today        string // the organisation's day, YYYY-MM-DD (the zero day with includeEnded)
}

// copyUnits copies units, for a cache whose values are shared.
func copyUnits(units []*distans.Unit) []*distans.Unit {
	out := make([]*distans.Unit, len(units))
	for i, u := range units {
		c := *u
		out[i] = &c
	}
	return out
}

// placeUnit checks u's parent and manager, and the actor's right to manage
// units under the parent, and sets u.Path. A root unit needs the permission
// in the whole organisation.
func placeUnit(ctx context.Context, tx *sql.Tx, a *distans.Actor, u *distans.Unit) error {
	scope := a.Scope(distans.PermManageUnits)
	u.Path = "/" + u.ID + "/"
	if u.ParentID != "" {
		parent, err := findUnit(ctx, tx, u.OrganisationID, u.ParentID)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return invalid("parent_id", "Den överordnade enheten finns inte.", "The parent unit does not exist.")
		} else if err != nil {
			return err
		}
		if strings.Contains(parent.Path, "/"+u.ID+"/") {
			return invalid("parent_id", "En enhet kan inte flyttas in under sig själv.", "A unit cannot be moved below itself.")
		}
		if !scope.Contains(parent.Path) {
			return distans.Forbidden()
		}
		u.Path = parent.Path + u.ID + "/"
	} else if !scope.All {
		return distans.Forbidden()
	}
	if u.ManagerID != "" {
		if _, err := findPersonRow(ctx, tx, u.OrganisationID, u.ManagerID); distans.ErrorCode(err) == distans.ENOTFOUND {
			return invalid("manager_id", "Chefen finns inte i organisationen.", "The manager is not in the organisation.")
		} else if err != nil {
			return err
		}
	}
	return nil
}

// CreateUnit needs PermManageUnits where the unit is placed. Setting a
// manager grants that person the chef role in the unit.
func (s *Store) CreateUnit(ctx context.Context, u *distans.Unit) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if !a.ManagesUnitsSomewhere() {
		return distans.Forbidden()
	}
	if err := u.Validate(); err != nil {
		return err
	}
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		if err := s.lockTree(ctx, tx, a.OrganisationID); err != nil {
			return err
		}
		u.ID = newID()
		u.OrganisationID = a.OrganisationID
		u.EndedOn = nil
		u.CreatedAt = now(ctx)
		u.UpdatedAt = u.CreatedAt
		if err := placeUnit(ctx, tx, a, u); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO units (`+unitCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10)`,
			u.OrganisationID, u.ID, nullStr(u.ParentID), u.Code, u.Name, u.Kind, nullStr(u.ManagerID), u.Path,
			ts(u.CreatedAt), ts(u.UpdatedAt)); err != nil {
			return errUnitCode(err)
		}
		if err := s.audit(ctx, tx, a, u.OrganisationID, "unit.create", "unit", u.ID, "created unit "+u.Name); err != nil {
			return err
		}
		return s.ensureChef(ctx, tx, a, nil, u)
	})
}

// UpdateUnit changes name, kind, parent and manager; it needs
// PermManageUnits in the unit and, when it moves, under the new parent.
// Moving rewrites the paths of the whole subtree in the same transaction.
func (s *Store) UpdateUnit(ctx context.Context, id string, upd distans.UnitUpdate) (*distans.Unit, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var out *distans.Unit
	err = s.writeAccess(ctx, func(tx *sql.Tx) error {
		if err := s.lockTree(ctx, tx, a.OrganisationID); err != nil {
			return err
		}
		old, err := findUnit(ctx, tx, a.OrganisationID, id)
		if err != nil {
			return err
		}
		if !a.Scope(distans.PermManageUnits).Contains(old.Path) {
			return distans.Forbidden()
		}
		if err := unchanged(upd.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		u := *old
		upd.Apply(&u)
		if err := u.Validate(); err != nil {
			return err
		}
		u.UpdatedAt = touched(ctx, old.UpdatedAt)
		out = &u
		if err := placeUnit(ctx, tx, a, &u); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE units SET parent_id = $1, code = $2, name = $3, kind = $4, manager_id = $5,
			updated_at = $6 WHERE organisation_id = $7 AND id = $8`,
			nullStr(u.ParentID), u.Code, u.Name, u.Kind, nullStr(u.ManagerID), ts(u.UpdatedAt), u.OrganisationID, u.ID); err != nil {
			return errUnitCode(err)
		}
		summary := "updated unit " + u.Name
		if u.Name != old.Name {
			// The directory finds people by their unit's name.
			if err := s.indexUnitPeople(ctx, tx, u.OrganisationID, u.ID); err != nil {
				return err
			}
		}
		if u.Path != old.Path {
			if err := s.movePaths(ctx, tx, u.OrganisationID, old.Path, u.Path); err != nil {
				return err
			}
			summary += " (moved)"
		}
		if err := s.audit(ctx, tx, a, u.OrganisationID, "unit.update", "unit", u.ID, summary); err != nil {
			return err
		}
		return s.ensureChef(ctx, tx, a, old, &u)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// lockTree serialises changes to an organisation's unit tree on
// PostgreSQL, so that two moves never read paths the other is rewriting:
// it locks the organisation's audit head, which the change's audit event
// would lock anyway. SQLite's single writer needs nothing. Changes to rows
// that have no row of their own to lock (an organisation's next document
// version) or whose row every other change refers to (the organisation)
// take it too, before they read what they change.
func (s *Store) lockTree(ctx context.Context, tx *sql.Tx, orgID string) error {
	if s.dialect.forUpdate == "" {
		return nil
	}
	var seq int64
	err := tx.QueryRowContext(ctx, `SELECT seq FROM audit_heads WHERE organisation_id = $1`+s.dialect.forUpdate, orgID).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return errOrgNotFound()
	}
	return err
}

// movePaths rewrites the materialised paths under from to start with to, in
// units and in people's copies of their unit's path, and on SQLite
// indexes the people moved: person_fts holds their paths (ftsRow).
func (s *Store) movePaths(ctx context.Context, tx *sql.Tx, orgID, from, to string) error {
	for _, t := range []struct{ table, col string }{{"units", "path"}, {"people", "unit_path"}} {
		var q args
		set := q.add(to) + " || substr(" + t.col + ", " + q.add(len(from)+1) + ")"
		where := "organisation_id = " + q.add(orgID) + " AND " + inSubtree(&q, t.col, from)
		if _, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET `+t.col+` = `+set+` WHERE `+where, q...); err != nil {
			return err
		}
	}
	if !s.dialect.fts {
		return nil
	}
	var q args
	ids, err := queryStrings(ctx, tx, `SELECT id FROM people WHERE organisation_id = `+q.add(orgID)+` AND `+inSubtree(&q, "unit_path", to), q...)
	if err != nil {
		return err
	}
	return s.indexPeople(ctx, tx, orgID, ids)
}

// EndUnit sets the unit's last day. It refuses while people are employed
// in the unit after that day or while it has child units that go on.
func (s *Store) EndUnit(ctx context.Context, id string, on time.Time) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		u, err := findUnit(ctx, tx, a.OrganisationID, id)
		if err != nil {
			return err
		}
		if !a.Scope(distans.PermManageUnits).Contains(u.Path) {
			return distans.Forbidden()
		}
		var children, emps int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE organisation_id = $1 AND parent_id = $2
			AND (ended_on IS NULL OR ended_on > $3)`, u.OrganisationID, u.ID, day(on)).Scan(&children); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM employments WHERE organisation_id = $1 AND unit_id = $2
			AND (ends_on IS NULL OR ends_on > $3)`, u.OrganisationID, u.ID, day(on)).Scan(&emps); err != nil {
			return err
		}
		if err := unitEndRefused(children, emps); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE units SET ended_on = $1, updated_at = $2 WHERE organisation_id = $3 AND id = $4`,
			day(on), ts(now(ctx)), u.OrganisationID, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, u.OrganisationID, "unit.end", "unit", u.ID, "ended unit "+u.Name+" on "+day(on))
	})
}

// chefGrant is the rule that keeps the tree and the permissions in
// agreement (see UnitService): a unit that gets a manager, when it is new
// (old is nil) or its manager changes, gives that person the chef role in
// it, unless a current assignment already does (held says). It returns the
// assignment to grant, or nil. Every path that sets managers asks it: one
// unit at a time (ensureChef) and an import's thousands (ApplyImport).
func chefGrant(old, u *distans.Unit, held func(personID, unitID string) (bool, error)) (*distans.RoleAssignment, error) {
	if u.ManagerID == "" || old != nil && old.ManagerID == u.ManagerID {
		return nil, nil
	}
	if ok, err := held(u.ManagerID, u.ID); err != nil || ok {
		return nil, err
	}
	return &distans.RoleAssignment{OrganisationID: u.OrganisationID, PersonID: u.ManagerID, Role: distans.RoleManager, UnitID: u.ID}, nil
}

// goesOnAfter reports whether a period that ends on end (nil: open) goes on
// after the day on: what keeps a unit from ending on that day, in a child
// unit or an employment in it (see unitEndRefused).
func goesOnAfter(end *time.Time, on time.Time) bool { return end == nil || end.After(on) }

// unitEndRefused is the rule of ending a unit: not while children of it
// (child units) or employments in it go on after its last day, counted by
// goesOnAfter. EndUnit counts them in SQL, an import in memory.
func unitEndRefused(children, employments int) error {
	if children > 0 {
		return invalid("ended_on", "Enheten har underenheter som inte är avslutade. Avsluta eller flytta dem först.",
			"The unit has child units that have not ended. End or move them first.")
	}
	if employments > 0 {
		return invalid("ended_on", "Enheten har anställningar som pågår efter slutdatumet. Avsluta eller flytta dem först.",
			"The unit has employments that go on after the end date. End or move them first.")
	}
	return nil
}

// ensureChef grants the chef role that chefGrant asks for, if any, when
// unit old becomes u.
func (s *Store) ensureChef(ctx context.Context, tx *sql.Tx, a *distans.Actor, old, u *distans.Unit) error {
	var log auditLog
	if err := grantChef(ctx, tx, &log, old, u); err != nil {
		return err
	}
	return s.writeAudit(ctx, tx, a, u.OrganisationID, &log)
}

// grantChef is ensureChef with its event in the log.
func grantChef(ctx context.Context, tx *sql.Tx, log *auditLog, old, u *distans.Unit) error {
	r, err := chefGrant(old, u, func(personID, unitID string) (bool, error) {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM role_assignments WHERE organisation_id = $1 AND person_id = $2
			AND role = $3 AND unit_id = $4 AND ended_at IS NULL`, u.OrganisationID, personID, distans.RoleManager, unitID).Scan(&n)
		return n > 0, err
	})
	if err != nil || r == nil {
		return err
	}
	return insertRoleRow(ctx, tx, log, r)
}
