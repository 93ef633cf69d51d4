-- +goose Up
-- people.employed says the person has an employment today (in the
-- organisation's day), as the placement beside it does: it is computed
-- with the unit and title (placementOf) and changes on the days refresh_on
-- names. The directory lists the employed by it, a column of the row its
-- search already reads, where it asked the employments of every match.
-- Filled here for the UTC day; a person whose employment begins or ends
-- between that day and the organisation's has refresh_on on it, and is
-- placed again when read.
ALTER TABLE people ADD COLUMN employed boolean NOT NULL DEFAULT 0;
UPDATE people SET employed = 1 WHERE EXISTS (SELECT 1 FROM employments e
    WHERE e.organisation_id = people.organisation_id AND e.person_id = people.id
    AND e.starts_on <= date('now') AND (e.ends_on IS NULL OR e.ends_on >= date('now')));
-- The walk in name order tests it without reading the table.
DROP INDEX people_name;
CREATE INDEX people_name ON people (organisation_id, name_key, id, search, unit_path, terms, dir_terms, employed);

-- +goose Down
DROP INDEX people_name;
CREATE INDEX people_name ON people (organisation_id, name_key, id, search, unit_path, terms, dir_terms);
ALTER TABLE people DROP COLUMN employed;
