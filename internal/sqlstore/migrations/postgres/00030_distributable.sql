-- +goose Up
-- Every table can be spread over the nodes of a Citus cluster by
-- organisation_id (issue 18); distribute.go does it when the citus
-- extension is there.

-- The audit head moves in the statement that appends an event (appendAudit:
-- the INSERT in a WITH, then an UPDATE of the head) rather than by a trigger,
-- which Citus cannot run on a distributed table.
DROP TRIGGER audit_events_head ON audit_events;
DROP FUNCTION audit_head_follow();

-- Sessions, API tokens and calendar feeds are found by the hash of a secret
-- that does not name its organisation (cookies, tokens in scripts and feed
-- URLs in subscribed calendars are already out there). This one lookup
-- table routes a hash to its organisation; the secret's own table is then
-- read by (organisation_id, token_hash), on one node. It is the only table
-- whose key does not lead with organisation_id: on Citus it is distributed
-- by token_hash.
CREATE TABLE token_routes (
    token_hash      text PRIMARY KEY,
    organisation_id text NOT NULL,
    kind            text NOT NULL
);
INSERT INTO token_routes (token_hash, organisation_id, kind)
    SELECT token_hash, organisation_id, 'session' FROM sessions;
INSERT INTO token_routes (token_hash, organisation_id, kind)
    SELECT token_hash, organisation_id, 'api_token' FROM api_tokens;
INSERT INTO token_routes (token_hash, organisation_id, kind)
    SELECT token_hash, organisation_id, 'calendar_feed' FROM calendar_feeds;

ALTER TABLE sessions DROP CONSTRAINT sessions_pkey;
ALTER TABLE sessions ADD PRIMARY KEY (organisation_id, token_hash);
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_token_hash_key;
ALTER TABLE api_tokens ADD UNIQUE (organisation_id, token_hash);
DROP INDEX calendar_feeds_token;
CREATE UNIQUE INDEX calendar_feeds_token ON calendar_feeds (organisation_id, token_hash);

-- +goose Down
DROP INDEX calendar_feeds_token;
CREATE UNIQUE INDEX calendar_feeds_token ON calendar_feeds (token_hash);
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_organisation_id_token_hash_key;
ALTER TABLE api_tokens ADD UNIQUE (token_hash);
ALTER TABLE sessions DROP CONSTRAINT sessions_pkey;
ALTER TABLE sessions ADD PRIMARY KEY (token_hash);
DROP TABLE token_routes;
-- +goose StatementBegin
CREATE FUNCTION audit_head_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE audit_heads SET seq = NEW.seq, hash = NEW.hash WHERE organisation_id = NEW.organisation_id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_events_head AFTER INSERT ON audit_events
    FOR EACH ROW WHEN (current_setting('distans.audit_head', true) IS DISTINCT FROM 'manual')
    EXECUTE FUNCTION audit_head_follow();
