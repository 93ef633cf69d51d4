package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/distans/distans"
)

var _ distans.SiteService = (*Store)(nil)

func errSiteNotFound() error {
	return distans.NotFound("Arbetsplatsen finns inte.", "The site does not exist.")
}

// errSiteCode turns a violated sites_code index into ECONFLICT on the
// field code.
func errSiteCode(err error) error {
	return codeTaken(err, "Koden används redan av en annan arbetsplats.", "The code is already used by another site.")
}

const siteCols = `organisation_id, id, name, code, kind, street, postal_code, city, ended_on, created_at, updated_at`

func scanSite(sc interface{ Scan(...any) error }) (*distans.Site, error) {
	x := &distans.Site{}
	err := sc.Scan(&x.OrganisationID, &x.ID, &x.Name, &x.Code, &x.Kind, &x.Street, &x.PostalCode, &x.City,
		nulldt(&x.EndedOn), tm(&x.CreatedAt), tm(&x.UpdatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errSiteNotFound()
	}
	return x, err
}

// findSite returns a site of the organisation; lock locks the row on
// PostgreSQL for a transaction that changes it.
func findSite(ctx context.Context, q querier, orgID, id string, lock ...string) (*distans.Site, error) {
	return scanSite(q.QueryRowContext(ctx, `SELECT `+siteCols+` FROM sites WHERE organisation_id = $1 AND id = $2`+
		strings.Join(lock, ""), orgID, id))
}

// FindSite returns a site of the actor's organisation.
func (s *Store) FindSite(ctx context.Context, id string) (*distans.Site, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	return findSite(ctx, s.rdb, a.OrganisationID, id)
}

// ListSites returns the sites of the actor's organisation by name.
func (s *Store) ListSites(ctx context.Context, includeEnded bool) ([]*distans.Site, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var q args
	where := "organisation_id = " + q.add(a.OrganisationID)
	if !includeEnded {
		today, err := s.today(ctx, s.rdb, a.OrganisationID)
		if err != nil {
			return nil, err
		}
		where += " AND (ended_on IS NULL OR ended_on >= " + q.add(day(today)) + ")"
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+siteCols+` FROM sites WHERE `+where+` ORDER BY name, id`, q...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.Site
	for rows.Next() {
		x, err := scanSite(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// canManageSites is Actor.ManagesSites as an error.
func canManageSites(a *distans.Actor) error {
	if !a.ManagesSites() {
		return distans.Forbidden()
	}
	return nil
}

// CreateSite needs PermManageSites.
func (s *Store) CreateSite(ctx context.Context, x *distans.Site) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if err := canManageSites(a); err != nil {
		return err
	}
	if err := x.Validate(); err != nil {
		return err
	}
	x.ID, x.OrganisationID, x.EndedOn = newID(), a.OrganisationID, nil
	x.CreatedAt = now(ctx)
	x.UpdatedAt = x.CreatedAt
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sites (`+siteCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10)`,
			x.OrganisationID, x.ID, x.Name, x.Code, x.Kind, x.Street, x.PostalCode, x.City, ts(x.CreatedAt), ts(x.UpdatedAt)); err != nil {
			return errSiteCode(err)
		}
		return s.audit(ctx, tx, a, x.OrganisationID, "site.create", "site", x.ID, "created site "+x.Name)
	})
}

// UpdateSite changes everything but the end date; it needs PermManageSites.
// The row is read locked and written in one transaction.
func (s *Store) UpdateSite(ctx context.Context, id string, upd distans.SiteUpdate) (*distans.Site, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var out *distans.Site
	err = s.write(ctx, func(tx *sql.Tx) error {
		x, err := findSite(ctx, tx, a.OrganisationID, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if err := canManageSites(a); err != nil {
			return err
		}
		if err := unchanged(upd.UpdatedAt, x.UpdatedAt); err != nil {
			return err
		}
		upd.Apply(x)
		if err := x.Validate(); err != nil {
			return err
		}
		x.UpdatedAt = touched(ctx, x.UpdatedAt)
		if _, err := tx.ExecContext(ctx, `UPDATE sites SET name = $1, code = $2, kind = $3, street = $4, postal_code = $5,
			city = $6, updated_at = $7, layout_version = layout_version + 1 WHERE organisation_id = $8 AND id = $9`,
			x.Name, x.Code, x.Kind, x.Street, x.PostalCode, x.City, ts(x.UpdatedAt), x.OrganisationID, x.ID); err != nil {
			return errSiteCode(err)
		}
		out = x
		return s.audit(ctx, tx, a, x.OrganisationID, "site.update", "site", x.ID, "updated site "+x.Name)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EndSite sets the site's last day; it needs PermManageSites.
func (s *Store) EndSite(ctx context.Context, id string, on time.Time) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		x, err := findSite(ctx, tx, a.OrganisationID, id)
		if err != nil {
			return err
		}
		if err := canManageSites(a); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sites SET ended_on = $1, updated_at = $2, layout_version = layout_version + 1
			WHERE organisation_id = $3 AND id = $4`,
			day(on), ts(now(ctx)), x.OrganisationID, x.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, x.OrganisationID, "site.end", "site", x.ID, "ended site "+x.Name+" on "+day(on))
	})
}
