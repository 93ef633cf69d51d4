-- +goose Up
-- An organisation is active, suspended (nobody in it signs in; it may be
-- resumed) or ended (final: nobody signs in again; its data is kept until
-- it is disposed of, which is another step).
ALTER TABLE organisations ADD COLUMN status text NOT NULL DEFAULT 'active';
ALTER TABLE organisations ADD COLUMN status_changed_at timestamptz;

-- The installation's administrators (driftadministratörer) belong to no
-- organisation, so these tables carry no organisation_id. They are small
-- and read only by the /drift pages and the CLI: on Citus they are
-- reference tables (or stay on the coordinator), never distributed.
CREATE TABLE operators (
    id            text PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    name          text NOT NULL,
    password_hash text NOT NULL DEFAULT '',
    failed_count  integer NOT NULL DEFAULT 0,
    locked_until  timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- Only the SHA-256 of a session token is stored.
CREATE TABLE operator_sessions (
    token_hash   text PRIMARY KEY,
    operator_id  text NOT NULL REFERENCES operators (id),
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
);
CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id);

-- Single-use, expiring links that set an operator's password; only the
-- SHA-256 of the secret in the URL is stored.
CREATE TABLE operator_links (
    token_hash  text PRIMARY KEY,
    operator_id text NOT NULL REFERENCES operators (id),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX operator_links_operator ON operator_links (operator_id);

-- +goose Down
DROP TABLE operator_links;
DROP TABLE operator_sessions;
DROP TABLE operators;
ALTER TABLE organisations DROP COLUMN status_changed_at;
ALTER TABLE organisations DROP COLUMN status;
