-- +goose Up
-- Notifications (issue 4): a message to one person, shown in Distans and
-- e-mailed when SMTP is configured. The key names the occasion and the
-- recipient, unique per organisation, so that a state change or a reminder
-- scan notifies once however often and on however many instances it runs.

CREATE TABLE notifications (
    organisation_id     text NOT NULL,
    id                  text NOT NULL,
    person_id           text NOT NULL,
    key                 text NOT NULL,
    kind                text NOT NULL,
    params              text NOT NULL DEFAULT '{}',
    link                text NOT NULL DEFAULT '',
    created_at          timestamptz NOT NULL,
    read_at             timestamptz,
    emailed_at          timestamptz,
    email_claimed_until timestamptz,
    email_attempts      integer NOT NULL DEFAULT 0,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
CREATE UNIQUE INDEX notifications_key ON notifications (organisation_id, key);
CREATE INDEX notifications_person ON notifications (organisation_id, person_id, created_at);
-- The mailer's queue: only what is still to be e-mailed.
CREATE INDEX notifications_unsent ON notifications (email_claimed_until) WHERE emailed_at IS NULL;

-- +goose Down
DROP TABLE notifications;
