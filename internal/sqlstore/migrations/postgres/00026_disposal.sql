-- +goose Up
-- Disposal (gallring, issue 17): the log of what was disposed of, one row
-- per batch (when, who or the system, which type, how many, the period
-- and the cutoff); the holds that keep records past their period during
-- an investigation; and when each organisation's disposal last ran, so
-- that the job, which the rounds call every few minutes, reads one row and
-- does nothing until a day has passed. Keyed by organisation; the foreign
-- keys include it; no triggers.

CREATE TABLE disposal_log (
    organisation_id text NOT NULL REFERENCES organisations (id),
    id              text NOT NULL,
    at              timestamptz NOT NULL,
    actor_id        text NOT NULL,
    actor_name      text NOT NULL,
    type            text NOT NULL,
    how             text NOT NULL,
    count           integer NOT NULL,
    amount          integer NOT NULL,
    unit            text NOT NULL,
    cutoff          timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id)
);
CREATE INDEX disposal_log_at ON disposal_log (organisation_id, at);

CREATE TABLE disposal_holds (
    organisation_id  text NOT NULL,
    id               text NOT NULL,
    person_id        text,
    type             text NOT NULL,
    reason           text NOT NULL,
    placed_by        text NOT NULL,
    placed_by_name   text NOT NULL,
    placed_at        timestamptz NOT NULL,
    released_at      timestamptz,
    released_by_name text NOT NULL DEFAULT '',
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, placed_by) REFERENCES people (organisation_id, id)
);
-- Disposal reads the open holds of the organisation.
CREATE INDEX disposal_holds_open ON disposal_holds (organisation_id, person_id) WHERE released_at IS NULL;

CREATE TABLE disposal_runs (
    organisation_id text PRIMARY KEY REFERENCES organisations (id),
    ran_at          timestamptz NOT NULL
);

-- +goose Down
DROP TABLE disposal_runs;
DROP TABLE disposal_holds;
DROP TABLE disposal_log;
