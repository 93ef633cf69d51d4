-- +goose Up
-- Policy packs in versions, policy documents in versions, and who has
-- acknowledged which version of a document. Rows are never changed or
-- removed: a new version is a new row. created_by and published_by are
-- empty for the system.

CREATE TABLE policy_versions (
    organisation_id text NOT NULL REFERENCES organisations (id),
    version         integer NOT NULL,
    source          text NOT NULL,
    reason          text NOT NULL,
    created_by      text NOT NULL,
    created_by_name text NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, version)
);

-- The current version of a document is its highest version; the primary
-- key finds it.
CREATE TABLE policy_documents (
    organisation_id text NOT NULL REFERENCES organisations (id),
    id              text NOT NULL,
    version         integer NOT NULL,
    title           text NOT NULL,
    body            text NOT NULL,
    required        boolean NOT NULL,
    unit_id         text,
    published_by    text NOT NULL,
    published_at    timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id, version),
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id)
);

CREATE TABLE acknowledgements (
    organisation_id text NOT NULL,
    document_id     text NOT NULL,
    version         integer NOT NULL,
    person_id       text NOT NULL,
    at              timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, document_id, version, person_id),
    FOREIGN KEY (organisation_id, document_id, version) REFERENCES policy_documents (organisation_id, id, version),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX acknowledgements_person ON acknowledgements (organisation_id, person_id, at);

-- +goose Down
DROP TABLE acknowledgements;
DROP TABLE policy_documents;
DROP TABLE policy_versions;
