-- +goose Up
-- Search by each database's own text index (issue 19). people.terms holds
-- the words a person is found by in the register, people.dir_terms those
-- and the words of their unit and keywords for the directory, as
-- " w1 w2 … " (see search.go); person_fts indexes both for prefix queries.
-- The store fills them for existing people after migrating (reindexAll)
-- and keeps them in the transaction of every change.
ALTER TABLE people ADD COLUMN terms TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN dir_terms TEXT NOT NULL DEFAULT '';
-- org and pid are the organisation and person IDs as one token each (hex):
-- every query names org, and a person's row is replaced by pid. id is the
-- person's ID as stored. The ascii tokenizer keeps the words as the store
-- split them (letters, digits and an e-mail address's @._-+, folded in Go); detail=column is what
-- column filters need and no more; prefix indexes serve prefixes of 1–4
-- letters, the switchboard's most common, which would otherwise merge the
-- lists of every word that begins with them.
CREATE VIRTUAL TABLE person_fts USING fts5(org, pid, id UNINDEXED, terms, dir_terms,
    tokenize = "ascii tokenchars '@._-+'", prefix = '1 2 3 4', detail = column);
DROP TABLE person_terms;
-- people_name covers a search's walk in name order as well: the words are
-- tested without reading the table.
DROP INDEX people_name;
CREATE INDEX people_name ON people (organisation_id, name_key, id, search, unit_path, terms, dir_terms);
-- Keywords are found through dir_terms now.
ALTER TABLE directory_profiles DROP COLUMN keywords_fold;

-- +goose Down
DROP INDEX people_name;
CREATE INDEX people_name ON people (organisation_id, name_key, id, search, unit_path);
ALTER TABLE directory_profiles ADD COLUMN keywords_fold TEXT NOT NULL DEFAULT '';
CREATE TABLE person_terms (
    organisation_id TEXT NOT NULL,
    term            TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    PRIMARY KEY (organisation_id, term, person_id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX person_terms_person ON person_terms (organisation_id, person_id);
DROP TABLE person_fts;
ALTER TABLE people DROP COLUMN dir_terms;
ALTER TABLE people DROP COLUMN terms;
