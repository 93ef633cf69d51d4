-- +goose Up
-- Times are timestamptz, dates are date. Unit paths use the "C" collation so
-- that a subtree is a byte-wise range of paths. Every organisation-owned table leads its primary key and its
-- indexes with organisation_id.

CREATE TABLE organisations (
    id                 text PRIMARY KEY,
    slug               text NOT NULL UNIQUE,
    name               text NOT NULL,
    time_zone          text NOT NULL,
    language           text NOT NULL,
    pw_min_length      integer NOT NULL,
    pw_history_count   integer NOT NULL,
    pw_max_failures    integer NOT NULL,
    pw_lockout_minutes integer NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

CREATE TABLE audit_heads (
    organisation_id text PRIMARY KEY REFERENCES organisations (id),
    seq             bigint NOT NULL,
    hash            text NOT NULL
);

CREATE TABLE audit_events (
    organisation_id text NOT NULL REFERENCES organisations (id),
    seq             bigint NOT NULL,
    actor_id        text NOT NULL,
    actor_name      text NOT NULL,
    action          text NOT NULL,
    record_type     text NOT NULL,
    record_id       text NOT NULL,
    summary         text NOT NULL,
    at              timestamptz NOT NULL,
    prev_hash       text NOT NULL,
    hash            text NOT NULL,
    PRIMARY KEY (organisation_id, seq)
);
CREATE INDEX audit_events_record ON audit_events (organisation_id, record_type, record_id);

-- people.unit_id, unit_path, title and site_id are copied from the employment
-- that is current (or else the latest), and refresh_on is the day that choice
-- may change; search and name_key are computed in Go on every write.
CREATE TABLE people (
    organisation_id text NOT NULL REFERENCES organisations (id),
    id              text NOT NULL,
    name            text NOT NULL,
    email           text NOT NULL,
    phone           text NOT NULL,
    employee_number text NOT NULL,
    personal_number text NOT NULL,
    language        text NOT NULL,
    unit_id         text NOT NULL DEFAULT '',
    unit_path       text COLLATE "C" NOT NULL DEFAULT '',
    title           text NOT NULL DEFAULT '',
    site_id         text NOT NULL DEFAULT '',
    refresh_on      date,
    search          text NOT NULL,
    name_key        text COLLATE "C" NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id)
);
CREATE UNIQUE INDEX people_email ON people (organisation_id, email);
-- people_name covers ListPeople: it walks the index in name order and tests
-- search and unit_path without reading the table.
CREATE INDEX people_name ON people (organisation_id, name_key, id) INCLUDE (search, unit_path);
CREATE INDEX people_unit_path ON people (organisation_id, unit_path);
CREATE INDEX people_refresh ON people (organisation_id, refresh_on) WHERE refresh_on IS NOT NULL;
CREATE INDEX people_employee_number ON people (organisation_id, employee_number);
-- Sign-in looks a person up by e-mail across organisations.
CREATE INDEX people_email_any ON people (email);

CREATE TABLE units (
    organisation_id text NOT NULL REFERENCES organisations (id),
    id              text NOT NULL,
    parent_id       text,
    name            text NOT NULL,
    kind            text NOT NULL,
    manager_id      text,
    path            text COLLATE "C" NOT NULL,
    ended_on        date,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, parent_id) REFERENCES units (organisation_id, id),
    FOREIGN KEY (organisation_id, manager_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX units_path ON units (organisation_id, path);
CREATE INDEX units_parent ON units (organisation_id, parent_id);

CREATE TABLE sites (
    organisation_id text NOT NULL REFERENCES organisations (id),
    id              text NOT NULL,
    name            text NOT NULL,
    kind            text NOT NULL,
    street          text NOT NULL,
    postal_code     text NOT NULL,
    city            text NOT NULL,
    ended_on        date,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id)
);

CREATE TABLE employments (
    organisation_id text NOT NULL,
    id              text NOT NULL,
    person_id       text NOT NULL,
    unit_id         text NOT NULL,
    title           text NOT NULL,
    site_id         text,
    starts_on       date NOT NULL,
    ends_on         date,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id),
    FOREIGN KEY (organisation_id, site_id) REFERENCES sites (organisation_id, id)
);
CREATE INDEX employments_person ON employments (organisation_id, person_id, starts_on);
CREATE INDEX employments_unit ON employments (organisation_id, unit_id);

CREATE TABLE leaves (
    organisation_id text NOT NULL,
    id              text NOT NULL,
    person_id       text NOT NULL,
    kind            text NOT NULL,
    starts_on       date NOT NULL,
    ends_on         date,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX leaves_person ON leaves (organisation_id, person_id, starts_on);

CREATE TABLE role_assignments (
    organisation_id text NOT NULL,
    id              text NOT NULL,
    person_id       text NOT NULL,
    role            text NOT NULL,
    unit_id         text,
    ended_at        timestamptz,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id)
);
CREATE INDEX role_assignments_person ON role_assignments (organisation_id, person_id);
CREATE INDEX role_assignments_unit ON role_assignments (organisation_id, unit_id);

CREATE TABLE accounts (
    organisation_id text NOT NULL,
    person_id       text NOT NULL,
    password_hash   text NOT NULL DEFAULT '',
    failed_count    integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    PRIMARY KEY (organisation_id, person_id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);

CREATE TABLE password_history (
    organisation_id text NOT NULL,
    person_id       text NOT NULL,
    id              text NOT NULL,
    hash            text NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, person_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);

-- Sessions are found by their token's hash alone, before the organisation is known.
CREATE TABLE sessions (
    token_hash      text PRIMARY KEY,
    organisation_id text NOT NULL,
    person_id       text NOT NULL,
    csrf_token      text NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX sessions_person ON sessions (organisation_id, person_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    organisation_id text NOT NULL,
    id              text NOT NULL,
    person_id       text NOT NULL,
    name            text NOT NULL,
    token_hash      text NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL,
    last_used_at    timestamptz,
    revoked_at      timestamptz,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX api_tokens_person ON api_tokens (organisation_id, person_id);

CREATE TABLE oidc_providers (
    organisation_id text PRIMARY KEY REFERENCES organisations (id),
    issuer          text NOT NULL,
    client_id       text NOT NULL,
    client_secret   text NOT NULL,
    claim           text NOT NULL,
    match_by        text NOT NULL,
    enabled         boolean NOT NULL
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
