package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/distans/distans"
)

var _ distans.DocumentService = (*Store)(nil)

func errDocumentNotFound() error {
	return distans.NotFound("Dokumentet finns inte.", "The document does not exist.")
}

// Documents are read with their unit's path (empty for the whole
// organisation), which decides whom a required document applies to.
const documentCols = `d.organisation_id, d.id, d.version, d.title, d.body, d.required, d.unit_id, d.published_by, d.published_at,
	COALESCE(u.path, '')`
const documentFrom = ` FROM policy_documents d LEFT JOIN units u ON u.organisation_id = d.organisation_id AND u.id = d.unit_id`

// isCurrent is the condition "d is the newest version of its document".
const isCurrent = `d.version = (SELECT MAX(x.version) FROM policy_documents x WHERE x.organisation_id = d.organisation_id AND x.id = d.id)`

// document is a document version with the path of its unit.
type document struct {
	*distans.PolicyDocument
	path string
}

func scanDocument(sc interface{ Scan(...any) error }) (document, error) {
	d := document{PolicyDocument: &distans.PolicyDocument{}}
	err := sc.Scan(&d.OrganisationID, &d.ID, &d.Version, &d.Title, &d.Body, &d.Required, str(&d.UnitID), &d.PublishedBy,
		tm(&d.PublishedAt), &d.path)
	if errors.Is(err, sql.ErrNoRows) {
		return document{}, errDocumentNotFound()
	}
	return d, err
}

func queryDocuments(ctx context.Context, q querier, query string, args ...any) ([]document, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func plain(ds []document) []*distans.PolicyDocument {
	out := make([]*distans.PolicyDocument, len(ds))
	for i, d := range ds {
		out[i] = d.PolicyDocument
	}
	return out
}

// findDocument returns a version of a document of the organisation, the
// current one for version 0.
func findDocument(ctx context.Context, q querier, orgID, id string, version int) (document, error) {
	if version == 0 {
		return scanDocument(q.QueryRowContext(ctx, `SELECT `+documentCols+documentFrom+`
			WHERE d.organisation_id = $1 AND d.id = $2 ORDER BY d.version DESC LIMIT 1`, orgID, id))
	}
	return scanDocument(q.QueryRowContext(ctx, `SELECT `+documentCols+documentFrom+`
		WHERE d.organisation_id = $1 AND d.id = $2 AND d.version = $3`, orgID, id, version))
}

// currentDocuments returns the current version of every document of the
// organisation (only the required ones when required is set), by title.
func currentDocuments(ctx context.Context, q querier, orgID string, required bool) ([]document, error) {
	var a args
	where := "d.organisation_id = " + a.add(orgID) + " AND " + isCurrent
	if required {
		where += " AND d.required = " + a.add(true)
	}
	return queryDocuments(ctx, q, `SELECT `+documentCols+documentFrom+` WHERE `+where+` ORDER BY d.title, d.id`, a...)
}

// ListDocuments returns the current version of every document of the
// actor's organisation, by title. Everyone signed in may read them.
func (s *Store) ListDocuments(ctx context.Context) ([]*distans.PolicyDocument, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	ds, err := currentDocuments(ctx, s.rdb, a.OrganisationID, false)
	return plain(ds), err
}

// FindDocument returns a version of a document, the current one for
// version 0.
func (s *Store) FindDocument(ctx context.Context, id string, version int) (*distans.PolicyDocument, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	d, err := findDocument(ctx, s.rdb, a.OrganisationID, id, version)
	return d.PolicyDocument, err
}

// ListDocumentVersions returns every version of a document, newest first.
func (s *Store) ListDocumentVersions(ctx context.Context, id string) ([]*distans.PolicyDocument, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	ds, err := queryDocuments(ctx, s.rdb, `SELECT `+documentCols+documentFrom+`
		WHERE d.organisation_id = $1 AND d.id = $2 ORDER BY d.version DESC`, a.OrganisationID, id)
	if err == nil && len(ds) == 0 {
		err = errDocumentNotFound()
	}
	return plain(ds), err
}

// PublishDocument publishes a new document (empty ID) or the next version
// of one; it needs PermManagePolicy in the whole organisation. UnitID, when
// set, must be a unit of the organisation. Two publishers of the same
// document at once meet at the primary key, and the later gets ECONFLICT.
func (s *Store) PublishDocument(ctx context.Context, d *distans.PolicyDocument) error {
	a, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if !a.ManagesPolicy() {
		return distans.Forbidden()
	}
	if err := d.Validate(); err != nil {
		return err
	}
	create := d.ID == "" // decided once: write may run the transaction again
	return s.write(ctx, func(tx *sql.Tx) error {
		d.OrganisationID = a.OrganisationID
		if create {
			d.ID, d.Version = newID(), 1
		} else {
			old, err := findDocument(ctx, tx, d.OrganisationID, d.ID, 0)
			if err != nil {
				return err
			}
			d.Version = old.Version + 1
		}
		return s.publish(ctx, tx, a, d)
	})
}

// PublishDocumentVersion publishes the next version of a document: the
// current version changed by upd. It needs PermManagePolicy in the whole
// organisation. The organisation's changes are serialised (lockTree)
// before the current version is read, so that two publishers at once both
// build on the version before them instead of meeting at the primary key.
func (s *Store) PublishDocumentVersion(ctx context.Context, id string, upd distans.DocumentUpdate) (*distans.PolicyDocument, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Scope(distans.PermManagePolicy).All {
		return nil, distans.Forbidden()
	}
	var out *distans.PolicyDocument
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := s.lockTree(ctx, tx, a.OrganisationID); err != nil {
			return err
		}
		cur, err := findDocument(ctx, tx, a.OrganisationID, id, 0)
		if err != nil {
			return err
		}
		if upd.Version != 0 && upd.Version != cur.Version {
			return distans.Errorf(distans.ECONFLICT,
				fmt.Sprintf("Någon annan har publicerat version %d sedan du läste version %d. Läs in dokumentet på nytt och gör om din ändring.", cur.Version, upd.Version),
				fmt.Sprintf("Someone else has published version %d since you read version %d. Reload the document and make your change again.", cur.Version, upd.Version))
		}
		d := *cur.PolicyDocument
		upd.Apply(&d)
		if err := d.Validate(); err != nil {
			return err
		}
		d.Version = cur.Version + 1
		out = &d
		return s.publish(ctx, tx, a, &d)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// publish inserts d, a document's first or next version, by a.
func (s *Store) publish(ctx context.Context, tx *sql.Tx, a *distans.Actor, d *distans.PolicyDocument) error {
	if d.UnitID != "" {
		if _, err := findUnit(ctx, tx, d.OrganisationID, d.UnitID); distans.ErrorCode(err) == distans.ENOTFOUND {
			return invalid("unit_id", "Enheten finns inte i organisationen.", "The unit is not in the organisation.")
		} else if err != nil {
			return err
		}
	}
	d.PublishedBy = a.PersonID
	if a.System {
		d.PublishedBy = ""
	}
	d.PublishedAt = now(ctx)
	if _, err := tx.ExecContext(ctx, `INSERT INTO policy_documents (organisation_id, id, version, title, body, required,
		unit_id, published_by, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		d.OrganisationID, d.ID, d.Version, d.Title, d.Body, d.Required, nullStr(d.UnitID), d.PublishedBy, ts(d.PublishedAt)); err != nil {
		return conflict(err, "Någon annan har just publicerat en ny version av dokumentet. Ladda om och försök igen.",
			"Someone else has just published a new version of the document. Reload and try again.")
	}
	summary := "published version " + strconv.Itoa(d.Version) + " of " + d.Title
	if d.Required {
		summary += " (to be acknowledged)"
	}
	return s.audit(ctx, tx, a, d.OrganisationID, "document.publish", "policy_document", d.ID, summary)
}

const ackCols = `k.organisation_id, k.document_id, k.version, d.title, k.person_id, k.at`
const ackFrom = ` FROM acknowledgements k JOIN policy_documents d
	ON d.organisation_id = k.organisation_id AND d.id = k.document_id AND d.version = k.version`

func scanAck(sc interface{ Scan(...any) error }) (*distans.Acknowledgement, error) {
	k := &distans.Acknowledgement{}
	err := sc.Scan(&k.OrganisationID, &k.DocumentID, &k.Version, &k.DocumentTitle, &k.PersonID, tm(&k.At))
	return k, err
}

// Acknowledge records that the actor has read and accepted a version of a
// document (version 0: the current one). Only the current version can be
// acknowledged: an older one is ECONFLICT. Acknowledging again returns the
// first acknowledgement and writes nothing.
func (s *Store) Acknowledge(ctx context.Context, documentID string, version int) (*distans.Acknowledgement, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if a.PersonID == "" {
		return nil, distans.Errorf(distans.EFORBIDDEN, "Bara en person kan bekräfta ett dokument.", "Only a person can acknowledge a document.")
	}
	var out *distans.Acknowledgement
	err = s.write(ctx, func(tx *sql.Tx) error {
		cur, err := findDocument(ctx, tx, a.OrganisationID, documentID, 0)
		if err != nil {
			return err
		}
		switch {
		case version == 0:
			version = cur.Version
		case version > cur.Version || version < 0:
			return errDocumentNotFound()
		case version < cur.Version:
			return distans.Errorf(distans.ECONFLICT,
				fmt.Sprintf("Det finns en nyare version av dokumentet (version %d). Läs den och bekräfta den i stället.", cur.Version),
				fmt.Sprintf("There is a newer version of the document (version %d). Read it and acknowledge that instead.", cur.Version))
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO acknowledgements (organisation_id, document_id, version, person_id, at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, a.OrganisationID, documentID, version, a.PersonID, ts(now(ctx)))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if out, err = scanAck(tx.QueryRowContext(ctx, `SELECT `+ackCols+ackFrom+`
			WHERE k.organisation_id = $1 AND k.document_id = $2 AND k.version = $3 AND k.person_id = $4`,
			a.OrganisationID, documentID, version, a.PersonID)); err != nil {
			return err
		}
		if n == 0 {
			return nil // acknowledged before
		}
		return s.audit(ctx, tx, a, a.OrganisationID, "document.acknowledge", "policy_document", documentID,
			"acknowledged version "+strconv.Itoa(version)+" of "+cur.Title)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListAcknowledgements returns a person's acknowledgements, newest first:
// the actor's own (personID empty or their own), or those of a person in
// the actor's Actor.OutstandingScope, since they answer the same question
// as Outstanding. Someone the actor may not see is not found; someone they
// see but may not follow is EFORBIDDEN.
func (s *Store) ListAcknowledgements(ctx context.Context, personID string) ([]*distans.Acknowledgement, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if personID == "" {
		personID = a.PersonID
	}
	var out []*distans.Acknowledgement
	err = s.read(ctx, func(tx *sql.Tx) error {
		p, err := findPersonRow(ctx, tx, a.OrganisationID, personID)
		if err != nil {
			return err
		}
		if !canSee(a, p) {
			return errPersonNotFound()
		}
		if p.ID != a.PersonID && !a.OutstandingScope().Contains(p.UnitPath) {
			return distans.Forbidden()
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+ackCols+ackFrom+`
			WHERE k.organisation_id = $1 AND k.person_id = $2 ORDER BY k.at DESC, d.title, k.version DESC`, a.OrganisationID, p.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			k, err := scanAck(rows)
			if err != nil {
				return err
			}
			out = append(out, k)
		}
		return rows.Err()
	})
	return out, err
}

// appliesTo reports whether a required document applies to someone in the
// unit at unitPath: everyone for an organisation-wide document, else the
// people in the document unit's subtree.
func (d document) appliesTo(unitPath string) bool {
	return d.path == "" || distans.Scope{UnitPaths: []string{d.path}}.Contains(unitPath)
}

// Pending returns the current versions of the required documents that
// apply to the actor and that the actor has not acknowledged, by title.
// The system has nothing pending.
func (s *Store) Pending(ctx context.Context) ([]*distans.PolicyDocument, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if a.PersonID == "" {
		return nil, nil
	}
	if err := s.refreshDue(ctx, a.OrganisationID); err != nil {
		return nil, err
	}
	var out []*distans.PolicyDocument
	err = s.read(ctx, func(tx *sql.Tx) error {
		p, err := findPersonRow(ctx, tx, a.OrganisationID, a.PersonID)
		if err != nil {
			return err
		}
		ds, err := queryDocuments(ctx, tx, `SELECT `+documentCols+documentFrom+`
			WHERE d.organisation_id = $1 AND d.required = $2 AND `+isCurrent+`
			AND NOT EXISTS (SELECT 1 FROM acknowledgements k WHERE k.organisation_id = d.organisation_id
				AND k.document_id = d.id AND k.version = d.version AND k.person_id = $3)
			ORDER BY d.title, d.id`, a.OrganisationID, true, p.ID)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if d.appliesTo(p.UnitPath) {
				out = append(out, d.PolicyDocument)
			}
		}
		return nil
	})
	return out, err
}

// Outstanding lists, for each current required document, the people it
// applies to who have not acknowledged its current version: people with a
// current employment, in the actor's Actor.OutstandingScope and, when unitID
// is set, in that unit's subtree. It is ordered by name (Swedish order),
// then by document title. It runs one query per required document, each
// an index range over the people of the organisation, however many people
// there are.
func (s *Store) Outstanding(ctx context.Context, unitID string) ([]*distans.Outstanding, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	scope := a.OutstandingScope()
	if scope.None() {
		return nil, distans.Forbidden()
	}
	if err := s.refreshDue(ctx, a.OrganisationID); err != nil {
		return nil, err
	}
	today, err := s.today(ctx, s.rdb, a.OrganisationID)
	if err != nil {
		return nil, err
	}
	type row struct {
		*distans.Outstanding
		nameKey string
	}
	var rows []row
	err = s.read(ctx, func(tx *sql.Tx) error {
		unitPath := ""
		if unitID != "" {
			u, err := findUnit(ctx, tx, a.OrganisationID, unitID)
			if err != nil {
				return err
			}
			unitPath = u.Path
		}
		docs, err := currentDocuments(ctx, tx, a.OrganisationID, true)
		if err != nil {
			return err
		}
		for _, d := range docs {
			var q args
			where := "p.organisation_id = " + q.add(a.OrganisationID) + " AND " + scopeSQL(&q, "p.unit_path", scope)
			if unitPath != "" {
				where += " AND " + inSubtree(&q, "p.unit_path", unitPath)
			}
			if d.path != "" {
				where += " AND " + inSubtree(&q, "p.unit_path", d.path)
			}
			t := q.add(day(today))
			where += ` AND EXISTS (SELECT 1 FROM employments e WHERE e.organisation_id = p.organisation_id AND e.person_id = p.id
				AND e.starts_on <= ` + t + ` AND (e.ends_on IS NULL OR e.ends_on >= ` + t + `))
				AND NOT EXISTS (SELECT 1 FROM acknowledgements k WHERE k.organisation_id = p.organisation_id
				AND k.document_id = ` + q.add(d.ID) + ` AND k.version = ` + q.add(d.Version) + ` AND k.person_id = p.id)`
			rs, err := tx.QueryContext(ctx, `SELECT p.id, p.name, p.unit_id, p.name_key FROM people p WHERE `+where+
				` ORDER BY p.name_key, p.id`, q...)
			if err != nil {
				return err
			}
			for rs.Next() {
				o := row{Outstanding: &distans.Outstanding{DocumentID: d.ID, DocumentTitle: d.Title, Version: d.Version}}
				if err := rs.Scan(&o.PersonID, &o.PersonName, &o.UnitID, &o.nameKey); err != nil {
					rs.Close()
					return err
				}
				rows = append(rows, o)
			}
			rs.Close()
			if err := rs.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Each document's rows are already in name order and the documents in
	// title order, so a stable sort by person merges them.
	slices.SortStableFunc(rows, func(x, y row) int {
		return cmp.Or(cmp.Compare(x.nameKey, y.nameKey), cmp.Compare(x.PersonID, y.PersonID))
	})
	out := make([]*distans.Outstanding, len(rows))
	for i, r := range rows {
		out[i] = r.Outstanding
	}
	return out, nil
}
