package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/distans/distans"
)

var _ distans.RoleService = (*Store)(nil)

func errRoleNotFound() error {
	return distans.NotFound("Rolltilldelningen finns inte.", "The role assignment does not exist.")
}

// Role assignments are read with their unit's path (empty for the whole
// organisation), which decides who may see and end them.
const roleCols = `r.organisation_id, r.id, r.person_id, r.role, r.unit_id, r.source, r.ended_at, r.created_at, COALESCE(u.path, '')`
const roleFrom = ` FROM role_assignments r LEFT JOIN units u ON u.organisation_id = r.organisation_id AND u.id = r.unit_id`

func scanRole(sc interface{ Scan(...any) error }) (*distans.RoleAssignment, string, error) {
	r := &distans.RoleAssignment{}
	var path string
	err := sc.Scan(&r.OrganisationID, &r.ID, &r.PersonID, &r.Role, str(&r.UnitID), &r.Source, nulltm(&r.EndedAt), tm(&r.CreatedAt), &path)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", errRoleNotFound()
	}
	return r, path, err
}

// roleScope: an assignment in a unit is in the scope of PermManageRoles
// in that unit; one for the whole organisation needs the permission there.
func roleScope(a *distans.Actor, unitPath string) bool {
	sc := a.Scope(distans.PermManageRoles)
	return sc.All || unitPath != "" && sc.Contains(unitPath)
}

// ListRoleAssignments returns the actor's own assignments and those in the
// units where the actor manages roles.
func (s *Store) ListRoleAssignments(ctx context.Context, f distans.RoleFilter) ([]*distans.RoleAssignment, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var q args
	where := "r.organisation_id = " + q.add(a.OrganisationID)
	if sc := a.Scope(distans.PermManageRoles); !sc.All {
		where += " AND (r.person_id = " + q.add(a.PersonID) + " OR " + scopeSQL(&q, "u.path", sc) + ")"
	}
	if f.PersonID != "" {
		where += " AND r.person_id = " + q.add(f.PersonID)
	}
	if f.Role != "" {
		where += " AND r.role = " + q.add(string(f.Role))
	}
	if !f.IncludeEnded {
		where += " AND r.ended_at IS NULL"
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+roleCols+roleFrom+` WHERE `+where+` ORDER BY r.created_at, r.id`, q...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.RoleAssignment
	for rows.Next() {
		r, _, err := scanRole(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// insertRole writes a new assignment and its audit event.
func (s *Store) insertRole(ctx context.Context, tx *sql.Tx, a *distans.Actor, r *distans.RoleAssignment) error {
	var log auditLog
	if err := insertRoleRow(ctx, tx, &log, r); err != nil {
		return err
	}
	return s.writeAudit(ctx, tx, a, r.OrganisationID, &log)
}

// roleSummary is the audit summary of a role granted.
func roleSummary(r *distans.RoleAssignment) string {
	where := "the whole organisation"
	if r.UnitID != "" {
		where = "unit " + r.UnitID
	}
	return "gave person " + r.PersonID + " the role " + string(r.Role) + " in " + where
}

// AssignRole needs PermManageRoles in the unit (or in the whole
// organisation for an organisation-wide role). A person cannot hold the
// same current role in the same unit twice.
func (s *Store) AssignRole(ctx context.Context, r *distans.RoleAssignment) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if !a.GrantsRolesSomewhere() {
		return distans.Forbidden()
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		r.OrganisationID, r.Source = a.OrganisationID, "" // by hand
		if _, err := findPersonRow(ctx, tx, r.OrganisationID, r.PersonID); distans.ErrorCode(err) == distans.ENOTFOUND {
			return invalid("person_id", "Personen finns inte i organisationen.", "The person is not in the organisation.")
		} else if err != nil {
			return err
		}
		path := ""
		if r.UnitID != "" {
			u, err := findUnit(ctx, tx, r.OrganisationID, r.UnitID)
			if distans.ErrorCode(err) == distans.ENOTFOUND {
				return invalid("unit_id", "Enheten finns inte i organisationen.", "The unit is not in the organisation.")
			} else if err != nil {
				return err
			}
			path = u.Path
		}
		if !roleScope(a, path) {
			return distans.Forbidden()
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM role_assignments WHERE organisation_id = $1 AND person_id = $2
			AND role = $3 AND COALESCE(unit_id, '') = $4 AND ended_at IS NULL`,
			r.OrganisationID, r.PersonID, string(r.Role), r.UnitID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return distans.Errorf(distans.ECONFLICT, "Personen har redan den rollen i enheten.", "The person already holds that role in the unit.")
		}
		return s.insertRole(ctx, tx, a, r)
	})
}

// EndRoleAssignment ends a current assignment now.
func (s *Store) EndRoleAssignment(ctx context.Context, id string) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		r, path, err := scanRole(tx.QueryRowContext(ctx, `SELECT `+roleCols+roleFrom+` WHERE r.organisation_id = $1 AND r.id = $2`,
			a.OrganisationID, id))
		if err != nil {
			return err
		}
		if !roleScope(a, path) {
			if r.PersonID != a.PersonID {
				return errRoleNotFound()
			}
			return distans.Forbidden()
		}
		if r.EndedAt != nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE role_assignments SET ended_at = $1 WHERE organisation_id = $2 AND id = $3`,
			ts(now(ctx)), r.OrganisationID, r.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, r.OrganisationID, "role.end", "role_assignment", r.ID,
			"ended the role "+string(r.Role)+" of person "+r.PersonID)
	})
}

// Grants returns the person's current grants with their units' paths, for
// building an Actor. It acts as the system. Roles in units that have ended
// grant nothing.
func (s *Store) Grants(ctx context.Context, orgID, personID string) ([]distans.Grant, error) {
	today, err := s.today(ctx, s.rdb, orgID)
	if err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT r.role, COALESCE(r.unit_id, ''), COALESCE(u.path, '')`+roleFrom+`
		WHERE r.organisation_id = $1 AND r.person_id = $2 AND `+heldOn("r", "u", "$3")+`
		ORDER BY r.created_at, r.id`, orgID, personID, day(today))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []distans.Grant
	for rows.Next() {
		var g distans.Grant
		if err := rows.Scan(&g.Role, &g.UnitID, &g.UnitPath); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// heldOn is the condition that the role assignment r, with its unit u
// (LEFT JOINed: NULL for an organisation-wide role), grants its role on the
// day in the parameter day: it has not been ended, and its unit, if any,
// has not ended before that day. Grants and the credential statement
// (credential.go) both ask it.
func heldOn(r, u, day string) string {
	return `(` + r + `.ended_at IS NULL AND (` + u + `.ended_on IS NULL OR ` + u + `.ended_on >= ` + day + `))`
}

// insertRoleRow is insertRole with its event in the log.
func insertRoleRow(ctx context.Context, tx *sql.Tx, log *auditLog, r *distans.RoleAssignment) error {
	return insertRoleRows(ctx, tx, log, []*distans.RoleAssignment{r})
}

// insertRoleRows is insertRoleRow for many, a few hundred a statement: a
// SCIM group mapped to a role grants it to all its members at once.
func insertRoleRows(ctx context.Context, tx *sql.Tx, log *auditLog, rs []*distans.RoleAssignment) error {
	for chunk := range slices.Chunk(rs, 500) {
		var q args
		rows := make([]string, len(chunk))
		for i, r := range chunk {
			r.ID, r.EndedAt, r.CreatedAt = newID(), nil, now(ctx)
			rows[i] = "(" + strings.Join([]string{q.add(r.OrganisationID), q.add(r.ID), q.add(r.PersonID), q.add(string(r.Role)),
				q.add(nullStr(r.UnitID)), q.add(r.Source), "NULL", q.add(ts(r.CreatedAt))}, ", ") + ")"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO role_assignments (organisation_id, id, person_id, role, unit_id, source, ended_at, created_at)
			VALUES `+strings.Join(rows, ", "), q...); err != nil {
			return err
		}
		for _, r := range chunk {
			log.add("role.assign", "role_assignment", r.ID, roleSummary(r))
		}
	}
	return nil
}
