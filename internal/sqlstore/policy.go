package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/distans/distans"
)

var _ distans.PolicyStore = (*Store)(nil)

func errPolicyNotFound() error {
	return distans.NotFound("Regelpaketet finns inte i den versionen.", "The policy pack does not exist in that version.")
}

func errPolicyStale(current int) error {
	return distans.Errorf(distans.ECONFLICT,
		fmt.Sprintf("Regelverket har ändrats av någon annan sedan du öppnade det (nu version %d). Ladda om och gör ändringen igen.", current),
		fmt.Sprintf("Someone else has changed the policy since you opened it (now version %d). Reload and make the change again.", current))
}

const policyCols = `organisation_id, version, source, reason, created_by, created_by_name, created_at`

func scanPolicy(sc interface{ Scan(...any) error }) (*distans.PolicyVersion, error) {
	v := &distans.PolicyVersion{}
	err := sc.Scan(&v.OrganisationID, &v.Version, &v.Source, &v.Reason, &v.CreatedBy, &v.CreatedByName, tm(&v.CreatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errPolicyNotFound()
	}
	return v, err
}

// ActivePolicyVersion returns the newest version of the actor's
// organisation's pack; ENOTFOUND when none has been saved. Everyone signed
// in may read it.
func (s *Store) ActivePolicyVersion(ctx context.Context) (*distans.PolicyVersion, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	v, err := scanPolicy(s.rdb.QueryRowContext(ctx, `SELECT `+policyCols+` FROM policy_versions
		WHERE organisation_id = $1 ORDER BY version DESC LIMIT 1`, a.OrganisationID))
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return nil, errNoPolicy()
	}
	return v, err
}

// ActivePolicyVersionNumber returns the number of the organisation's
// active version, from the primary key's index alone; ENOTFOUND as
// ActivePolicyVersion when none is saved.
func (s *Store) ActivePolicyVersionNumber(ctx context.Context) (int, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return 0, err
	}
	var n sql.NullInt64
	if err := s.rdb.QueryRowContext(ctx, `SELECT MAX(version) FROM policy_versions WHERE organisation_id = $1`,
		a.OrganisationID).Scan(&n); err != nil {
		return 0, err
	}
	if !n.Valid {
		return 0, errNoPolicy()
	}
	return int(n.Int64), nil
}

func errNoPolicy() error {
	return distans.NotFound("Organisationen har inget sparat regelpaket.", "The organisation has no saved policy pack.")
}

// FindPolicyVersion returns one version of the actor's organisation's pack.
func (s *Store) FindPolicyVersion(ctx context.Context, version int) (*distans.PolicyVersion, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	return scanPolicy(s.rdb.QueryRowContext(ctx, `SELECT `+policyCols+` FROM policy_versions
		WHERE organisation_id = $1 AND version = $2`, a.OrganisationID, version))
}

// ListPolicyVersions returns the history of the pack, newest first,
// without the source texts.
func (s *Store) ListPolicyVersions(ctx context.Context) ([]*distans.PolicyVersion, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT organisation_id, version, '', reason, created_by, created_by_name, created_at
		FROM policy_versions WHERE organisation_id = $1 ORDER BY version DESC`, a.OrganisationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.PolicyVersion
	for rows.Next() {
		v, err := scanPolicy(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SavePolicyVersion stores v.Source as the version after base. It needs
// PermManagePolicy in the whole organisation: the pack is not tied to a
// unit. base must be the newest version (0 when there is none), else
// ECONFLICT; two saves racing on the same base meet at the primary key,
// and the loser gets the same ECONFLICT. From version 2 a reason is
// required. It fills the organisation, version, author and time of v.
func (s *Store) SavePolicyVersion(ctx context.Context, base int, v *distans.PolicyVersion) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if !a.ManagesPolicy() {
		return distans.Forbidden()
	}
	var val distans.Validation
	val.Required("source", v.Source)
	if base >= 1 {
		val.Required("reason", v.Reason)
	}
	val.MaxLen("reason", v.Reason, 2000)
	if base < 0 {
		val.Add("base", "Ogiltig version.", "Invalid version.")
	}
	if err := val.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var current int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM policy_versions WHERE organisation_id = $1`,
			a.OrganisationID).Scan(&current); err != nil {
			return err
		}
		if current != base {
			return errPolicyStale(current)
		}
		v.OrganisationID, v.Version = a.OrganisationID, base+1
		v.CreatedBy, v.CreatedByName = a.PersonID, a.Name
		if a.System {
			v.CreatedBy = ""
			if v.CreatedByName == "" {
				v.CreatedByName = "system"
			}
		}
		v.CreatedAt = now(ctx)
		if _, err := tx.ExecContext(ctx, `INSERT INTO policy_versions (`+policyCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			v.OrganisationID, v.Version, v.Source, v.Reason, v.CreatedBy, v.CreatedByName, ts(v.CreatedAt)); err != nil {
			if isUnique(err) {
				return errPolicyStale(v.Version)
			}
			return err
		}
		summary := "saved version " + strconv.Itoa(v.Version) + " of the policy pack"
		if v.Reason != "" {
			summary += ": " + v.Reason
		}
		return s.audit(ctx, tx, a, v.OrganisationID, "policy.save", "policy_version", strconv.Itoa(v.Version), summary)
	})
}
