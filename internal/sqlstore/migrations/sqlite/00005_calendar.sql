-- +goose Up
-- Private calendar feeds (issue 5): one active feed per person, found by the
-- hash of its secret. The secret itself is never stored.

CREATE TABLE calendar_feeds (
    organisation_id TEXT NOT NULL,
    id              TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    token_hash      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    revoked_at      TEXT,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
-- The feed URL carries only the secret, so the lookup is by hash across
-- organisations, as for API tokens.
CREATE UNIQUE INDEX calendar_feeds_token ON calendar_feeds (token_hash);
-- At most one active feed per person, enforced by the database.
CREATE UNIQUE INDEX calendar_feeds_active ON calendar_feeds (organisation_id, person_id) WHERE revoked_at IS NULL;

-- +goose Down
DROP TABLE calendar_feeds;
