-- +goose Up
-- One's own data (GDPR art. 15 and 20, issue 17): the log of requests for
-- a person's own data, by the person or by HR for them, each with the day
-- it is due (one month, art. 12.3) and when it was delivered. The export
-- itself is not kept: it is read afresh at each download, so no second
-- copy of a person's data (their personal identity number included) lies
-- here. Keyed by organisation; the foreign keys include it; no triggers.

CREATE TABLE data_requests (
    organisation_id text NOT NULL,
    id              text NOT NULL,
    person_id       text NOT NULL,
    requested_by    text NOT NULL,
    requested_at    timestamptz NOT NULL,
    due_on          date NOT NULL,
    delivered_at    timestamptz,
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
