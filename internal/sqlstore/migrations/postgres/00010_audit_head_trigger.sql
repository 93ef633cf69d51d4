-- +goose Up
-- An audit event is appended in one statement that reads the chain's head
-- and inserts the event after it; this trigger moves the head to the event
-- in the same statement, so that the head's row lock is held for one round
-- trip and the commit.
-- +goose StatementBegin
CREATE FUNCTION audit_head_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE audit_heads SET seq = NEW.seq, hash = NEW.hash WHERE organisation_id = NEW.organisation_id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_events_head AFTER INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_head_follow();

-- +goose Down
DROP TRIGGER audit_events_head ON audit_events;
DROP FUNCTION audit_head_follow();
