-- +goose Up
-- person_fts holds each person's unit path (units): the IDs of the units
-- above and of their own, as tokens, so that a search narrowed to a unit's
-- subtree or a manager's scope is one FTS5 query (issue 19), where it
-- tested every match of the words on people row by row. The table is made
-- anew, empty, and the store fills it after migrating (fillFTS).
DROP TABLE person_fts;
CREATE VIRTUAL TABLE person_fts USING fts5(org, pid, units, id UNINDEXED, name_key UNINDEXED, terms, dir_terms,
    tokenize = "ascii tokenchars '@._-+'", prefix = '1 2 3 4 5 6', detail = column);

-- +goose Down
DROP TABLE person_fts;
CREATE VIRTUAL TABLE person_fts USING fts5(org, pid, id UNINDEXED, name_key UNINDEXED, terms, dir_terms,
    tokenize = "ascii tokenchars '@._-+'", prefix = '1 2 3 4 5 6', detail = column);
