package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/secret"
)

var (
	_ distans.SCIMService      = (*Store)(nil)
	_ distans.SCIMAdminService = (*Store)(nil)
)

// scimTokenPrefix marks SCIM tokens for secret scanners and people; the
// token is dsc_<organisation id>.<secret>, so that it is looked up within
// its organisation (STYLE 9a).
const scimTokenPrefix = "dsc_"

// scimTouchEvery is how often a token's last use is written: every
// request would make each SCIM call a write.
const scimTouchEvery = time.Minute

func errSCIMTokenNotFound() error {
	return distans.NotFound("SCIM-nyckeln finns inte.", "The SCIM token does not exist.")
}

func errSCIMUnauthorized() error {
	return distans.Errorf(distans.EUNAUTHORIZED, "SCIM-nyckeln är ogiltig eller återkallad.",
		"The SCIM token is not valid or has been revoked.")
}

// parseSCIMToken splits a token into its organisation and the hash of its
// secret; ok is false for anything that cannot be a token.
func parseSCIMToken(token string) (orgID, hash string, ok bool) {
	rest, found := strings.CutPrefix(token, scimTokenPrefix)
	if !found {
		return "", "", false
	}
	orgID, plain, found := strings.Cut(rest, ".")
	if !found || orgID == "" || len(orgID) > 64 || len(plain) != 43 {
		return "", "", false
	}
	return orgID, secret.Hash(plain), true
}

// orgAdmin returns the actor in ctx when they manage the organisation
// (the token, mapping and settings pages): EFORBIDDEN otherwise.
func orgAdmin(ctx context.Context) (*distans.Actor, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if !a.ManagesOrganisation() {
		return nil, distans.Forbidden()
	}
	return a, nil
}

// provisioner returns the provisioning client in ctx: EUNAUTHORIZED when
// nobody acts, EFORBIDDEN for anyone else.
func provisioner(ctx context.Context) (*distans.Actor, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Provisions() {
		return nil, distans.Forbidden()
	}
	return a, nil
}

// AuthenticateSCIM returns the provisioning actor for a bearer token.
// Unknown, malformed and revoked tokens, and tokens of an organisation
// that does not admit sign-in, are EUNAUTHORIZED. Last use is written at
// most once a minute, so that a busy identity system reads, not writes.
func (s *Store) AuthenticateSCIM(ctx context.Context, token string) (*distans.Actor, error) {
	orgID, hash, ok := parseSCIMToken(token)
	if !ok {
		return nil, errSCIMUnauthorized()
	}
	var id, name, lang string
	var last, revoked *time.Time
	err := s.rdb.QueryRowContext(ctx, `SELECT t.id, t.name, t.last_used_at, t.revoked_at, o.language
		FROM scim_tokens t JOIN organisations o ON o.id = t.organisation_id AND `+admitsSignIn+`
		WHERE t.organisation_id = $1 AND t.token_hash = $2`, orgID, hash).
		Scan(&id, &name, nulltm(&last), nulltm(&revoked), &lang)
	if errors.Is(err, sql.ErrNoRows) || err == nil && revoked != nil {
		return nil, errSCIMUnauthorized()
	} else if err != nil {
		return nil, err
	}
	at := now(ctx)
	if last == nil || at.Sub(*last) >= scimTouchEvery {
		if _, err := s.wdb.ExecContext(ctx, `UPDATE scim_tokens SET last_used_at = $1 WHERE organisation_id = $2 AND id = $3`,
			ts(at), orgID, id); err != nil {
			return nil, err
		}
	}
	return &distans.Actor{OrganisationID: orgID, Name: "SCIM: " + name, Language: lang, Provisioning: true}, nil
}

const scimTokenCols = `organisation_id, id, name, created_by, created_at, last_used_at, revoked_at`

func scanSCIMToken(sc interface{ Scan(...any) error }) (*distans.SCIMToken, error) {
	t := &distans.SCIMToken{}
	err := sc.Scan(&t.OrganisationID, &t.ID, &t.Name, &t.CreatedBy, tm(&t.CreatedAt), nulltm(&t.LastUsedAt), nulltm(&t.RevokedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errSCIMTokenNotFound()
	}
	return t, err
}

// CreateSCIMToken makes a token for the organisation's identity system and
// returns its secret, which is not kept.
func (s *Store) CreateSCIMToken(ctx context.Context, name string) (string, *distans.SCIMToken, error) {
	a, err := orgAdmin(ctx)
	if err != nil {
		return "", nil, err
	}
	name = strings.TrimSpace(name)
	var v distans.Validation
	v.Required("name", name)
	v.MaxLen("name", name, 100)
	if err := v.Err(); err != nil {
		return "", nil, err
	}
	plain, err := secret.New(32)
	if err != nil {
		return "", nil, err
	}
	createdBy := a.PersonID
	if createdBy == "" {
		createdBy = a.Name
	}
	t := &distans.SCIMToken{OrganisationID: a.OrganisationID, ID: newID(), Name: name, CreatedBy: createdBy, CreatedAt: now(ctx)}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO scim_tokens (`+scimTokenCols+`, token_hash) VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6)`,
			t.OrganisationID, t.ID, t.Name, t.CreatedBy, ts(t.CreatedAt), secret.Hash(plain)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, t.OrganisationID, "scim.token.create", "scim_token", t.ID, "created SCIM token "+t.Name)
	})
	if err != nil {
		return "", nil, err
	}
	return scimTokenPrefix + t.OrganisationID + "." + plain, t, nil
}

// ListSCIMTokens returns the organisation's tokens, revoked ones too,
// oldest first.
func (s *Store) ListSCIMTokens(ctx context.Context) ([]*distans.SCIMToken, error) {
	a, err := orgAdmin(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+scimTokenCols+` FROM scim_tokens WHERE organisation_id = $1
		ORDER BY created_at, id`, a.OrganisationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.SCIMToken
	for rows.Next() {
		t, err := scanSCIMToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeSCIMToken revokes a token now; revoking twice changes nothing.
func (s *Store) RevokeSCIMToken(ctx context.Context, id string) error {
	a, err := orgAdmin(ctx)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		t, err := scanSCIMToken(tx.QueryRowContext(ctx, `SELECT `+scimTokenCols+` FROM scim_tokens
			WHERE organisation_id = $1 AND id = $2`, a.OrganisationID, id))
		if err != nil || t.RevokedAt != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE scim_tokens SET revoked_at = $1 WHERE organisation_id = $2 AND id = $3`,
			ts(now(ctx)), a.OrganisationID, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, a.OrganisationID, "scim.token.revoke", "scim_token", id, "revoked SCIM token "+t.Name)
	})
}

// FindSCIMSettings returns the organisation's settings; an organisation
// that has saved none has the defaults (no units created).
func (s *Store) FindSCIMSettings(ctx context.Context) (*distans.SCIMSettings, error) {
	a, err := orgAdmin(ctx)
	if err != nil {
		return nil, err
	}
	return scimSettings(ctx, s.rdb, a.OrganisationID)
}

func scimSettings(ctx context.Context, q querier, orgID string) (*distans.SCIMSettings, error) {
	st := &distans.SCIMSettings{OrganisationID: orgID}
	err := q.QueryRowContext(ctx, `SELECT create_units FROM scim_settings WHERE organisation_id = $1`, orgID).Scan(&st.CreateUnits)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	return st, err
}

// SaveSCIMSettings replaces the organisation's settings.
func (s *Store) SaveSCIMSettings(ctx context.Context, st *distans.SCIMSettings) error {
	a, err := orgAdmin(ctx)
	if err != nil {
		return err
	}
	st.OrganisationID = a.OrganisationID
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO scim_settings (organisation_id, create_units) VALUES ($1, $2)
			ON CONFLICT (organisation_id) DO UPDATE SET create_units = excluded.create_units`, st.OrganisationID, st.CreateUnits); err != nil {
			return err
		}
		what := "departments that name no unit are refused"
		if st.CreateUnits {
			what = "departments that name no unit become new units"
		}
		return s.audit(ctx, tx, a, st.OrganisationID, "scim.settings.save", "organisation", st.OrganisationID,
			"saved SCIM settings: "+what)
	})
}

// ListSCIMGroupMappings returns the organisation's mappings by group name.
func (s *Store) ListSCIMGroupMappings(ctx context.Context) ([]*distans.SCIMGroupMapping, error) {
	a, err := orgAdmin(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT organisation_id, display_name, kind, role, unit_id FROM scim_group_mappings
		WHERE organisation_id = $1 ORDER BY display_name`, a.OrganisationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.SCIMGroupMapping
	for rows.Next() {
		m := &distans.SCIMGroupMapping{}
		if err := rows.Scan(&m.OrganisationID, &m.DisplayName, &m.Kind, &m.Role, str(&m.UnitID)); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// SaveSCIMGroupMapping creates or replaces the mapping of a group name and
// grants or ends the roles of the group's members accordingly, in the same
// transaction.
func (s *Store) SaveSCIMGroupMapping(ctx context.Context, m *distans.SCIMGroupMapping) error {
	a, err := orgAdmin(ctx)
	if err != nil {
		return err
	}
	m.DisplayName = strings.TrimSpace(m.DisplayName)
	var v distans.Validation
	v.Required("display_name", m.DisplayName)
	v.MaxLen("display_name", m.DisplayName, 200)
	switch m.Kind {
	case "", distans.SCIMMapRole:
		m.Kind = distans.SCIMMapRole
		if !m.Role.Valid() {
			v.Add("role", "Okänd roll.", "Unknown role.")
		}
	case distans.SCIMMapUnit:
		m.Role = ""
		v.Required("unit_id", m.UnitID)
	default:
		v.Add("kind", "Välj roll eller placering.", "Choose role or placement.")
	}
	if err := v.Err(); err != nil {
		return err
	}
	m.OrganisationID = a.OrganisationID
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		var log auditLog
		if m.UnitID != "" {
			if _, err := findUnit(ctx, tx, m.OrganisationID, m.UnitID); distans.ErrorCode(err) == distans.ENOTFOUND {
				return invalid("unit_id", "Enheten finns inte i organisationen.", "The unit is not in the organisation.")
			} else if err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO scim_group_mappings (organisation_id, display_name, kind, role, unit_id)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organisation_id, display_name)
			DO UPDATE SET kind = excluded.kind, role = excluded.role, unit_id = excluded.unit_id`,
			m.OrganisationID, m.DisplayName, m.Kind, string(m.Role), nullStr(m.UnitID)); err != nil {
			return err
		}
		where := "the whole organisation"
		if m.UnitID != "" {
			where = "unit " + m.UnitID
		}
		summary := "members of SCIM group " + m.DisplayName + " get the role " + string(m.Role) + " in " + where
		if m.Kind == distans.SCIMMapUnit {
			summary = "members of SCIM group " + m.DisplayName + " are placed in " + where
		}
		log.add("scim.mapping.save", "scim_group_mapping", m.DisplayName, summary)
		if err := s.regrantGroupNamed(ctx, tx, &log, m.OrganisationID, m.DisplayName); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, m.OrganisationID, &log)
	})
}

// DeleteSCIMGroupMapping removes a mapping; the roles it granted end.
func (s *Store) DeleteSCIMGroupMapping(ctx context.Context, displayName string) error {
	a, err := orgAdmin(ctx)
	if err != nil {
		return err
	}
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		var log auditLog
		res, err := tx.ExecContext(ctx, `DELETE FROM scim_group_mappings WHERE organisation_id = $1 AND display_name = $2`,
			a.OrganisationID, displayName)
		if err := affected(res, err, func() error {
			return distans.NotFound("Kopplingen finns inte.", "The mapping does not exist.")
		}); err != nil {
			return err
		}
		log.add("scim.mapping.delete", "scim_group_mapping", displayName,
			"removed the mapping of SCIM group "+displayName)
		if err := s.regrantGroupNamed(ctx, tx, &log, a.OrganisationID, displayName); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, a.OrganisationID, &log)
	})
}

// regrantGroupNamed brings the roles and placements of the members of the
// group named displayName in line with the mappings, after the mapping
// changed.
func (s *Store) regrantGroupNamed(ctx context.Context, tx *sql.Tx, log *auditLog, orgID, displayName string) error {
	ids, err := queryStrings(ctx, tx, `SELECT gm.person_id FROM scim_group_members gm
		JOIN scim_groups g ON g.organisation_id = gm.organisation_id AND g.id = gm.group_id
		WHERE g.organisation_id = $1 AND g.display_name = $2`, orgID, displayName)
	if err != nil {
		return err
	}
	if err := s.regrantRoles(ctx, tx, log, orgID, ids); err != nil {
		return err
	}
	return s.placeByGroups(ctx, tx, log, orgID, ids)
}

// queryStrings returns the one text column of a query's rows.
func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var x string
		if err := rows.Scan(&x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// scimRole is a role a mapping grants: the role in a unit ("" for the
// whole organisation).
type scimRole struct {
	role   distans.Role
	unitID string
}

// regrant is the one rule of roles through groups: a person holds, with
// Source RoleSourceSCIM, exactly the roles that the mappings of their
// groups grant, and none while their account is deactivated. It grants
// what is missing and ends what is no longer granted, audited as the
// actor, for each of personIDs. The roles wanted and held are read for
// many people a statement: a group's creation regrants all its members.
// Their placement by unit groups follows (placeByGroups), when the
// organisation has a unit group at all: a membership change cannot move
// anyone otherwise.
func (s *Store) regrant(ctx context.Context, tx *sql.Tx, log *auditLog, orgID string, personIDs []string) error {
	if err := s.regrantRoles(ctx, tx, log, orgID, personIDs); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM scim_group_mappings WHERE organisation_id = $1 AND kind = $2`,
		orgID, distans.SCIMMapUnit).Scan(&n); err != nil || n == 0 {
		return err
	}
	return s.placeByGroups(ctx, tx, log, orgID, personIDs)
}

// placeByGroups places each of personIDs who is an active SCIM user where
// their unit groups, else their department, say (placeUser, the one rule
// of placement), audited as the transaction's actor. A department that
// names no unit, when the organisation does not create units, leaves the
// person where they are: leaving a group must not fail on a department
// the group had made moot.
func (s *Store) placeByGroups(ctx context.Context, tx *sql.Tx, log *auditLog, orgID string, personIDs []string) error {
	if len(personIDs) == 0 {
		return nil
	}
	today, err := s.today(ctx, tx, orgID)
	if err != nil {
		return err
	}
	for chunk := range slices.Chunk(personIDs, idSetChunk) {
		var q args
		rows, err := tx.QueryContext(ctx, `SELECT su.person_id, su.department FROM scim_users su
			WHERE su.organisation_id = `+q.add(orgID)+` AND su.person_id IN `+s.idSet(&q, chunk)+`
			AND NOT EXISTS (SELECT 1 FROM accounts ac WHERE ac.organisation_id = su.organisation_id
				AND ac.person_id = su.person_id AND ac.disabled_at IS NOT NULL)
			ORDER BY su.person_id`, q...)
		if err != nil {
			return err
		}
		var users []*distans.SCIMUser
		for rows.Next() {
			u := &distans.SCIMUser{Active: true}
			if err := rows.Scan(&u.ID, &u.Department); err != nil {
				rows.Close()
				return err
			}
			users = append(users, u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, u := range users {
			p, err := findPersonRow(ctx, tx, orgID, u.ID)
			if err != nil {
				return err
			}
			err = s.placeUser(ctx, tx, log, p, u, today, false, false)
			if distans.ErrorCode(err) == distans.EINVALID && u.Department != "" {
				u.Department = ""
				err = s.placeUser(ctx, tx, log, p, u, today, false, false)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// regrantRoles is regrant's roles.
func (s *Store) regrantRoles(ctx context.Context, tx *sql.Tx, log *auditLog, orgID string, personIDs []string) error {
	type held struct {
		id string
		scimRole
	}
	for chunk := range slices.Chunk(personIDs, idSetChunk) {
		want := map[string]map[scimRole]bool{}
		var q args
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT gm.person_id, m.role, COALESCE(m.unit_id, '') FROM scim_group_members gm
			JOIN scim_groups g ON g.organisation_id = gm.organisation_id AND g.id = gm.group_id
			JOIN scim_group_mappings m ON m.organisation_id = g.organisation_id AND m.display_name = g.display_name
			WHERE gm.organisation_id = `+q.add(orgID)+` AND m.kind = `+q.add(distans.SCIMMapRole)+`
			AND gm.person_id IN `+s.idSet(&q, chunk)+`
			AND NOT EXISTS (SELECT 1 FROM accounts ac WHERE ac.organisation_id = gm.organisation_id
				AND ac.person_id = gm.person_id AND ac.disabled_at IS NOT NULL)`, q...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var pid string
			var r scimRole
			if err := rows.Scan(&pid, &r.role, &r.unitID); err != nil {
				rows.Close()
				return err
			}
			if want[pid] == nil {
				want[pid] = map[scimRole]bool{}
			}
			want[pid][r] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		have := map[string][]held{}
		q = nil
		rows, err = tx.QueryContext(ctx, `SELECT person_id, id, role, COALESCE(unit_id, '') FROM role_assignments
			WHERE organisation_id = `+q.add(orgID)+` AND person_id IN `+s.idSet(&q, chunk)+`
			AND source = `+q.add(distans.RoleSourceSCIM)+` AND ended_at IS NULL ORDER BY person_id, id`, q...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var pid string
			var h held
			if err := rows.Scan(&pid, &h.id, &h.role, &h.unitID); err != nil {
				rows.Close()
				return err
			}
			have[pid] = append(have[pid], h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i, pid := range chunk {
			if slices.Contains(chunk[:i], pid) {
				continue
			}
			wanted := want[pid]
			for _, h := range have[pid] {
				if wanted[h.scimRole] {
					delete(wanted, h.scimRole)
					continue
				}
				if _, err := tx.ExecContext(ctx, `UPDATE role_assignments SET ended_at = $1 WHERE organisation_id = $2 AND id = $3`,
					ts(now(ctx)), orgID, h.id); err != nil {
					return err
				}
				log.add("role.end", "role_assignment", h.id,
					"ended the role "+string(h.role)+" of person "+pid+" (SCIM group)")
			}
			for r := range wanted {
				ra := &distans.RoleAssignment{OrganisationID: orgID, PersonID: pid, Role: r.role, UnitID: r.unitID, Source: distans.RoleSourceSCIM}
				if err := insertRoleRow(ctx, tx, log, ra); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// idSetChunk is how many IDs one idSet carries.
const idSetChunk = 500

// idSet is the right side of "col IN …" for ids (at least one): on
// PostgreSQL one text array, unnested, whatever their number; on SQLite a
// list of parameters, padded with the last ID to a power of two, so that
// the statement cache holds a few texts rather than one a length.
func (s *Store) idSet(q *args, ids []string) string {
	if s.dialect.arrays {
		return "(SELECT unnest(CAST(" + q.add(ids) + " AS text[])))"
	}
	n := 1
	for n < len(ids) {
		n *= 2
	}
	ps := make([]string, n)
	for i := range ps {
		ps[i] = q.add(ids[min(i, len(ids)-1)])
	}
	return "(" + strings.Join(ps, ", ") + ")"
}

// writeProvisioning runs a provisioning change (a SCIM user or group) as
// writeAccess does. On PostgreSQL its statements are planned afresh at
// every run (plan_cache_mode=force_custom_plan, for this transaction
// only). An identity system's first sync grows people, their search index,
// employments and scim_users from nothing to thousands of rows in a
// minute; a plan that pgx's statement cache or a foreign key's check keeps
// from the first rows (PostgreSQL turns to a generic plan after five runs)
// stays until an ANALYZE, which autovacuum does a minute later, or never
// where it is off. Such plans read every person of the organisation to
// check one foreign key, and made a first sync ten times slower. A custom
// plan is costed on the tables' size as it is now, for some 0.05 ms of
// planning a statement.
func (s *Store) writeProvisioning(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.dialect.name != "postgres" {
		return s.writeAccess(ctx, fn)
	}
	return s.writeAccess(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
			return err
		}
		return fn(tx)
	})
}

// writeProvisioningAudit writes a provisioning change's audit events. On
// PostgreSQL they go to audit_pending (auditpending.go), in the change's
// transaction, as racing bookings' do: an identity system's first sync
// sends thousands of changes from many clients at once, and appending
// each to the chain would hold the organisation's audit head through
// every commit, one at a time. The chain takes them moments later, in
// order; whoever reads the trail seals them first. SQLite has one writer,
// so the chain takes them at once.
func (s *Store) writeProvisioningAudit(ctx context.Context, tx *sql.Tx, a *distans.Actor, orgID string, l *auditLog) error {
	if !s.dialect.sideWrites {
		return s.writeAudit(ctx, tx, a, orgID, l)
	}
	at := now(ctx)
	for chunk := range slices.Chunk(l.events, 500) {
		var q args
		rows := make([]string, len(chunk))
		for i, x := range chunk {
			e := newAuditEvent(at, a, orgID, x.action, x.recordType, x.recordID, x.summary)
			rows[i] = "(" + strings.Join([]string{q.add(e.OrganisationID), q.add(newID()), q.add(e.ActorID), q.add(e.ActorName),
				q.add(e.Action), q.add(e.RecordType), q.add(e.RecordID), q.add(e.Summary), q.add(ts(e.At))}, ", ") + ")"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_pending (organisation_id, id, actor_id, actor_name, action,
			record_type, record_id, summary, at) VALUES `+strings.Join(rows, ", "), q...); err != nil {
			return err
		}
	}
	return nil
}
