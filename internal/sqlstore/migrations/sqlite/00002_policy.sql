-- +goose Up
-- Policy packs in versions, policy documents in versions, and who has
-- acknowledged which version of a document. Rows are never changed or
-- removed: a new version is a new row. created_by and published_by are
-- empty for the system.

CREATE TABLE policy_versions (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    version         INTEGER NOT NULL,
    source          TEXT NOT NULL,
    reason          TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, version)
);

-- The current version of a document is its highest version; the primary
-- key finds it.
CREATE TABLE policy_documents (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    id              TEXT NOT NULL,
    version         INTEGER NOT NULL,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    required        INTEGER NOT NULL,
    unit_id         TEXT,
    published_by    TEXT NOT NULL,
    published_at    TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id, version),
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id)
);

CREATE TABLE acknowledgements (
    organisation_id TEXT NOT NULL,
    document_id     TEXT NOT NULL,
    version         INTEGER NOT NULL,
    person_id       TEXT NOT NULL,
    at              TEXT NOT NULL,
    PRIMARY KEY (organisation_id, document_id, version, person_id),
    FOREIGN KEY (organisation_id, document_id, version) REFERENCES policy_documents (organisation_id, id, version),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX acknowledgements_person ON acknowledgements (organisation_id, person_id, at);

-- +goose Down
DROP TABLE acknowledgements;
DROP TABLE policy_documents;
DROP TABLE policy_versions;
