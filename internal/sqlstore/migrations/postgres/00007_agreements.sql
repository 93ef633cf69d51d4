-- +goose Up
-- Remote-work agreements (distansarbetsöverenskommelser): one row per case
-- from request to end. The queryable facts are columns; the parts of the
-- case (request, assessment, risk, decision, terms, findings, signatures,
-- evaluation) are JSON text. The remote place, a home address, is kept
-- apart in request_place and terms_place, which only RevealRemotePlace and
-- ImportAgreement touch: the JSON never holds it.

CREATE TABLE agreement_numbers (
    organisation_id text NOT NULL REFERENCES organisations (id),
    year            integer NOT NULL,
    last            integer NOT NULL,
    PRIMARY KEY (organisation_id, year)
);

CREATE TABLE agreements (
    organisation_id   text NOT NULL,
    id                text NOT NULL,
    number            text NOT NULL,
    person_id         text NOT NULL,
    unit_id           text NOT NULL,
    state             text NOT NULL,
    version           integer NOT NULL,
    start_on          date NOT NULL,
    end_on            date NOT NULL,
    next_follow_up_on date,
    manager_id        text,
    renewal_of        text,
    renewed_by        text,
    ended_on          date,
    end_reason        text NOT NULL DEFAULT '',
    end_note          text NOT NULL DEFAULT '',
    ended_by          text NOT NULL DEFAULT '',
    request           text NOT NULL,
    request_place     text NOT NULL DEFAULT '',
    assessment        text,
    risk              text,
    decision          text,
    terms             text,
    terms_place       text NOT NULL DEFAULT '',
    findings          text NOT NULL DEFAULT '[]',
    pack_version      integer NOT NULL DEFAULT 0,
    signatures        text NOT NULL DEFAULT '[]',
    evaluation        text,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
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
CREATE INDEX agreements_queue ON agreements (organisation_id, unit_id, state)
    INCLUDE (id, person_id, manager_id, next_follow_up_on, end_on, created_at);
-- The reminder and housekeeping scans over active agreements.
CREATE INDEX agreements_active_end ON agreements (organisation_id, end_on) WHERE state = 'active';
CREATE INDEX agreements_active_follow_up ON agreements (organisation_id, next_follow_up_on) WHERE state = 'active';

CREATE TABLE agreement_follow_ups (
    organisation_id  text NOT NULL,
    id               text NOT NULL,
    agreement_id     text NOT NULL,
    on_date          date NOT NULL,
    body             text NOT NULL,
    recorded_by      text NOT NULL,
    recorded_by_name text NOT NULL,
    recorded_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, agreement_id) REFERENCES agreements (organisation_id, id)
);
CREATE INDEX agreement_follow_ups_agreement ON agreement_follow_ups (organisation_id, agreement_id, on_date);

-- +goose Down
DROP TABLE agreement_follow_ups;
DROP TABLE agreements;
DROP TABLE agreement_numbers;
