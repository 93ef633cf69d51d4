-- +goose Up
-- Remote-work agreements (distansarbetsöverenskommelser): one row per case
-- from request to end. The queryable facts are columns; the parts of the
-- case (request, assessment, risk, decision, terms, findings, signatures,
-- evaluation) are JSON text. The remote place, a home address, is kept
-- apart in request_place and terms_place, which only RevealRemotePlace and
-- ImportAgreement touch: the JSON never holds it.

CREATE TABLE agreement_numbers (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    year            INTEGER NOT NULL,
    last            INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, year)
);

CREATE TABLE agreements (
    organisation_id   TEXT NOT NULL,
    id                TEXT NOT NULL,
    number            TEXT NOT NULL,
    person_id         TEXT NOT NULL,
    unit_id           TEXT NOT NULL,
    state             TEXT NOT NULL,
    version           INTEGER NOT NULL,
    start_on          TEXT NOT NULL,
    end_on            TEXT NOT NULL,
    next_follow_up_on TEXT,
    manager_id        TEXT,
    renewal_of        TEXT,
    renewed_by        TEXT,
    ended_on          TEXT,
    end_reason        TEXT NOT NULL DEFAULT '',
    end_note          TEXT NOT NULL DEFAULT '',
    ended_by          TEXT NOT NULL DEFAULT '',
    request           TEXT NOT NULL,
    request_place     TEXT NOT NULL DEFAULT '',
    assessment        TEXT,
    risk              TEXT,
    decision          TEXT,
    terms             TEXT,
    terms_place       TEXT NOT NULL DEFAULT '',
    findings          TEXT NOT NULL DEFAULT '[]',
    pack_version      INTEGER NOT NULL DEFAULT 0,
    signatures        TEXT NOT NULL DEFAULT '[]',
    evaluation        TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id),
    FOREIGN KEY (organisation_id, manager_id) REFERENCES people (organisation_id, id)
);
CREATE UNIQUE INDEX agreements_number ON agreements (organisation_id, number);
-- A person has at most one open case.
CREATE UNIQUE INDEX agreements_open ON agreements (organisation_id, person_id)
    WHERE state IN ('requested', 'assessed', 'awaiting_signature');
CREATE INDEX agreements_person ON agreements (organisation_id, person_id, created_at);
-- The manager's queue and HR's lists: a unit's cases by state, covering
-- everything the queue filters and sorts on, so that choosing a page of
-- cases reads only the index and only that page's rows are fetched.
CREATE INDEX agreements_queue ON agreements (organisation_id, unit_id, state, id, person_id, manager_id,
    next_follow_up_on, end_on, created_at);
-- The reminder and housekeeping scans over active agreements.
CREATE INDEX agreements_active_end ON agreements (organisation_id, end_on) WHERE state = 'active';
CREATE INDEX agreements_active_follow_up ON agreements (organisation_id, next_follow_up_on) WHERE state = 'active';

CREATE TABLE agreement_follow_ups (
    organisation_id  TEXT NOT NULL,
    id               TEXT NOT NULL,
    agreement_id     TEXT NOT NULL,
    on_date          TEXT NOT NULL,
    body             TEXT NOT NULL,
    recorded_by      TEXT NOT NULL,
    recorded_by_name TEXT NOT NULL,
    recorded_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, agreement_id) REFERENCES agreements (organisation_id, id)
);
CREATE INDEX agreement_follow_ups_agreement ON agreement_follow_ups (organisation_id, agreement_id, on_date);

-- +goose Down
DROP TABLE agreement_follow_ups;
DROP TABLE agreements;
DROP TABLE agreement_numbers;
