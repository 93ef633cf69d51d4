-- +goose Up
-- Availability: where people are each day, redirections, phone hours,
-- on-call phones and the telephone directory (issue 5, Sorsele 004 §1–§6).
-- day_statuses.reason is private to the person (it may reveal health);
-- statuses and lapsed redirects are removed after the pack's retention.

CREATE TABLE day_statuses (
    organisation_id TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    on_date         TEXT NOT NULL,
    kind            TEXT NOT NULL,
    site_id         TEXT,
    back_at         TEXT,
    reason          TEXT NOT NULL,
    one_off         INTEGER NOT NULL,
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, person_id, on_date),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, site_id) REFERENCES sites (organisation_id, id)
);
-- The directory joins today's statuses; the retention job deletes old days.
CREATE INDEX day_statuses_date ON day_statuses (organisation_id, on_date);

-- One redirect per person; until_at NULL means no return time was given.
CREATE TABLE redirects (
    organisation_id TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    phone           TEXT NOT NULL,
    message         TEXT NOT NULL,
    until_at        TEXT,
    target          TEXT NOT NULL,
    colleague_id    TEXT,
    pack_version    INTEGER NOT NULL,
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, person_id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, colleague_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX redirects_until ON redirects (organisation_id, until_at);

-- Phone hours of a person or a unit (owner_kind 'person' or 'unit'); the
-- decision columns hold an exception decided by the approving role.
CREATE TABLE phone_hours (
    organisation_id TEXT NOT NULL,
    owner_id        TEXT NOT NULL,
    owner_kind      TEXT NOT NULL,
    pack_version    INTEGER NOT NULL,
    decided_by      TEXT NOT NULL,
    decided_by_name TEXT NOT NULL,
    decided_role    TEXT NOT NULL,
    decision_reason TEXT NOT NULL,
    decided_at      TEXT,
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, owner_id)
);

-- weekday is 1 (Monday) to 7 (Sunday); starts and ends are 'HH:MM'.
CREATE TABLE phone_sessions (
    organisation_id TEXT NOT NULL,
    owner_id        TEXT NOT NULL,
    weekday         INTEGER NOT NULL,
    starts          TEXT NOT NULL,
    ends            TEXT NOT NULL,
    PRIMARY KEY (organisation_id, owner_id, weekday, starts),
    FOREIGN KEY (organisation_id, owner_id) REFERENCES phone_hours (organisation_id, owner_id) ON DELETE CASCADE
);
CREATE INDEX phone_sessions_day ON phone_sessions (organisation_id, weekday, owner_id);

CREATE TABLE on_call_phones (
    organisation_id TEXT NOT NULL,
    id              TEXT NOT NULL,
    unit_id         TEXT NOT NULL,
    name            TEXT NOT NULL,
    number          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id)
);
CREATE INDEX on_call_phones_unit ON on_call_phones (organisation_id, unit_id);

CREATE TABLE on_call_duties (
    organisation_id TEXT NOT NULL,
    id              TEXT NOT NULL,
    phone_id        TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    starts_at       TEXT NOT NULL,
    ends_at         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, phone_id) REFERENCES on_call_phones (organisation_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX on_call_duties_phone ON on_call_duties (organisation_id, phone_id, starts_at);
CREATE INDEX on_call_duties_ends ON on_call_duties (organisation_id, ends_at);

-- keywords are newline-separated as the person wrote them; keywords_fold is
-- the folded text the directory search matches (see fold in person.go).
CREATE TABLE directory_profiles (
    organisation_id TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    keywords        TEXT NOT NULL,
    keywords_fold   TEXT NOT NULL,
    work_mobile     TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, person_id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);

-- +goose Down
DROP TABLE directory_profiles;
DROP TABLE on_call_duties;
DROP TABLE on_call_phones;
DROP TABLE phone_sessions;
DROP TABLE phone_hours;
DROP TABLE redirects;
DROP TABLE day_statuses;
