-- +goose Up
-- An audit event is appended in one statement that reads the chain's head
-- and inserts the event after it; this trigger moves the head to the event
-- in the same statement.
-- +goose StatementBegin
CREATE TRIGGER audit_events_head AFTER INSERT ON audit_events
BEGIN
    UPDATE audit_heads SET seq = NEW.seq, hash = NEW.hash WHERE organisation_id = NEW.organisation_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_events_head;
