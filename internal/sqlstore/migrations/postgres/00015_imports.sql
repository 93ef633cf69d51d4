-- +goose Up
-- Codes are what an organisation's HR system calls its units and sites:
-- imports match on them. Empty means none; a code set is unique in the
-- organisation.
ALTER TABLE units ADD COLUMN code text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX units_code ON units (organisation_id, code) WHERE code <> '';
ALTER TABLE sites ADD COLUMN code text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX sites_code ON sites (organisation_id, code) WHERE code <> '';
-- source is 'import' for a role an import granted, so that a later import
-- ends only those; '' for a role granted by hand.
ALTER TABLE role_assignments ADD COLUMN source text NOT NULL DEFAULT '';

-- An import and where it is. options, file_names, summary and errors are
-- JSON text (distans.ImportOptions, []string, distans.ImportSummary,
-- []distans.ImportRowError). lease_until is how long the worker that
-- claimed it holds it.
CREATE TABLE imports (
    organisation_id text NOT NULL REFERENCES organisations (id),
    id              text NOT NULL,
    created_by      text NOT NULL,
    created_by_name text NOT NULL,
    status          text NOT NULL,
    options         text NOT NULL,
    file_names      text NOT NULL,
    rows            integer NOT NULL DEFAULT 0,
    done            integer NOT NULL DEFAULT 0,
    summary         text NOT NULL DEFAULT '',
    errors          text NOT NULL DEFAULT '',
    error_total     integer NOT NULL DEFAULT 0,
    failure         text NOT NULL DEFAULT '',
    lease_until     timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    PRIMARY KEY (organisation_id, id)
);
CREATE INDEX imports_created ON imports (organisation_id, created_at);
-- ClaimImport is the one query that crosses organisations: a worker takes
-- the oldest import waiting anywhere. It reads this small index of the few
-- imports in progress; a distributed database runs it on every node.
CREATE INDEX imports_claim ON imports (status, lease_until);

-- The files of an import as uploaded, kept until it is finished.
CREATE TABLE import_files (
    organisation_id text NOT NULL,
    import_id       text NOT NULL,
    n               integer NOT NULL,
    name            text NOT NULL,
    content         bytea NOT NULL,
    PRIMARY KEY (organisation_id, import_id, n),
    FOREIGN KEY (organisation_id, import_id) REFERENCES imports (organisation_id, id) ON DELETE CASCADE
);

-- An import appends its events to the chain by the thousand in one
-- transaction and moves the head once at the end: updating the head's row
-- once per event makes PostgreSQL walk every version of that row the
-- transaction wrote so far, which grows with the square of the events
-- (30,000 took seven seconds). The trigger steps aside while the
-- transaction's distans.audit_head setting is 'manual'; every other append
-- goes on as before.
DROP TRIGGER audit_events_head ON audit_events;
CREATE TRIGGER audit_events_head AFTER INSERT ON audit_events
    FOR EACH ROW WHEN (current_setting('distans.audit_head', true) IS DISTINCT FROM 'manual')
    EXECUTE FUNCTION audit_head_follow();

-- +goose Down
DROP TRIGGER audit_events_head ON audit_events;
CREATE TRIGGER audit_events_head AFTER INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_head_follow();
DROP TABLE import_files;
DROP TABLE imports;
ALTER TABLE role_assignments DROP COLUMN source;
DROP INDEX sites_code;
ALTER TABLE sites DROP COLUMN code;
DROP INDEX units_code;
ALTER TABLE units DROP COLUMN code;
