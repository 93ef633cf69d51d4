-- +goose Up
-- SCIM 2.0 provisioning (issue 13): an organisation's identity system
-- (Entra ID, Okta) keeps its people in Distans.

-- A deactivated account may not sign in at once, even on the last day of
-- its employment, which still counts as current: sign-in, sessions and
-- API tokens (FindAccount, FindCredential) read it as ended.
ALTER TABLE accounts ADD COLUMN disabled_at TEXT;

-- The identity system's bearer tokens. The secret names its organisation
-- (dsc_<organisation id>.<secret>), so the token is looked up by
-- (organisation_id, token_hash) and the hash needs no key across
-- organisations; only the SHA-256 of the secret is kept.
CREATE TABLE scim_tokens (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    id              TEXT NOT NULL,
    name            TEXT NOT NULL,
    token_hash      TEXT NOT NULL,
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    last_used_at    TEXT,
    revoked_at      TEXT,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, token_hash)
);

-- The SCIM identity of a person: a person is a SCIM user while this row
-- exists (DELETE removes it and keeps the person). user_name_key is the
-- userName lowered: SCIM compares it without case.
CREATE TABLE scim_users (
    organisation_id TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    user_name       TEXT NOT NULL,
    user_name_key   TEXT NOT NULL,
    external_id     TEXT NOT NULL DEFAULT '',
    given_name      TEXT NOT NULL DEFAULT '',
    family_name     TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, person_id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
CREATE UNIQUE INDEX scim_users_user_name ON scim_users (organisation_id, user_name_key);
CREATE UNIQUE INDEX scim_users_external_id ON scim_users (organisation_id, external_id) WHERE external_id <> '';

CREATE TABLE scim_groups (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    id              TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    external_id     TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id)
);
-- A mapping names its group by displayName, so one name is one group.
CREATE UNIQUE INDEX scim_groups_display_name ON scim_groups (organisation_id, display_name);
CREATE UNIQUE INDEX scim_groups_external_id ON scim_groups (organisation_id, external_id) WHERE external_id <> '';

CREATE TABLE scim_group_members (
    organisation_id TEXT NOT NULL,
    group_id        TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    PRIMARY KEY (organisation_id, group_id, person_id),
    FOREIGN KEY (organisation_id, group_id) REFERENCES scim_groups (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
-- A person's groups: what their roles through groups are.
CREATE INDEX scim_group_members_person ON scim_group_members (organisation_id, person_id);

-- What membership of the group named display_name grants: role in unit_id
-- and below, or in the whole organisation when unit_id is NULL.
CREATE TABLE scim_group_mappings (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL,
    unit_id         TEXT,
    PRIMARY KEY (organisation_id, display_name),
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id)
);

CREATE TABLE scim_settings (
    organisation_id TEXT PRIMARY KEY REFERENCES organisations (id),
    create_units    INTEGER NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE scim_settings;
DROP TABLE scim_group_mappings;
DROP TABLE scim_group_members;
DROP TABLE scim_groups;
DROP TABLE scim_users;
DROP TABLE scim_tokens;
ALTER TABLE accounts DROP COLUMN disabled_at;
