-- +goose Up
-- One's own data (GDPR art. 15 and 20, issue 17): the log of requests for
-- a person's own data, by the person or by HR for them, each with the day
-- it is due (one month, art. 12.3) and when it was delivered. The export
-- itself is not kept: it is read afresh at each download, so no second
-- copy of a person's data (their personal identity number included) lies
-- here. Keyed by organisation; the foreign keys include it; no triggers.

CREATE TABLE data_requests (
    organisation_id TEXT NOT NULL,
    id              TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    requested_by    TEXT NOT NULL,
    requested_at    TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    delivered_at    TEXT,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, requested_by) REFERENCES people (organisation_id, id)
);
-- A person's requests, newest first.
CREATE INDEX data_requests_person ON data_requests (organisation_id, person_id, requested_at);
-- HR's open requests, earliest due first.
CREATE INDEX data_requests_open ON data_requests (organisation_id, due_on) WHERE delivered_at IS NULL;

-- +goose Down
DROP TABLE data_requests;
