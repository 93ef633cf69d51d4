package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

var _ distans.ImportStore = (*Store)(nil)

func errImportNotFound() error {
	return distans.NotFound("Importen finns inte.", "The import does not exist.")
}

// maxImportErrors is how many row errors an import keeps (Import.Errors).
const maxImportErrors = 1000

// importer returns the actor for work on an import of organisation orgID:
// one of that organisation who may import (Actor.Imports), or the system
// acting in it or in no organisation (a worker that claimed the import).
// An actor of another organisation is told the import does not exist.
func importer(ctx context.Context, orgID string) (*distans.Actor, error) {
	a := distans.ActorFrom(ctx)
	if a == nil {
		return nil, errUnauthorized()
	}
	if a.System && (a.OrganisationID == "" || a.OrganisationID == orgID) {
		return a, nil
	}
	if a.OrganisationID != orgID || orgID == "" {
		return nil, errImportNotFound()
	}
	if !a.Imports() {
		return nil, distans.Forbidden()
	}
	return a, nil
}

// ownImporter is importer in the actor's own organisation.
func ownImporter(ctx context.Context) (*distans.Actor, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	return importer(ctx, a.OrganisationID)
}

const importCols = `organisation_id, id, created_by, created_by_name, status, options, file_names, rows, done,
	summary, errors, error_total, failure, created_at, updated_at, finished_at`

// importListCols are importCols without the row errors (up to 1,000 an
// import), which a list does not show: an import's own page does.
const importListCols = `organisation_id, id, created_by, created_by_name, status, options, file_names, rows, done,
	summary, '' AS errors, error_total, failure, created_at, updated_at, finished_at`

func scanImport(sc interface{ Scan(...any) error }) (*distans.Import, error) {
	imp := &distans.Import{}
	var opts, names, summary, errs string
	err := sc.Scan(&imp.OrganisationID, &imp.ID, &imp.CreatedBy, &imp.CreatedByName, &imp.Status, &opts, &names,
		&imp.Rows, &imp.Done, &summary, &errs, &imp.ErrorTotal, &imp.Failure, tm(&imp.CreatedAt), tm(&imp.UpdatedAt),
		nulltm(&imp.FinishedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errImportNotFound()
	} else if err != nil {
		return nil, err
	}
	for _, f := range []struct {
		text string
		dst  any
	}{{opts, &imp.Options}, {names, &imp.FileNames}, {errs, &imp.Errors}} {
		if f.text != "" {
			if err := json.Unmarshal([]byte(f.text), f.dst); err != nil {
				return nil, err
			}
		}
	}
	if summary != "" {
		imp.Summary = &distans.ImportSummary{}
		if err := json.Unmarshal([]byte(summary), imp.Summary); err != nil {
			return nil, err
		}
	}
	return imp, nil
}

// jsonText is v as JSON text; "" for nil.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return "", err
	}
	return string(b), nil
}

// findImport reads an import of the organisation, with the progress of an
// apply this instance is running (see applyProgress).
func (s *Store) findImport(ctx context.Context, q querier, orgID, id string) (*distans.Import, error) {
	imp, err := scanImport(q.QueryRowContext(ctx, `SELECT `+importCols+` FROM imports WHERE organisation_id = $1 AND id = $2`, orgID, id))
	if err != nil {
		return nil, err
	}
	s.applying.show(imp)
	return imp, nil
}

// CreateImport keeps a new import and its files; the import is checking
// (the dry run) unless imp says otherwise, and a worker may claim it at
// once. It sets ID, OrganisationID, CreatedBy, CreatedByName, FileNames
// and the times.
func (s *Store) CreateImport(ctx context.Context, imp *distans.Import, files []distans.ImportFile) error {
	a, err := ownImporter(ctx)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return invalid("files", "Välj minst en fil att importera.", "Choose at least one file to import.")
	}
	imp.ID, imp.OrganisationID = newID(), a.OrganisationID
	imp.CreatedBy, imp.CreatedByName = a.PersonID, a.Name
	if imp.Status == "" {
		imp.Status = distans.ImportChecking
	}
	imp.FileNames = make([]string, len(files))
	for i, f := range files {
		imp.FileNames[i] = f.Name
	}
	imp.CreatedAt = now(ctx)
	imp.UpdatedAt = imp.CreatedAt
	imp.Errors = imp.Errors[:min(len(imp.Errors), maxImportErrors)]
	opts, err := jsonText(imp.Options)
	if err != nil {
		return err
	}
	names, err := jsonText(imp.FileNames)
	if err != nil {
		return err
	}
	summary, err := jsonText(imp.Summary)
	if err != nil {
		return err
	}
	errs, err := jsonText(imp.Errors)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO imports (`+importCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
			imp.OrganisationID, imp.ID, imp.CreatedBy, imp.CreatedByName, string(imp.Status), opts, names, imp.Rows, imp.Done,
			summary, errs, imp.ErrorTotal, imp.Failure, ts(imp.CreatedAt), ts(imp.UpdatedAt), nullTS(imp.FinishedAt)); err != nil {
			return err
		}
		for i, f := range files {
			if _, err := tx.ExecContext(ctx, `INSERT INTO import_files (organisation_id, import_id, n, name, content)
				VALUES ($1, $2, $3, $4, $5)`, imp.OrganisationID, imp.ID, i, f.Name, f.Content); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, imp.OrganisationID, "import.create", "import", imp.ID,
			"uploaded "+strconv.Itoa(len(files))+" files to import: "+strings.Join(imp.FileNames, ", "))
	})
}

// FindImport returns an import of the actor's organisation.
func (s *Store) FindImport(ctx context.Context, id string) (*distans.Import, error) {
	a, err := ownImporter(ctx)
	if err != nil {
		return nil, err
	}
	return s.findImport(ctx, s.rdb, a.OrganisationID, id)
}

// maxListedImports is how many imports ListImports returns.
const maxListedImports = 100

// ListImports returns the organisation's latest imports, newest first,
// without their row errors (FindImport has them).
func (s *Store) ListImports(ctx context.Context) ([]*distans.Import, error) {
	a, err := ownImporter(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+importListCols+` FROM imports WHERE organisation_id = $1
		ORDER BY created_at DESC, id DESC`+limitRows(maxListedImports), a.OrganisationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*distans.Import
	for rows.Next() {
		imp, err := scanImport(rows)
		if err != nil {
			return nil, err
		}
		s.applying.show(imp)
		out = append(out, imp)
	}
	return out, rows.Err()
}

// ImportFiles returns the import's files in the order they were uploaded;
// none once the import is done (its data is in the organisation then, and
// the files would only keep a second copy of personal data).
func (s *Store) ImportFiles(ctx context.Context, orgID, id string) ([]distans.ImportFile, error) {
	if _, err := importer(ctx, orgID); err != nil {
		return nil, err
	}
	var out []distans.ImportFile
	err := s.read(ctx, func(tx *sql.Tx) error {
		if _, err := s.findImport(ctx, tx, orgID, id); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT name, content FROM import_files WHERE organisation_id = $1 AND import_id = $2
			ORDER BY n`, orgID, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f distans.ImportFile
			if err := rows.Scan(&f.Name, &f.Content); err != nil {
				return err
			}
			out = append(out, f)
		}
		return rows.Err()
	})
	return out, err
}

func errImportFinished() error {
	return distans.Errorf(distans.ECONFLICT, "Importen är redan avslutad.", "The import has already finished.")
}

// SaveImportProgress records where the worker has come with an import of
// imp.OrganisationID. An import that has finished stays as it is
// (ECONFLICT): a worker whose lease ran out while another finished the
// import must not undo it. A finished import gives up its lease.
func (s *Store) SaveImportProgress(ctx context.Context, imp *distans.Import) error {
	if _, err := importer(ctx, imp.OrganisationID); err != nil {
		return err
	}
	summary, err := jsonText(imp.Summary)
	if err != nil {
		return err
	}
	imp.Errors = imp.Errors[:min(len(imp.Errors), maxImportErrors)]
	errs, err := jsonText(imp.Errors)
	if err != nil {
		return err
	}
	imp.UpdatedAt = now(ctx)
	var q args
	lease := "lease_until"
	if imp.Status.Finished() {
		lease = "NULL"
	}
	set := strings.Join([]string{"status = " + q.add(string(imp.Status)), "rows = " + q.add(imp.Rows), "done = " + q.add(imp.Done),
		"summary = " + q.add(summary), "errors = " + q.add(errs), "error_total = " + q.add(imp.ErrorTotal),
		"failure = " + q.add(imp.Failure), "finished_at = " + q.add(nullTS(imp.FinishedAt)),
		"updated_at = " + q.add(ts(imp.UpdatedAt)), "lease_until = " + lease}, ", ")
	where := "organisation_id = " + q.add(imp.OrganisationID) + " AND id = " + q.add(imp.ID) + " AND " + unfinishedSQL(&q)
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE imports SET `+set+` WHERE `+where, q...)
		if err := affected(res, err, errImportNotFound); distans.ErrorCode(err) != distans.ENOTFOUND {
			return err
		}
		if _, err := s.findImport(ctx, tx, imp.OrganisationID, imp.ID); err != nil {
			return err
		}
		return errImportFinished()
	})
}

// unfinishedSQL is the condition that an import has not finished.
func unfinishedSQL(q *args) string {
	var in []string
	for _, st := range []distans.ImportStatus{distans.ImportChecking, distans.ImportChecked, distans.ImportQueued, distans.ImportApplying} {
		in = append(in, q.add(string(st)))
	}
	return "status IN (" + strings.Join(in, ", ") + ")"
}

func errNotChecked() error {
	return distans.Errorf(distans.ECONFLICT, "Bara en granskad import utan fel kan bekräftas, och bara en gång.",
		"Only a checked import without errors can be confirmed, and only once.")
}

// QueueImport moves a checked import to queued, the administrator's
// confirmation, which is audited.
func (s *Store) QueueImport(ctx context.Context, id string) (*distans.Import, error) {
	a, err := ownImporter(ctx)
	if err != nil {
		return nil, err
	}
	var out *distans.Import
	err = s.write(ctx, func(tx *sql.Tx) error {
		imp, err := s.findImport(ctx, tx, a.OrganisationID, id)
		if err != nil {
			return err
		}
		if imp.Status != distans.ImportChecked {
			return errNotChecked()
		}
		imp.Status, imp.UpdatedAt = distans.ImportQueued, touched(ctx, imp.UpdatedAt)
		// The status is tested again as the row is written: another
		// confirmation may have come first.
		res, err := tx.ExecContext(ctx, `UPDATE imports SET status = $1, updated_at = $2, lease_until = NULL
			WHERE organisation_id = $3 AND id = $4 AND status = $5`,
			string(imp.Status), ts(imp.UpdatedAt), imp.OrganisationID, imp.ID, string(distans.ImportChecked))
		if err := affected(res, err, errNotChecked); err != nil {
			return err
		}
		out = imp
		return s.audit(ctx, tx, a, imp.OrganisationID, "import.confirm", "import", imp.ID, "confirmed the import of "+
			strings.Join(imp.FileNames, ", "))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// claimable are the statuses in which an import waits for a worker: to be
// checked, to be applied, or being applied by a worker that stopped
// (its transaction rolled back, so the apply starts afresh).
var claimable = []distans.ImportStatus{distans.ImportChecking, distans.ImportQueued, distans.ImportApplying}

// ClaimImport leases the oldest import that waits for a worker, in any
// organisation (or only in the system actor's, when it names one), until
// now+lease; nil when none waits. The claim is one step to every other
// claim: on PostgreSQL an UPDATE of the row its subquery locked, skipping
// rows another claim holds; on SQLite a transaction on the one writer.
func (s *Store) ClaimImport(ctx context.Context, now time.Time, lease time.Duration) (*distans.Import, error) {
	a, err := mailer(ctx) // the mail queue's rule: the system only
	if err != nil {
		return nil, err
	}
	if citus, err := s.onCitus(ctx); err != nil {
		return nil, err
	} else if citus && a.OrganisationID == "" {
		var in []string
		q := args{ts(now)}
		for _, st := range claimable {
			in = append(in, q.add(string(st)))
		}
		var out *distans.Import
		err := claimEach(ctx, s.rdb, `SELECT organisation_id FROM imports WHERE status IN (`+strings.Join(in, ", ")+`)
			AND (lease_until IS NULL OR lease_until < $1) GROUP BY organisation_id ORDER BY min(created_at)`, q,
			func(ctx context.Context) (bool, error) {
				var err error
				out, err = s.ClaimImport(ctx, now, lease)
				return out != nil, err
			})
		return out, err
	}
	var q args
	until, at := q.add(ts(now.Add(lease))), q.add(ts(now))
	var in []string
	for _, st := range claimable {
		in = append(in, q.add(string(st)))
	}
	due := `status IN (` + strings.Join(in, ", ") + `) AND (lease_until IS NULL OR lease_until < ` + at + `)`
	if a.OrganisationID != "" {
		due += ` AND organisation_id = ` + q.add(a.OrganisationID)
	}
	pick := `SELECT organisation_id, id FROM imports WHERE ` + due + ` ORDER BY created_at, id LIMIT 1`
	var out *distans.Import
	err = s.write(ctx, func(tx *sql.Tx) error {
		out = nil
		if s.dialect.name == "postgres" {
			pick += " FOR UPDATE SKIP LOCKED"
		}
		imp, err := scanImport(tx.QueryRowContext(ctx, `UPDATE imports SET lease_until = `+until+`
			WHERE (organisation_id, id) IN (`+pick+`) RETURNING `+importCols, q...))
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return nil
		}
		out = imp
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ImportSnapshot reads the organisation's records as they are, for a dry
// run.
func (s *Store) ImportSnapshot(ctx context.Context, orgID string) (*distans.ImportSnapshot, error) {
	if _, err := importer(ctx, orgID); err != nil {
		return nil, err
	}
	var snap *distans.ImportSnapshot
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		snap, err = readSnapshot(ctx, tx, orgID)
		return err
	})
	return snap, err
}

// readSnapshot reads every unit, site, person (personal identity number
// in full), employment and leave of the organisation, and its current role
// assignments.
func readSnapshot(ctx context.Context, q querier, orgID string) (*distans.ImportSnapshot, error) {
	snap := &distans.ImportSnapshot{}
	each := func(query string, scan func(*sql.Rows) error) error {
		rows, err := q.QueryContext(ctx, query, orgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	err := each(`SELECT `+unitCols+` FROM units WHERE organisation_id = $1 ORDER BY path`, func(r *sql.Rows) error {
		u, err := scanUnit(r)
		snap.Units = append(snap.Units, u)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT `+siteCols+` FROM sites WHERE organisation_id = $1 ORDER BY id`, func(r *sql.Rows) error {
		x, err := scanSite(r)
		snap.Sites = append(snap.Sites, x)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT `+personCols+`, p.personal_number FROM people p WHERE p.organisation_id = $1 ORDER BY p.id`, func(r *sql.Rows) error {
		var pnr string
		p, err := scanPerson(r, &pnr)
		if p != nil {
			p.PersonalNumber = pnr
		}
		snap.People = append(snap.People, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT `+employmentCols+` FROM employments WHERE organisation_id = $1 ORDER BY person_id, starts_on, id`, func(r *sql.Rows) error {
		e, err := scanEmployment(r)
		snap.Employments = append(snap.Employments, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT `+roleCols+roleFrom+` WHERE r.organisation_id = $1 AND r.ended_at IS NULL ORDER BY r.created_at, r.id`, func(r *sql.Rows) error {
		x, _, err := scanRole(r)
		snap.Roles = append(snap.Roles, x)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT `+leaveCols+` FROM leaves WHERE organisation_id = $1 ORDER BY person_id, starts_on, id`, func(r *sql.Rows) error {
		l, err := scanLeave(r)
		snap.Leaves = append(snap.Leaves, l)
		return err
	})
	if err != nil {
		return nil, err
	}
	return snap, nil
}
