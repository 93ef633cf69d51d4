-- +goose Up
-- person_fts's rowids follow the people's names (issue 19, see
-- search_order.go), so that FTS5 returns a search's matches in name order
-- and a page stops after some thirty of them. The rowids are computed in
-- Go: the table is made anew, empty, and the store fills it from
-- people.terms and people.dir_terms after migrating (fillFTS).
DROP TABLE person_fts;
CREATE VIRTUAL TABLE person_fts USING fts5(org, pid, id UNINDEXED, name_key UNINDEXED, terms, dir_terms,
    tokenize = "ascii tokenchars '@._-+'", prefix = '1 2 3 4 5 6', detail = column);

-- +goose Down
CREATE VIRTUAL TABLE person_fts_old USING fts5(org, pid, id UNINDEXED, terms, dir_terms,
    tokenize = "ascii tokenchars '@._-+'", prefix = '1 2 3 4 5 6', detail = column);
-- hex() is ftsToken's hex in capitals, which the ascii tokenizer folds.
INSERT INTO person_fts_old (org, pid, id, terms, dir_terms)
    SELECT hex(organisation_id), hex(id), id, terms, dir_terms FROM people WHERE terms != '';
DROP TABLE person_fts;
ALTER TABLE person_fts_old RENAME TO person_fts;
