package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/distans/distans"
)

func errSCIMGroupNotFound() error {
	return distans.NotFound("Gruppen finns inte.", "The group does not exist.")
}

const scimGroupCols = `id, external_id, display_name, created_at, updated_at`

func scanSCIMGroup(sc interface{ Scan(...any) error }) (*distans.SCIMGroup, error) {
	g := &distans.SCIMGroup{}
	err := sc.Scan(&g.ID, &g.ExternalID, &g.DisplayName, tm(&g.Created), tm(&g.LastModified))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errSCIMGroupNotFound()
	}
	return g, err
}

// groupMembers reads the members of a group, in ID order.
func groupMembers(ctx context.Context, q querier, orgID, groupID string) ([]string, error) {
	ids, err := queryStrings(ctx, q, `SELECT person_id FROM scim_group_members WHERE organisation_id = $1 AND group_id = $2
		ORDER BY person_id`, orgID, groupID)
	if ids == nil {
		ids = []string{}
	}
	return ids, err
}

func findSCIMGroup(ctx context.Context, q querier, orgID, id string, members bool) (*distans.SCIMGroup, error) {
	g, err := scanSCIMGroup(q.QueryRowContext(ctx, `SELECT `+scimGroupCols+` FROM scim_groups WHERE organisation_id = $1 AND id = $2`,
		orgID, id))
	if err != nil || !members {
		return g, err
	}
	g.Members, err = groupMembers(ctx, q, orgID, id)
	return g, err
}

// normalizeSCIMGroup trims the group's fields, drops repeated members and
// checks it; its errors name the SCIM attribute.
func normalizeSCIMGroup(g *distans.SCIMGroup) error {
	g.DisplayName, g.ExternalID = strings.TrimSpace(g.DisplayName), strings.TrimSpace(g.ExternalID)
	var v distans.Validation
	v.Required("displayName", g.DisplayName)
	v.MaxLen("displayName", g.DisplayName, 200)
	v.MaxLen("externalId", g.ExternalID, 200)
	ms := slices.Clone(g.Members)
	slices.Sort(ms)
	g.Members = slices.Compact(ms)
	return v.Err()
}

// checkGroupUnique refuses a displayName or externalId another group than
// selfID holds.
func checkGroupUnique(ctx context.Context, tx *sql.Tx, orgID, selfID string, g *distans.SCIMGroup) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM scim_groups WHERE organisation_id = $1 AND display_name = $2
		AND id <> $3`, orgID, g.DisplayName, selfID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return scimConflict("displayName", "Det finns redan en grupp med det namnet.", "A group with that displayName already exists.")
	}
	if g.ExternalID != "" {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM scim_groups WHERE organisation_id = $1 AND external_id = $2
			AND id <> $3`, orgID, g.ExternalID, selfID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errExternalIDTaken()
		}
	}
	return nil
}

// checkMembers refuses members that are not users of the organisation,
// naming the first; a group's members are read in one statement.
func (s *Store) checkMembers(ctx context.Context, tx *sql.Tx, orgID string, ids []string) error {
	for chunk := range slices.Chunk(ids, idSetChunk) {
		var q args
		found, err := queryStrings(ctx, tx, `SELECT person_id FROM scim_users WHERE organisation_id = `+q.add(orgID)+
			` AND person_id IN `+s.idSet(&q, chunk), q...)
		if err != nil {
			return err
		}
		for _, id := range chunk {
			if !slices.Contains(found, id) {
				return invalid("members", "Medlemmen "+strconv.Quote(id)+" är ingen användare i organisationen.",
					"The member "+strconv.Quote(id)+" is not a user of the organisation.")
			}
		}
	}
	return nil
}

// CreateGroup stores a group with its members; membership of a mapped
// group grants its role at once.
func (s *Store) CreateGroup(ctx context.Context, g *distans.SCIMGroup) error {
	a, err := provisioner(ctx)
	if err != nil {
		return err
	}
	if err := normalizeSCIMGroup(g); err != nil {
		return err
	}
	var out *distans.SCIMGroup
	err = s.writeAccessAnalysed(ctx, func(tx *sql.Tx) error {
		org := a.OrganisationID
		var log auditLog
		if err := checkGroupUnique(ctx, tx, org, "", g); err != nil {
			return err
		}
		if err := s.checkMembers(ctx, tx, org, g.Members); err != nil {
			return err
		}
		id, at := newID(), ts(now(ctx))
		if _, err := tx.ExecContext(ctx, `INSERT INTO scim_groups (organisation_id, `+scimGroupCols+`) VALUES ($1, $2, $3, $4, $5, $5)`,
			org, id, g.ExternalID, g.DisplayName, at); err != nil {
			return conflict(err, "Gruppen finns redan.", "The group already exists.")
		}
		if err := addMembers(ctx, tx, org, id, g.Members); err != nil {
			return err
		}
		log.add("scim.group.create", "scim_group", id,
			"created SCIM group "+g.DisplayName+" with "+strconv.Itoa(len(g.Members))+" members")
		if err := s.regrant(ctx, tx, &log, org, g.Members); err != nil {
			return err
		}
		if out, err = findSCIMGroup(ctx, tx, org, id, true); err != nil {
			return err
		}
		return s.writeProvisioningAudit(ctx, tx, a, org, &log)
	})
	if err != nil {
		return err
	}
	s.grew(ctx, 1+len(g.Members), "scim_groups, scim_group_members, role_assignments")
	*g = *out
	return nil
}

// addMembers inserts memberships, many rows a statement.
func addMembers(ctx context.Context, tx *sql.Tx, orgID, groupID string, ids []string) error {
	for chunk := range slices.Chunk(ids, 500) {
		var q args
		vals := make([]string, len(chunk))
		for i, id := range chunk {
			vals[i] = "(" + q.add(orgID) + ", " + q.add(groupID) + ", " + q.add(id) + ")"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO scim_group_members (organisation_id, group_id, person_id) VALUES `+
			strings.Join(vals, ", "), q...); err != nil {
			return err
		}
	}
	return nil
}

// FindGroup returns a group of the organisation, with its members when
// asked: excludedAttributes=members reads none.
func (s *Store) FindGroup(ctx context.Context, id string, members bool) (*distans.SCIMGroup, error) {
	a, err := provisioner(ctx)
	if err != nil {
		return nil, err
	}
	return findSCIMGroup(ctx, s.rdb, a.OrganisationID, id, members)
}

// ReplaceGroup replaces the group's name, externalId and members (PUT).
func (s *Store) ReplaceGroup(ctx context.Context, id string, g *distans.SCIMGroup) (*distans.SCIMGroup, error) {
	return s.PatchGroup(ctx, id, func(x *distans.SCIMGroup) error {
		created := x.Created
		*x = *g
		x.ID, x.Created = id, created
		return nil
	})
}

// PatchGroup reads the group with its members, lets change edit it, and
// writes the difference, in one transaction with the group's row locked;
// the roles of the members who joined or left (all of them when the name,
// and so the mapping, changed) follow.
func (s *Store) PatchGroup(ctx context.Context, id string, change func(*distans.SCIMGroup) error) (*distans.SCIMGroup, error) {
	a, err := provisioner(ctx)
	if err != nil {
		return nil, err
	}
	var out *distans.SCIMGroup
	err = s.writeAccess(ctx, func(tx *sql.Tx) error {
		org := a.OrganisationID
		var log auditLog
		if _, err := scanSCIMGroup(tx.QueryRowContext(ctx, `SELECT `+scimGroupCols+` FROM scim_groups
			WHERE organisation_id = $1 AND id = $2`+s.dialect.forUpdate, org, id)); err != nil {
			return err
		}
		old, err := findSCIMGroup(ctx, tx, org, id, true)
		if err != nil {
			return err
		}
		x := *old
		x.Members = slices.Clone(old.Members)
		g := &x
		if err := change(g); err != nil {
			return err
		}
		g.ID = id
		if err := normalizeSCIMGroup(g); err != nil {
			return err
		}
		if err := checkGroupUnique(ctx, tx, org, id, g); err != nil {
			return err
		}
		added, removed := diffSorted(old.Members, g.Members)
		if err := s.checkMembers(ctx, tx, org, added); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE scim_groups SET display_name = $1, external_id = $2, updated_at = $3
			WHERE organisation_id = $4 AND id = $5`, g.DisplayName, g.ExternalID, ts(touched(ctx, old.LastModified)), org, id); err != nil {
			return conflict(err, "Det finns redan en grupp med det namnet.", "A group with that displayName already exists.")
		}
		for chunk := range slices.Chunk(removed, 500) {
			var q args
			ph := make([]string, len(chunk))
			for i, pid := range chunk {
				ph[i] = q.add(pid)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM scim_group_members WHERE organisation_id = `+q.add(org)+
				` AND group_id = `+q.add(id)+` AND person_id IN (`+strings.Join(ph, ", ")+`)`, q...); err != nil {
				return err
			}
		}
		if err := addMembers(ctx, tx, org, id, added); err != nil {
			return err
		}
		summary := "updated SCIM group " + g.DisplayName + ": " + strconv.Itoa(len(added)) + " joined, " +
			strconv.Itoa(len(removed)) + " left"
		if g.DisplayName != old.DisplayName {
			summary += " (renamed from " + old.DisplayName + ")"
		}
		log.add("scim.group.update", "scim_group", id, summary)
		affectedIDs := append(added, removed...)
		if g.DisplayName != old.DisplayName {
			affectedIDs = append(removed, g.Members...)
		}
		if err := s.regrant(ctx, tx, &log, org, affectedIDs); err != nil {
			return err
		}
		if out, err = findSCIMGroup(ctx, tx, org, id, true); err != nil {
			return err
		}
		return s.writeProvisioningAudit(ctx, tx, a, org, &log)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// diffSorted returns what is in next and not in prev, and the reverse;
// both lists are sorted.
func diffSorted(prev, next []string) (added, removed []string) {
	i, j := 0, 0
	for i < len(prev) || j < len(next) {
		switch {
		case j == len(next) || i < len(prev) && prev[i] < next[j]:
			removed = append(removed, prev[i])
			i++
		case i == len(prev) || next[j] < prev[i]:
			added = append(added, next[j])
			j++
		default:
			i++
			j++
		}
	}
	return added, removed
}

// DeleteGroup removes the group; the roles it granted end.
func (s *Store) DeleteGroup(ctx context.Context, id string) error {
	a, err := provisioner(ctx)
	if err != nil {
		return err
	}
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		org := a.OrganisationID
		var log auditLog
		g, err := findSCIMGroup(ctx, tx, org, id, true)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM scim_group_members WHERE organisation_id = $1 AND group_id = $2`, org, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM scim_groups WHERE organisation_id = $1 AND id = $2`, org, id); err != nil {
			return err
		}
		log.add("scim.group.delete", "scim_group", id, "deleted SCIM group "+g.DisplayName)
		if err := s.regrant(ctx, tx, &log, org, g.Members); err != nil {
			return err
		}
		return s.writeProvisioningAudit(ctx, tx, a, org, &log)
	})
}

// ListGroups returns one page of the organisation's groups matching f, in
// the order they were made, and how many match in all; members only when
// asked.
func (s *Store) ListGroups(ctx context.Context, f distans.SCIMFilter, startIndex, count int, members bool) ([]*distans.SCIMGroup, int, error) {
	a, err := provisioner(ctx)
	if err != nil {
		return nil, 0, err
	}
	var q args
	where := "organisation_id = " + q.add(a.OrganisationID)
	for _, t := range f {
		switch strings.ToLower(t.Attr) {
		case "displayname":
			where += " AND display_name = " + q.add(t.Value)
		case "externalid":
			where += " AND external_id = " + q.add(t.Value)
		default:
			return nil, 0, errSCIMFilter(t.Attr)
		}
	}
	offset, limit := scimPage(startIndex, count)
	out, total := []*distans.SCIMGroup{}, 0
	err = s.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM scim_groups WHERE `+where, q...).Scan(&total); err != nil {
			return err
		}
		if limit == 0 || offset >= total {
			return nil
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+scimGroupCols+` FROM scim_groups WHERE `+where+` ORDER BY id`+limitRows(limit)+
			` OFFSET `+strconv.Itoa(offset), q...)
		if err != nil {
			return err
		}
		for rows.Next() {
			g, err := scanSCIMGroup(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, g)
		}
		rows.Close()
		if err := rows.Err(); err != nil || !members {
			return err
		}
		for _, g := range out {
			if g.Members, err = groupMembers(ctx, tx, a.OrganisationID, g.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}
