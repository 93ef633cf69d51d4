-- +goose Up
-- Audit events written where waiting for the chain's head would make every
-- writer in the organisation queue (a booking, on PostgreSQL): the event is
-- stored here in the change's own statement and sealed into the hash chain
-- moments later, in batches, by the job chain_audit or by whoever reads the
-- trail first. No foreign key to organisations: every racing booker would
-- lock the organisation's row to check it; sealing into audit_events does.
CREATE TABLE audit_pending (
    organisation_id text NOT NULL,
    id              text NOT NULL,
    actor_id        text NOT NULL,
    actor_name      text NOT NULL,
    action          text NOT NULL,
    record_type     text NOT NULL,
    record_id       text NOT NULL,
    summary         text NOT NULL,
    at              timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id)
);

-- +goose Down
DROP TABLE audit_pending;
