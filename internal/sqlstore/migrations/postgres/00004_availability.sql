-- +goose Up
-- Availability: where people are each day, redirections, phone hours,
-- on-call phones and the telephone directory (issue 5, Sorsele 004 §1–§6).
-- day_statuses.reason is private to the person (it may reveal health);
-- statuses and lapsed redirects are removed after the pack's retention.

CREATE TABLE day_statuses (
    organisation_id text NOT NULL,
    person_id       text NOT NULL,
    on_date         date NOT NULL,
    kind            text NOT NULL,
    site_id         text,
    back_at         timestamptz,
    reason          text NOT NULL,
    one_off         boolean NOT NULL,
    updated_by      text NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, person_id, on_date),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, site_id) REFERENCES sites (organisation_id, id)
);
-- The directory joins today's statuses; the retention job deletes old days.
CREATE INDEX day_statuses_date ON day_statuses (organisation_id, on_date);

-- One redirect per person; until_at NULL means no return time was given.
CREATE TABLE redirects (
    organisation_id text NOT NULL,
    person_id       text NOT NULL,
    phone           text NOT NULL,
    message         text NOT NULL,
    until_at        timestamptz,
    target          text NOT NULL,
    colleague_id    text,
    pack_version    integer NOT NULL,
    updated_by      text NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, person_id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, colleague_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX redirects_until ON redirects (organisation_id, until_at);

-- Phone hours of a person or a unit (owner_kind 'person' or 'unit'); the
-- decision columns hold an exception decided by the approving role.
CREATE TABLE phone_hours (
    organisation_id text NOT NULL,
    owner_id        text NOT NULL,
    owner_kind      text NOT NULL,
    pack_version    integer NOT NULL,
    decided_by      text NOT NULL,
    decided_by_name text NOT NULL,
    decided_role    text NOT NULL,
    decision_reason text NOT NULL,
    decided_at      timestamptz,
    updated_by      text NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, owner_id)
);

-- weekday is 1 (Monday) to 7 (Sunday); starts and ends are 'HH:MM'.
CREATE TABLE phone_sessions (
    organisation_id text NOT NULL,
    owner_id        text NOT NULL,
    weekday         smallint NOT NULL,
    starts          text NOT NULL,
    ends            text NOT NULL,
    PRIMARY KEY (organisation_id, owner_id, weekday, starts),
    FOREIGN KEY (organisation_id, owner_id) REFERENCES phone_hours (organisation_id, owner_id) ON DELETE CASCADE
);
CREATE INDEX phone_sessions_day ON phone_sessions (organisation_id, weekday, owner_id);

CREATE TABLE on_call_phones (
    organisation_id text NOT NULL,
    id              text NOT NULL,
    unit_id         text NOT NULL,
    name            text NOT NULL,
    number          text NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id)
);
CREATE INDEX on_call_phones_unit ON on_call_phones (organisation_id, unit_id);

CREATE TABLE on_call_duties (
    organisation_id text NOT NULL,
    id              text NOT NULL,
    phone_id        text NOT NULL,
    person_id       text NOT NULL,
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, phone_id) REFERENCES on_call_phones (organisation_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX on_call_duties_phone ON on_call_duties (organisation_id, phone_id, starts_at);
CREATE INDEX on_call_duties_ends ON on_call_duties (organisation_id, ends_at);

-- keywords are newline-separated as the person wrote them; keywords_fold is
-- the folded text the directory search matches (see fold in person.go).
CREATE TABLE directory_profiles (
    organisation_id text NOT NULL,
    person_id       text NOT NULL,
    keywords        text NOT NULL,
    keywords_fold   text NOT NULL,
    work_mobile     text NOT NULL,
    updated_at      timestamptz NOT NULL,
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
