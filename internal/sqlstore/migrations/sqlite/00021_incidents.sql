-- +goose Up
-- Incidents (issue 14): one row per reported incident, the one record that
-- runs every clock. The queryable facts are columns; the IMY notification
-- is JSON text. Each clock (one duty of the incident and its deadline,
-- computed from the organisation's pack) is a row of incident_clocks, so
-- that the deadline job scans the open ones by index; next_due_at on the
-- incident is the nearest open deadline, for the coordinator's queue.

-- The registration number per organisation and year: "INC 2026/0012". The
-- counter row is updated in the transaction that reports the incident.
CREATE TABLE incident_numbers (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    year            INTEGER NOT NULL,
    last            INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, year)
);

CREATE TABLE incidents (
    organisation_id   TEXT NOT NULL,
    id                TEXT NOT NULL,
    year              INTEGER NOT NULL,
    seq               INTEGER NOT NULL,
    number            TEXT NOT NULL,
    kind              TEXT NOT NULL,
    title             TEXT NOT NULL,
    description       TEXT NOT NULL,
    occurred_at       TEXT,
    discovered_at     TEXT NOT NULL,
    systems           TEXT NOT NULL DEFAULT '',
    ongoing           INTEGER NOT NULL DEFAULT 0,
    reporter_id       TEXT NOT NULL,
    registered_by_id  TEXT,
    unit_id           TEXT,
    state             TEXT NOT NULL,
    severity          TEXT NOT NULL DEFAULT '',
    owner_id          TEXT,
    cyber_significant INTEGER NOT NULL DEFAULT 0,
    injury_serious    INTEGER NOT NULL DEFAULT 0,
    outside_premises  INTEGER NOT NULL DEFAULT 0,
    police_report     TEXT NOT NULL DEFAULT '',
    secret_fields     TEXT NOT NULL DEFAULT '[]',
    imy               TEXT,
    imy_filed_at      TEXT,
    pack_version      INTEGER NOT NULL DEFAULT 0,
    next_due_at       TEXT,
    version           INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    closed_at         TEXT,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, reporter_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, registered_by_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, owner_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id)
);
CREATE UNIQUE INDEX incidents_seq ON incidents (organisation_id, year, seq);
-- The queue: incidents by their nearest open deadline; the open ones
-- (the coordinator's usual view) apart, so that a page of them never
-- reads past the closed ones, which are most.
CREATE INDEX incidents_next_due ON incidents (organisation_id, next_due_at);
CREATE INDEX incidents_open_due ON incidents (organisation_id, next_due_at) WHERE state <> 'closed';
CREATE INDEX incidents_reporter ON incidents (organisation_id, reporter_id, created_at);
CREATE INDEX incidents_owner ON incidents (organisation_id, owner_id) WHERE owner_id IS NOT NULL;

CREATE TABLE incident_clocks (
    organisation_id TEXT NOT NULL,
    incident_id     TEXT NOT NULL,
    duty            TEXT NOT NULL,
    rule_id         TEXT NOT NULL,
    label           TEXT NOT NULL DEFAULT '{}',
    citation        TEXT NOT NULL DEFAULT '',
    due_at          TEXT NOT NULL,
    remind_at       TEXT NOT NULL,
    done_at         TEXT,
    done_by_id      TEXT,
    reference       TEXT NOT NULL DEFAULT '',
    not_required    INTEGER NOT NULL DEFAULT 0,
    note            TEXT NOT NULL DEFAULT '',
    reminded_at     TEXT,
    escalated_at    TEXT,
    PRIMARY KEY (organisation_id, incident_id, duty),
    FOREIGN KEY (organisation_id, incident_id) REFERENCES incidents (organisation_id, id),
    FOREIGN KEY (organisation_id, done_by_id) REFERENCES people (organisation_id, id)
);
-- The deadline job: open clocks whose reminder or deadline has come.
CREATE INDEX incident_clocks_remind ON incident_clocks (organisation_id, remind_at)
    WHERE done_at IS NULL AND reminded_at IS NULL;
CREATE INDEX incident_clocks_due ON incident_clocks (organisation_id, due_at)
    WHERE done_at IS NULL AND escalated_at IS NULL;

CREATE TABLE incident_measures (
    organisation_id TEXT NOT NULL,
    id              TEXT NOT NULL,
    incident_id     TEXT NOT NULL,
    text            TEXT NOT NULL,
    owner_id        TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    done_at         TEXT,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, incident_id) REFERENCES incidents (organisation_id, id),
    FOREIGN KEY (organisation_id, owner_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX incident_measures_incident ON incident_measures (organisation_id, incident_id, due_on);

CREATE TABLE incident_links (
    organisation_id TEXT NOT NULL,
    incident_id     TEXT NOT NULL,
    kind            TEXT NOT NULL,
    target_id       TEXT NOT NULL,
    label           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, incident_id, kind, target_id),
    FOREIGN KEY (organisation_id, incident_id) REFERENCES incidents (organisation_id, id)
);

-- The risk assessment of a personal-data incident, versioned: a revision
-- adds a row and keeps the earlier ones.
CREATE TABLE incident_risk_assessments (
    organisation_id TEXT NOT NULL,
    incident_id     TEXT NOT NULL,
    version         INTEGER NOT NULL,
    body            TEXT NOT NULL,
    assessed_by_id  TEXT NOT NULL,
    assessed_at     TEXT NOT NULL,
    PRIMARY KEY (organisation_id, incident_id, version),
    FOREIGN KEY (organisation_id, incident_id) REFERENCES incidents (organisation_id, id),
    FOREIGN KEY (organisation_id, assessed_by_id) REFERENCES people (organisation_id, id)
);

-- +goose Down
DROP TABLE incident_risk_assessments;
DROP TABLE incident_links;
DROP TABLE incident_measures;
DROP TABLE incident_clocks;
DROP TABLE incidents;
DROP TABLE incident_numbers;
