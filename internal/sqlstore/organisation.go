package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/distans/distans"
)

var _ distans.OrganisationService = (*Store)(nil)

func errOrgNotFound() error {
	return distans.NotFound("Organisationen finns inte.", "The organisation does not exist.")
}

const orgCols = `id, slug, name, time_zone, language, status, status_changed_at, created_at, updated_at`

// orgColsAs is orgCols of the table alias o, for joins.
var orgColsAs = "o." + strings.ReplaceAll(orgCols, ", ", ", o.")

// orgDest is where a row of orgCols goes.
func orgDest(o *distans.Organisation) []any {
	return []any{&o.ID, &o.Slug, &o.Name, &o.TimeZone, &o.Language, &o.Status, nulltm(&o.StatusChangedAt), tm(&o.CreatedAt), tm(&o.UpdatedAt)}
}

func scanOrg(sc interface{ Scan(...any) error }) (*distans.Organisation, error) {
	o := &distans.Organisation{}
	err := sc.Scan(orgDest(o)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errOrgNotFound()
	}
	return o, err
}

func findOrg(ctx context.Context, q querier, id string) (*distans.Organisation, error) {
	return scanOrg(q.QueryRowContext(ctx, `SELECT `+orgCols+` FROM organisations WHERE id = $1`, id))
}

// FindOrganisationByID returns the actor's own organisation; any other is
// not found. The system actor without an organisation may read any.
func (s *Store) FindOrganisationByID(ctx context.Context, id string) (*distans.Organisation, error) {
	a := distans.ActorFrom(ctx)
	if a == nil {
		return nil, errUnauthorized()
	}
	if a.OrganisationID != id && !(a.System && a.OrganisationID == "") {
		return nil, errOrgNotFound()
	}
	// Every page's layout asks for the organisation of the person signed in.
	if x := s.currentSelf(a); x != nil && x.Organisation.ID == id {
		o := *x.Organisation
		return &o, nil
	}
	return findOrg(ctx, s.rdb, id)
}

// FindOrganisationBySlug needs no actor: the sign-in page uses it.
func (s *Store) FindOrganisationBySlug(ctx context.Context, slug string) (*distans.Organisation, error) {
	return scanOrg(s.rdb.QueryRowContext(ctx, `SELECT `+orgCols+` FROM organisations WHERE slug = $1`, slug))
}

// ListOrganisations needs no actor: the sign-in page uses it (and offers
// only those whose status admits sign-in), and the background jobs, which
// go on for every organisation.
func (s *Store) ListOrganisations(ctx context.Context) ([]*distans.Organisation, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+orgCols+` FROM organisations ORDER BY name, slug`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// CreateOrganisation needs the system actor. It fills ID and the times, and
// starts the organisation's audit chain with the event of its creation.
func (s *Store) CreateOrganisation(ctx context.Context, o *distans.Organisation) error {
	a := distans.ActorFrom(ctx)
	if a == nil {
		return errUnauthorized()
	}
	if !a.System {
		return distans.Forbidden()
	}
	if err := o.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error { return s.insertOrg(ctx, tx, a, o) })
}

// insertOrg writes a new organisation, active, and starts its audit chain
// with the event of its creation.
func (s *Store) insertOrg(ctx context.Context, tx *sql.Tx, a *distans.Actor, o *distans.Organisation) error {
	o.ID = newID()
	o.Status, o.StatusChangedAt = distans.OrgActive, nil
	o.CreatedAt = now(ctx)
	o.UpdatedAt = o.CreatedAt
	if _, err := tx.ExecContext(ctx, `INSERT INTO organisations (`+orgCols+`) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8)`,
		o.ID, o.Slug, o.Name, o.TimeZone, o.Language, string(o.Status), ts(o.CreatedAt), ts(o.UpdatedAt)); err != nil {
		return conflict(err, "Kortnamnet används redan av en annan organisation.", "The slug is already used by another organisation.")
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_heads (organisation_id, seq, hash) VALUES ($1, 0, '')`, o.ID); err != nil {
		return err
	}
	return s.audit(ctx, tx, a, o.ID, "organisation.create", "organisation", o.ID, "created organisation "+o.Slug)
}

// UpdateOrganisation needs PermManageOrg in the whole organisation. The ID
// and the creation time cannot change.
func (s *Store) UpdateOrganisation(ctx context.Context, id string, upd distans.OrganisationUpdate) (*distans.Organisation, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if a.OrganisationID != id {
		return nil, errOrgNotFound()
	}
	if !a.ManagesOrganisation() {
		return nil, distans.Forbidden()
	}
	var o *distans.Organisation
	err = s.writeAccess(ctx, func(tx *sql.Tx) error {
		if err := s.lockTree(ctx, tx, id); err != nil {
			return err
		}
		var err error
		if o, err = findOrg(ctx, tx, id); err != nil {
			return err
		}
		if err := unchanged(upd.UpdatedAt, o.UpdatedAt); err != nil {
			return err
		}
		upd.Apply(o)
		if err := o.Validate(); err != nil {
			return err
		}
		o.UpdatedAt = touched(ctx, o.UpdatedAt)
		if _, err := tx.ExecContext(ctx, `UPDATE organisations SET slug = $1, name = $2, time_zone = $3, language = $4,
			updated_at = $5 WHERE id = $6`,
			o.Slug, o.Name, o.TimeZone, o.Language, ts(o.UpdatedAt), o.ID); err != nil {
			return conflict(err, "Kortnamnet används redan av en annan organisation.", "The slug is already used by another organisation.")
		}
		return s.audit(ctx, tx, a, o.ID, "organisation.update", "organisation", o.ID, "updated organisation "+o.Slug)
	})
	if err != nil {
		return nil, err
	}
	s.locs.Delete(id)
	return o, nil
}
