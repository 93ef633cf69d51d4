-- +goose Up
-- The lookup of sessions, API tokens and calendar feeds by the hash of a
-- secret that does not name its organisation goes through token_routes on
-- every database, so that one text of SQL serves all (see the PostgreSQL
-- migration of the same number). SQLite keeps its audit-head trigger: it is
-- never distributed, and it has no UPDATE inside a WITH.
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

-- +goose Down
DROP TABLE token_routes;
