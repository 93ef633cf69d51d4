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
    organisation_id text NOT NULL REFERENCES organisations (id),
    year            integer NOT NULL,
    last            integer NOT NULL,
    PRIMARY KEY (organisation_id, year)
);

CREATE TABLE incidents (
    organisation_id   text NOT NULL,
    id                text NOT NULL,
    year              integer NOT NULL,
    seq               integer NOT NULL,
    number            text NOT NULL,
    kind              text NOT NULL,
    title             text NOT NULL,
    description       text NOT NULL,
    occurred_at       timestamptz,
    discovered_at     timestamptz NOT NULL,
    systems           text NOT NULL DEFAULT '',
    ongoing           boolean NOT NULL DEFAULT false,
    reporter_id       text NOT NULL,
    registered_by_id  text,
    unit_id           text,
    state             text NOT NULL,
    severity          text NOT NULL DEFAULT '',
    owner_id          text,
    cyber_significant boolean NOT NULL DEFAULT false,
    injury_serious    boolean NOT NULL DEFAULT false,
    outside_premises  boolean NOT NULL DEFAULT false,
    police_report     text NOT NULL DEFAULT '',
    secret_fields     text NOT NULL DEFAULT '[]',
    imy               text,
    imy_filed_at      timestamptz,
    pack_version      integer NOT NULL DEFAULT 0,
    next_due_at       timestamptz,
    version           integer NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    closed_at         timestamptz,
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
    organisation_id text NOT NULL,
    incident_id     text NOT NULL,
    duty            text NOT NULL,
    rule_id         text NOT NULL,
    label           text NOT NULL DEFAULT '{}',
    citation        text NOT NULL DEFAULT '',
    due_at          timestamptz NOT NULL,
    remind_at       timestamptz NOT NULL,
    done_at         timestamptz,
    done_by_id      text,
    reference       text NOT NULL DEFAULT '',
    not_required    boolean NOT NULL DEFAULT false,
    note            text NOT NULL DEFAULT '',
    reminded_at     timestamptz,
    escalated_at    timestamptz,
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
    organisation_id text NOT NULL,
    id              text NOT NULL,
    incident_id     text NOT NULL,
    text            text NOT NULL,
    owner_id        text NOT NULL,
    due_on          date NOT NULL,
    done_at         timestamptz,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, incident_id) REFERENCES incidents (organisation_id, id),
    FOREIGN KEY (organisation_id, owner_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX incident_measures_incident ON incident_measures (organisation_id, incident_id, due_on);

CREATE TABLE incident_links (
    organisation_id text NOT NULL,
    incident_id     text NOT NULL,
    kind            text NOT NULL,
    target_id       text NOT NULL,
    label           text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, incident_id, kind, target_id),
    FOREIGN KEY (organisation_id, incident_id) REFERENCES incidents (organisation_id, id)
);

-- The risk assessment of a personal-data incident, versioned: a revision
-- adds a row and keeps the earlier ones.
CREATE TABLE incident_risk_assessments (
    organisation_id text NOT NULL,
    incident_id     text NOT NULL,
    version         integer NOT NULL,
    body            text NOT NULL,
    assessed_by_id  text NOT NULL,
    assessed_at     timestamptz NOT NULL,
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
