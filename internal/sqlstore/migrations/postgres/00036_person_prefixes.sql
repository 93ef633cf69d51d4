-- +goose Up
-- A search's matches in name order from one btree range (issue 19; see
-- search_prefix.go). A row says that a word of the person begins with
-- prefix (its first 1 to 6 letters): in the register's words
-- (people.terms) when lists has bit 1, in the directory's (people.dir_terms
-- of the employed) when it has bit 2. A search of one word that nothing
-- but the organisation narrows reads it. A prefix in one list only is a range
-- of its own, so that a search of one list never passes the other's rows
-- (the register's "enh" would pass every unit's "enhet"). name_key and the
-- person's ID follow the prefix and list, so that a page reads 26 entries
-- of one range in name order and a count stops at 201. The store writes
-- the rows with the words, in the same transaction (indexPeople), and
-- fills them for existing people when the table is empty (fillPrefixes).
CREATE TABLE person_prefixes (
    organisation_id text NOT NULL,
    prefix          text COLLATE "C" NOT NULL,
    lists           smallint NOT NULL,
    name_key        text COLLATE "C" NOT NULL,
    person_id       text NOT NULL,
    PRIMARY KEY (organisation_id, prefix, lists, name_key, person_id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id) ON DELETE CASCADE
);
-- A person's rows, to compare with those their words want.
CREATE INDEX person_prefixes_person ON person_prefixes (organisation_id, person_id);
-- The words' GIN indexes of 00019 stay: a search narrowed to a unit or a
-- manager's subtree ANDs them with the unit's paths, and one of several
-- words the words', where a prefix's range would look up every match's
-- person to test the unit or the other words.

-- +goose Down
DROP TABLE person_prefixes;
