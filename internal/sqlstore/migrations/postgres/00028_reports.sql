-- +goose Up
-- Reports (issue 17). A follow-up's spill-over onto colleagues is free
-- text, which a report cannot count: spill_over_rating is the manager's
-- rating beside it ('none', 'some', 'considerable'), empty for every
-- follow-up recorded before it existed (counted as not rated).
ALTER TABLE agreement_follow_ups ADD COLUMN spill_over_rating text NOT NULL DEFAULT '';
-- The reports read an organisation's follow-ups of a period and its
-- employed people by unit, each an index range leading with the
-- organisation.
CREATE INDEX agreement_follow_ups_on ON agreement_follow_ups (organisation_id, on_date, agreement_id);
CREATE INDEX people_unit_employed ON people (organisation_id, unit_id, employed);

-- +goose Down
DROP INDEX people_unit_employed;
DROP INDEX agreement_follow_ups_on;
ALTER TABLE agreement_follow_ups DROP COLUMN spill_over_rating;
