-- +goose Up
-- Single-use links that set a password: invitations and self-service
-- resets (issue 12). Only the SHA-256 of the link's secret is kept. The
-- link itself names its organisation (<organisation id>.<secret>), so it is
-- looked up by (organisation_id, token_hash) and the hash needs no key of
-- its own across organisations.
CREATE TABLE account_links (
    organisation_id TEXT NOT NULL,
    id              TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    purpose         TEXT NOT NULL CHECK (purpose IN ('invitation', 'reset')),
    token_hash      TEXT NOT NULL,
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    used_at         TEXT,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, token_hash),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
-- A person's links of a purpose: ending the earlier ones, counting resets.
CREATE INDEX account_links_person ON account_links (organisation_id, person_id, purpose, created_at);

-- +goose Down
DROP TABLE account_links;
