-- +goose Up
-- Search by each database's own text index (issue 19). people.terms holds
-- the words a person is found by in the register, people.dir_terms those
-- and the words of their unit and keywords for the directory, as
-- " w1 w2 … " (see search.go). A GIN index over each, as a tsvector of
-- exactly those words (no parser, no dictionary: the store split and
-- folded them), answers prefix tsqueries ('ost':*); built-in, so no
-- extension is needed on a plain PostgreSQL. The GIN indexes do not lead
-- with organisation_id (that needs btree_gin); every query names it, and
-- a distributed table keeps non-unique indexes per shard.
ALTER TABLE people ADD COLUMN terms text NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN dir_terms text NOT NULL DEFAULT '';
CREATE INDEX people_terms ON people USING gin (array_to_tsvector(string_to_array(btrim(terms), ' ')));
CREATE INDEX people_dir_terms ON people USING gin (array_to_tsvector(string_to_array(btrim(dir_terms), ' ')));
DROP TABLE person_terms;
-- people_name covers a search's walk in name order as well: the words are
-- tested without reading the table.
DROP INDEX people_name;
CREATE INDEX people_name ON people (organisation_id, name_key, id) INCLUDE (search, unit_path, terms, dir_terms);
-- Keywords are found through dir_terms now.
ALTER TABLE directory_profiles DROP COLUMN keywords_fold;

-- +goose Down
DROP INDEX people_name;
CREATE INDEX people_name ON people (organisation_id, name_key, id) INCLUDE (search, unit_path);
ALTER TABLE directory_profiles ADD COLUMN keywords_fold text NOT NULL DEFAULT '';
CREATE TABLE person_terms (
    organisation_id text NOT NULL,
    term            text NOT NULL,
    person_id       text NOT NULL,
    PRIMARY KEY (organisation_id, term, person_id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX person_terms_person ON person_terms (organisation_id, person_id);
DROP INDEX people_dir_terms;
DROP INDEX people_terms;
ALTER TABLE people DROP COLUMN dir_terms;
ALTER TABLE people DROP COLUMN terms;
