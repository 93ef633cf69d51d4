package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/distans/distans"
)

// distribute spreads the schema's tables over a Citus cluster when the
// database has the citus extension; on any other database it does nothing.
// Migrate runs it after the migrations, so a table that a later migration
// adds is distributed without an edit here:
//
//   - a table with an organisation_id column is distributed by the first
//     column of its primary key — organisation_id for every table that an
//     organisation owns (STYLE principle 9), all of them colocated, so that
//     one organisation's rows of every table live on one node and a join
//     within one organisation runs there; token_hash for token_routes, the
//     one lookup table, in a colocation group of its own;
//   - a table without it (organisations, operators and their sessions and
//     links) is small and global, and becomes a reference table: a copy on
//     every node, which foreign keys from distributed tables may point at.
//
// Citus takes foreign keys between distributed tables only when both ends
// are distributed and colocated, so the foreign keys of the tables still
// to do are dropped first and made again at the end, all in one
// transaction. Tables already distributed are left alone: running it again
// changes nothing.
func (s *Store) distribute(ctx context.Context) error {
	if s.dialect.name != "postgres" {
		return nil
	}
	var citus bool
	if err := s.wdb.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')`).
		Scan(&citus); err != nil || !citus {
		return err
	}
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Reference tables and distributed ones with foreign keys between them
	// in one transaction need Citus to use one connection per node.
	if _, err := tx.ExecContext(ctx, `SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`); err != nil {
		return err
	}
	todo, err := tablesToDistribute(ctx, tx)
	if err != nil || len(todo) == 0 {
		return err
	}
	fks, err := foreignKeysOf(ctx, tx)
	if err != nil {
		return err
	}
	for _, fk := range fks {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE `+fk.table+` DROP CONSTRAINT `+fk.name); err != nil {
			return fmt.Errorf("drop %s on %s: %w", fk.name, fk.table, err)
		}
	}
	// Reference tables first: the organisation tables' keys point at them.
	for _, t := range todo {
		if t.column == "" {
			if _, err := tx.ExecContext(ctx, `SELECT create_reference_table($1)`, t.name); err != nil {
				return fmt.Errorf("reference table %s: %w", t.name, err)
			}
		}
	}
	colocate := ""
	for _, t := range todo {
		if t.column == "" {
			continue
		}
		with := "none"
		if t.column == "organisation_id" {
			with = colocate
			if with == "" {
				with, err = organisationColocation(ctx, tx)
				if err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `SELECT create_distributed_table($1, $2, colocate_with => $3)`,
			t.name, t.column, with); err != nil {
			return fmt.Errorf("distribute %s by %s: %w", t.name, t.column, err)
		}
		if t.column == "organisation_id" && colocate == "" {
			colocate = t.name
		}
	}
	for _, fk := range fks {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE `+fk.table+` ADD CONSTRAINT `+fk.name+` `+fk.def); err != nil {
			return fmt.Errorf("foreign key %s on %s: %w", fk.name, fk.table, err)
		}
	}
	return tx.Commit()
}

// citusTable is a table still to distribute: by column, or as a reference
// table when column is "".
type citusTable struct{ name, column string }

// tablesToDistribute lists the tables of the current schema that Citus does
// not know yet, each quoted, with how to distribute it. The migrations'
// own bookkeeping (goose_db_version) stays on the coordinator.
func tablesToDistribute(ctx context.Context, q querier) ([]citusTable, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT format('%I.%I', n.nspname, c.relname),
			CASE WHEN EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'organisation_id' AND NOT a.attisdropped)
			THEN (SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
				WHERE i.indrelid = c.oid AND i.indisprimary)
			ELSE '' END
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
			AND c.relname <> 'goose_db_version'
			AND NOT EXISTS (SELECT 1 FROM pg_dist_partition d WHERE d.logicalrelid = c.oid)
		ORDER BY c.relname`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []citusTable
	for rows.Next() {
		var t citusTable
		var col sql.NullString
		if err := rows.Scan(&t.name, &col); err != nil {
			return nil, err
		}
		if !col.Valid {
			return nil, fmt.Errorf("sqlstore: %s has organisation_id but no primary key to distribute it by", t.name)
		}
		t.column = col.String
		out = append(out, t)
	}
	return out, rows.Err()
}

// organisationColocation names a table already distributed by
// organisation_id, to colocate new ones with, or "default" when none is.
func organisationColocation(ctx context.Context, q querier) (string, error) {
	var name sql.NullString
	err := q.QueryRowContext(ctx, `
		SELECT min(format('%I.%I', n.nspname, c.relname))
		FROM pg_dist_partition d JOIN pg_class c ON c.oid = d.logicalrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND d.partmethod = 'h'
			AND column_to_column_name(d.logicalrelid, d.partkey) = 'organisation_id'`).Scan(&name)
	if err != nil || !name.Valid {
		return "default", err
	}
	return name.String, nil
}

// citusForeignKey is a foreign key to drop and make again.
type citusForeignKey struct{ table, name, def string }

// foreignKeysOf returns the foreign keys in the current schema from or to
// a table that is not distributed yet.
func foreignKeysOf(ctx context.Context, q querier) ([]citusForeignKey, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT format('%I.%I', n.nspname, c.relname), quote_ident(k.conname), pg_get_constraintdef(k.oid)
		FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE k.contype = 'f' AND n.nspname = current_schema()
			AND (NOT EXISTS (SELECT 1 FROM pg_dist_partition d WHERE d.logicalrelid = k.conrelid)
				OR NOT EXISTS (SELECT 1 FROM pg_dist_partition d WHERE d.logicalrelid = k.confrelid))
		ORDER BY 1, 2`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []citusForeignKey
	for rows.Next() {
		var fk citusForeignKey
		if err := rows.Scan(&fk.table, &fk.name, &fk.def); err != nil {
			return nil, err
		}
		out = append(out, fk)
	}
	return out, rows.Err()
}

// onCitus reports whether the database is a Citus cluster; the answer is
// asked once and kept (distributing needs the extension from the start).
func (s *Store) onCitus(ctx context.Context) (bool, error) {
	if v := s.citus.Load(); v != 0 {
		return v == 1, nil
	}
	if s.dialect.name != "postgres" {
		s.citus.Store(2)
		return false, nil
	}
	var ok bool
	if err := s.rdb.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')`).Scan(&ok); err != nil {
		return false, err
	}
	s.citus.Store(map[bool]int32{true: 1, false: 2}[ok])
	return ok, nil
}

// claimEach runs a claim of the system actor of no organisation once for
// each organisation that dueOrgs (a statement of one column) lists, as the
// system actor of that organisation, until claim reports it is full. Citus
// locks rows (FOR UPDATE SKIP LOCKED) only in a statement that one node
// answers, so a claim across organisations is made one organisation at a
// time there.
func claimEach(ctx context.Context, q querier, dueOrgs string, a []any, claim func(ctx context.Context) (full bool, err error)) error {
	rows, err := q.QueryContext(ctx, dueOrgs, a...)
	if err != nil {
		return err
	}
	var orgs []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		orgs = append(orgs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range orgs {
		full, err := claim(distans.NewContext(ctx, distans.SystemActor(id)))
		if err != nil || full {
			return err
		}
	}
	return nil
}
