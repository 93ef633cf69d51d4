-- +goose Up
-- Monthly reports by e-mail (issue 17): a person asks for a report kind,
-- for a unit in their report scope or for all of it (unit_id ''), and
-- gets it once a month for the month before, computed as they are then.
-- sent_month ("2026-03") is the last month sent and claimed_until a
-- sender's lease, so that several instances send each month once (as the
-- notifications' e-mail claims do). No foreign key to units: a unit that
-- ends leaves the subscription to fail visibly at send time, not to
-- vanish. Keyed by organisation; the foreign key includes it; no
-- triggers.
CREATE TABLE report_subscriptions (
    organisation_id text NOT NULL,
    id              text NOT NULL,
    person_id       text NOT NULL,
    kind            text NOT NULL,
    unit_id         text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    sent_month      text NOT NULL DEFAULT '',
    claimed_until   timestamptz,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, person_id, kind, unit_id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    CHECK (kind IN ('agreements', 'office', 'incidents', 'equipment', 'training'))
);
-- The monthly round finds what is still to send in each organisation.
CREATE INDEX report_subscriptions_due ON report_subscriptions (organisation_id, sent_month);

-- +goose Down
DROP TABLE report_subscriptions;
