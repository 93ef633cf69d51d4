-- +goose Up
-- A site's layout version counts the changes to its zones and desks, so
-- that an instance may keep the layout in memory and read only the version
-- and the day's bookings for the site's availability.
ALTER TABLE sites ADD COLUMN layout_version INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE sites DROP COLUMN layout_version;
