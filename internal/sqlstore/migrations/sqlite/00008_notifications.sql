-- +goose Up
-- Notifications (issue 4): a message to one person, shown in Distans and
-- e-mailed when SMTP is configured. The key names the occasion and the
-- recipient, unique per organisation, so that a state change or a reminder
-- scan notifies once however often and on however many instances it runs.

CREATE TABLE notifications (
    organisation_id     TEXT NOT NULL,
    id                  TEXT NOT NULL,
    person_id           TEXT NOT NULL,
    key                 TEXT NOT NULL,
    kind                TEXT NOT NULL,
    params              TEXT NOT NULL DEFAULT '{}',
    link                TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    read_at             TEXT,
    emailed_at          TEXT,
    email_claimed_until TEXT,
    email_attempts      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
CREATE UNIQUE INDEX notifications_key ON notifications (organisation_id, key);
CREATE INDEX notifications_person ON notifications (organisation_id, person_id, created_at);
-- The mailer's queue: only what is still to be e-mailed.
CREATE INDEX notifications_unsent ON notifications (email_claimed_until) WHERE emailed_at IS NULL;

-- +goose Down
DROP TABLE notifications;
