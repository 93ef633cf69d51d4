-- +goose Up
-- Times are TEXT in UTC, RFC 3339 with six fractional digits
-- (2006-01-02T15:04:05.000000Z), so that they sort as text; dates are
-- 'YYYY-MM-DD'. Every organisation-owned table leads its primary key and its
-- indexes with organisation_id.

CREATE TABLE organisations (
    id                 TEXT PRIMARY KEY,
    slug               TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    time_zone          TEXT NOT NULL,
    language           TEXT NOT NULL,
    pw_min_length      INTEGER NOT NULL,
    pw_history_count   INTEGER NOT NULL,
    pw_max_failures    INTEGER NOT NULL,
    pw_lockout_minutes INTEGER NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);

CREATE TABLE audit_heads (
    organisation_id TEXT PRIMARY KEY REFERENCES organisations (id),
    seq             INTEGER NOT NULL,
    hash            TEXT NOT NULL
);

CREATE TABLE audit_events (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    seq             INTEGER NOT NULL,
    actor_id        TEXT NOT NULL,
    actor_name      TEXT NOT NULL,
    action          TEXT NOT NULL,
    record_type     TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    summary         TEXT NOT NULL,
    at              TEXT NOT NULL,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL,
    PRIMARY KEY (organisation_id, seq)
);
CREATE INDEX audit_events_record ON audit_events (organisation_id, record_type, record_id);

-- people.unit_id, unit_path, title and site_id are copied from the employment
-- that is current (or else the latest), and refresh_on is the day that choice
-- may change; search and name_key are computed in Go on every write.
CREATE TABLE people (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    id              TEXT NOT NULL,
    name            TEXT NOT NULL,
    email           TEXT NOT NULL,
    phone           TEXT NOT NULL,
    employee_number TEXT NOT NULL,
    personal_number TEXT NOT NULL,
    language        TEXT NOT NULL,
    unit_id         TEXT NOT NULL DEFAULT '',
    unit_path       TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL DEFAULT '',
    site_id         TEXT NOT NULL DEFAULT '',
    refresh_on      TEXT,
    search          TEXT NOT NULL,
    name_key        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id)
);
CREATE UNIQUE INDEX people_email ON people (organisation_id, email);
-- people_name covers ListPeople: it walks the index in name order and tests
-- search and unit_path without reading the table.
CREATE INDEX people_name ON people (organisation_id, name_key, id, search, unit_path);
CREATE INDEX people_unit_path ON people (organisation_id, unit_path);
CREATE INDEX people_refresh ON people (organisation_id, refresh_on) WHERE refresh_on IS NOT NULL;
CREATE INDEX people_employee_number ON people (organisation_id, employee_number);
-- Sign-in looks a person up by e-mail across organisations.
CREATE INDEX people_email_any ON people (email);

CREATE TABLE units (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    id              TEXT NOT NULL,
    parent_id       TEXT,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    manager_id      TEXT,
    path            TEXT NOT NULL,
    ended_on        TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, parent_id) REFERENCES units (organisation_id, id),
    FOREIGN KEY (organisation_id, manager_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX units_path ON units (organisation_id, path);
CREATE INDEX units_parent ON units (organisation_id, parent_id);

CREATE TABLE sites (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    id              TEXT NOT NULL,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    street          TEXT NOT NULL,
    postal_code     TEXT NOT NULL,
    city            TEXT NOT NULL,
    ended_on        TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id)
);

CREATE TABLE employments (
    organisation_id TEXT NOT NULL,
    id              TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    unit_id         TEXT NOT NULL,
    title           TEXT NOT NULL,
    site_id         TEXT,
    starts_on       TEXT NOT NULL,
    ends_on         TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id),
    FOREIGN KEY (organisation_id, site_id) REFERENCES sites (organisation_id, id)
);
CREATE INDEX employments_person ON employments (organisation_id, person_id, starts_on);
CREATE INDEX employments_unit ON employments (organisation_id, unit_id);

CREATE TABLE leaves (
    organisation_id TEXT NOT NULL,
    id              TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    starts_on       TEXT NOT NULL,
    ends_on         TEXT,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX leaves_person ON leaves (organisation_id, person_id, starts_on);

CREATE TABLE role_assignments (
    organisation_id TEXT NOT NULL,
    id              TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    role            TEXT NOT NULL,
    unit_id         TEXT,
    ended_at        TEXT,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id)
);
CREATE INDEX role_assignments_person ON role_assignments (organisation_id, person_id);
CREATE INDEX role_assignments_unit ON role_assignments (organisation_id, unit_id);

CREATE TABLE accounts (
    organisation_id TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    password_hash   TEXT NOT NULL DEFAULT '',
    failed_count    INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    PRIMARY KEY (organisation_id, person_id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);

CREATE TABLE password_history (
    organisation_id TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    id              TEXT NOT NULL,
    hash            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, person_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);

-- Sessions are found by their token's hash alone, before the organisation is known.
CREATE TABLE sessions (
    token_hash      TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    csrf_token      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    last_seen_at    TEXT NOT NULL,
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX sessions_person ON sessions (organisation_id, person_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    organisation_id TEXT NOT NULL,
    id              TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    name            TEXT NOT NULL,
    token_hash      TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL,
    last_used_at    TEXT,
    revoked_at      TEXT,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX api_tokens_person ON api_tokens (organisation_id, person_id);

CREATE TABLE oidc_providers (
    organisation_id TEXT PRIMARY KEY REFERENCES organisations (id),
    issuer          TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    client_secret   TEXT NOT NULL,
    claim           TEXT NOT NULL,
    match_by        TEXT NOT NULL,
    enabled         INTEGER NOT NULL
);

-- +goose Down
DROP TABLE oidc_providers;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE password_history;
DROP TABLE accounts;
DROP TABLE role_assignments;
DROP TABLE leaves;
DROP TABLE employments;
DROP TABLE sites;
DROP TABLE units;
DROP TABLE people;
DROP TABLE audit_events;
DROP TABLE audit_heads;
DROP TABLE organisations;
