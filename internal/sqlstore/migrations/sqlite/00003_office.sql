-- +goose Up
-- The hybrid office: zones of a site, desks in zones, booking rules per
-- site, bookings, and team days. booking_slots holds one row per half day
-- an active booking occupies (a full day holds two); its unique indexes are
-- what makes a double booking impossible, for the desk and for the person.
-- A booking that is cancelled or released deletes its slots; the bookings
-- row stays as history.

CREATE TABLE office_zones (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    id              TEXT NOT NULL,
    site_id         TEXT NOT NULL,
    name            TEXT NOT NULL,
    floor           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, site_id) REFERENCES sites (organisation_id, id)
);
CREATE INDEX office_zones_site ON office_zones (organisation_id, site_id, name);

-- site_id is the zone's site, copied so that a site's desks are one index
-- range; a desk moves only between zones of its site.
CREATE TABLE desks (
    organisation_id   TEXT NOT NULL,
    id                TEXT NOT NULL,
    site_id           TEXT NOT NULL,
    zone_id           TEXT NOT NULL,
    label             TEXT NOT NULL,
    screens           INTEGER NOT NULL,
    height_adjustable INTEGER NOT NULL,
    quiet             INTEGER NOT NULL,
    accessible        INTEGER NOT NULL,
    ended_on          TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, zone_id) REFERENCES office_zones (organisation_id, id),
    FOREIGN KEY (organisation_id, site_id) REFERENCES sites (organisation_id, id)
);
CREATE UNIQUE INDEX desks_label ON desks (organisation_id, zone_id, label);
CREATE INDEX desks_site ON desks (organisation_id, site_id, zone_id, label);

-- release_at and pm_release_at are minutes after local midnight.
CREATE TABLE booking_rules (
    organisation_id    TEXT NOT NULL,
    site_id            TEXT NOT NULL,
    horizon_days       INTEGER NOT NULL,
    max_per_week       INTEGER NOT NULL,
    check_in_required  INTEGER NOT NULL,
    release_at         INTEGER NOT NULL,
    pm_release_at      INTEGER NOT NULL,
    congestion_percent INTEGER NOT NULL,
    updated_at         TEXT NOT NULL,
    PRIMARY KEY (organisation_id, site_id),
    FOREIGN KEY (organisation_id, site_id) REFERENCES sites (organisation_id, id)
);

-- site_id is the desk's site, copied for the availability of a site's day.
CREATE TABLE bookings (
    organisation_id TEXT NOT NULL,
    id              TEXT NOT NULL,
    site_id         TEXT NOT NULL,
    desk_id         TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    booked_by       TEXT NOT NULL,
    date            TEXT NOT NULL,
    part            TEXT NOT NULL,
    status          TEXT NOT NULL,
    series_id       TEXT NOT NULL,
    checked_in_at   TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, desk_id) REFERENCES desks (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
-- A site's day (availability), and a day across sites (team bookings);
-- it covers the availability query.
CREATE INDEX bookings_date ON bookings (organisation_id, date, site_id, status, desk_id, part, person_id, id);
-- A person's bookings by date (the weekly maximum, "my bookings").
CREATE INDEX bookings_person ON bookings (organisation_id, person_id, date);

CREATE TABLE booking_slots (
    organisation_id TEXT NOT NULL,
    booking_id      TEXT NOT NULL,
    half            TEXT NOT NULL,
    desk_id         TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    date            TEXT NOT NULL,
    PRIMARY KEY (organisation_id, booking_id, half),
    FOREIGN KEY (organisation_id, booking_id) REFERENCES bookings (organisation_id, id)
);
CREATE UNIQUE INDEX booking_slots_desk ON booking_slots (organisation_id, desk_id, date, half);
CREATE UNIQUE INDEX booking_slots_person ON booking_slots (organisation_id, person_id, date, half);

CREATE TABLE team_days (
    organisation_id TEXT NOT NULL,
    id              TEXT NOT NULL,
    unit_id         TEXT NOT NULL,
    date            TEXT NOT NULL,
    note            TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id)
);
CREATE UNIQUE INDEX team_days_unit ON team_days (organisation_id, unit_id, date);

-- +goose Down
DROP TABLE team_days;
DROP TABLE booking_slots;
DROP TABLE bookings;
DROP TABLE booking_rules;
DROP TABLE desks;
DROP TABLE office_zones;
