-- +goose Up
-- The words each person is found by (name, e-mail and its parts, title,
-- employee number), folded in Go like people.search, so that a search for a
-- word prefix is an index range instead of a scan of every person. The
-- store fills it on every change of a person and rebuilds it when empty.
CREATE TABLE person_terms (
    organisation_id TEXT NOT NULL,
    term            TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    PRIMARY KEY (organisation_id, term, person_id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX person_terms_person ON person_terms (organisation_id, person_id);

-- +goose Down
DROP TABLE person_terms;
