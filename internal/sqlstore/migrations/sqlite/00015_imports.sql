-- +goose Up
-- Codes are what an organisation's HR system calls its units and sites:
-- imports match on them. Empty means none; a code set is unique in the
-- organisation.
ALTER TABLE units ADD COLUMN code TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX units_code ON units (organisation_id, code) WHERE code <> '';
ALTER TABLE sites ADD COLUMN code TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX sites_code ON sites (organisation_id, code) WHERE code <> '';
-- source is 'import' for a role an import granted, so that a later import
-- ends only those; '' for a role granted by hand.
ALTER TABLE role_assignments ADD COLUMN source TEXT NOT NULL DEFAULT '';

-- An import and where it is. options, file_names, summary and errors are
-- JSON text (distans.ImportOptions, []string, distans.ImportSummary,
-- []distans.ImportRowError). lease_until is how long the worker that
-- claimed it holds it.
CREATE TABLE imports (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    id              TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    status          TEXT NOT NULL,
    options         TEXT NOT NULL,
    file_names      TEXT NOT NULL,
    rows            INTEGER NOT NULL DEFAULT 0,
    done            INTEGER NOT NULL DEFAULT 0,
    summary         TEXT NOT NULL DEFAULT '',
    errors          TEXT NOT NULL DEFAULT '',
    error_total     INTEGER NOT NULL DEFAULT 0,
    failure         TEXT NOT NULL DEFAULT '',
    lease_until     TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    finished_at     TEXT,
    PRIMARY KEY (organisation_id, id)
);
CREATE INDEX imports_created ON imports (organisation_id, created_at);
-- ClaimImport is the one query that crosses organisations: a worker takes
-- the oldest import waiting anywhere. It reads this small index of the few
-- imports in progress.
CREATE INDEX imports_claim ON imports (status, lease_until);

-- The files of an import as uploaded, kept until it is finished.
CREATE TABLE import_files (
    organisation_id TEXT NOT NULL,
    import_id       TEXT NOT NULL,
    n               INTEGER NOT NULL,
    name            TEXT NOT NULL,
    content         BLOB NOT NULL,
    PRIMARY KEY (organisation_id, import_id, n),
    FOREIGN KEY (organisation_id, import_id) REFERENCES imports (organisation_id, id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE import_files;
DROP TABLE imports;
ALTER TABLE role_assignments DROP COLUMN source;
DROP INDEX sites_code;
ALTER TABLE sites DROP COLUMN code;
DROP INDEX units_code;
ALTER TABLE units DROP COLUMN code;
