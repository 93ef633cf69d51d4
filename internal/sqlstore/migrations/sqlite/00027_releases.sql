-- +goose Up
-- Release of a public document (issue 17): a request for a copy of a
-- registered case and the registrator's decision on it after the secrecy
-- review, recorded together. The case is one of three (exactly one of
-- agreement_id, incident_id, loss_id, as case_kind says), each a foreign
-- key with the organisation. The decision is a document of the case and
-- carries its registration number (case_number, as it was then). released
-- is the copy as released (JSON): the masked fields are in it without
-- their values, so no masked value is ever stored here. The maskings are
-- rows of their own, each with the provision it cites and the citation as
-- it read when the decision was made. Keyed by organisation; the foreign
-- keys include it; no triggers.

CREATE TABLE release_requests (
    organisation_id   TEXT NOT NULL,
    id                TEXT NOT NULL,
    case_kind         TEXT NOT NULL,
    agreement_id      TEXT,
    incident_id       TEXT,
    loss_id           TEXT,
    case_number       TEXT NOT NULL,
    requester         TEXT NOT NULL DEFAULT '',
    requested_on      TEXT NOT NULL,
    outcome           TEXT NOT NULL,
    refusal_provision TEXT NOT NULL DEFAULT '',
    refusal_citation  TEXT NOT NULL DEFAULT '',
    delegation        TEXT NOT NULL DEFAULT '',
    note              TEXT NOT NULL DEFAULT '',
    released          TEXT NOT NULL DEFAULT '[]',
    decided_by        TEXT NOT NULL,
    decided_at        TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, agreement_id) REFERENCES agreements (organisation_id, id),
    FOREIGN KEY (organisation_id, incident_id) REFERENCES incidents (organisation_id, id),
    FOREIGN KEY (organisation_id, loss_id) REFERENCES equipment_losses (organisation_id, id),
    FOREIGN KEY (organisation_id, decided_by) REFERENCES people (organisation_id, id),
    CHECK (outcome IN ('full', 'partial', 'refused')),
    CHECK ((case_kind = 'agreement' AND agreement_id IS NOT NULL AND incident_id IS NULL AND loss_id IS NULL)
        OR (case_kind = 'incident' AND incident_id IS NOT NULL AND agreement_id IS NULL AND loss_id IS NULL)
        OR (case_kind = 'equipment_loss' AND loss_id IS NOT NULL AND agreement_id IS NULL AND incident_id IS NULL))
);
-- The registrator's latest decisions.
CREATE INDEX release_requests_decided ON release_requests (organisation_id, decided_at);
-- A case's decisions.
CREATE INDEX release_requests_agreement ON release_requests (organisation_id, agreement_id) WHERE agreement_id IS NOT NULL;
CREATE INDEX release_requests_incident ON release_requests (organisation_id, incident_id) WHERE incident_id IS NOT NULL;
CREATE INDEX release_requests_loss ON release_requests (organisation_id, loss_id) WHERE loss_id IS NOT NULL;

CREATE TABLE release_maskings (
    organisation_id TEXT NOT NULL,
    request_id      TEXT NOT NULL,
    field           TEXT NOT NULL,
    position        INTEGER NOT NULL,
    provision       TEXT NOT NULL,
    citation        TEXT NOT NULL,
    PRIMARY KEY (organisation_id, request_id, field),
    FOREIGN KEY (organisation_id, request_id) REFERENCES release_requests (organisation_id, id)
);

-- +goose Down
DROP TABLE release_maskings;
DROP TABLE release_requests;
