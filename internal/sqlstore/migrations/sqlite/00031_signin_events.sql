-- +goose Up
-- The sign-in log (issue 17): every sign-in and failed attempt, kept
-- outside the hash-chained audit trail so that it can be disposed of after
-- the organisation's period (Kristianstads kommun, Instruktion för digital
-- kommunikation, Kontroll av IT-användning: 90 days, longer while an
-- investigation holds it). Sign-ins recorded in the audit trail before
-- this table existed stay there: removing them would break the chain.
-- Keyed by organisation; the foreign key includes it; no triggers.

CREATE TABLE signin_events (
    organisation_id TEXT NOT NULL,
    id              TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    at              TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    method          TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    user_agent      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
-- The organisation's log and disposal, oldest or newest first.
CREATE INDEX signin_events_at ON signin_events (organisation_id, at, id);
-- One person's sign-ins.
CREATE INDEX signin_events_person ON signin_events (organisation_id, person_id, at, id);

-- +goose Down
DROP TABLE signin_events;
