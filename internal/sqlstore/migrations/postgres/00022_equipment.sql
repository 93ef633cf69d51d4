-- +goose Up
-- Equipment (issue 15): the registry of items and the organisation's
-- models; handovers (an issue of items, signed by the person over the
-- items and the terms text and version) and returns (signed too); loss
-- reports and their steps (Sorsele 004 §8.1), with the police report's
-- copy kept here as bytes; trips abroad with equipment; and the return
-- tasks the job makes when a long leave begins or an employment ends.
-- What was signed is copied into the handover's, return's and loss's own
-- item rows, so that a later change of an item never changes a signed
-- record. Every table leads with organisation_id; every unique and
-- foreign key includes it; there are no triggers.

CREATE TABLE equipment_models (
    organisation_id text NOT NULL REFERENCES organisations (id),
    id              text NOT NULL,
    category        text NOT NULL,
    name            text NOT NULL,
    manufacturer    text NOT NULL DEFAULT '',
    retired         boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id)
);
CREATE UNIQUE INDEX equipment_models_name ON equipment_models (organisation_id, category, name);

-- The organisation's equipment settings: which published policy document
-- is its equipment terms (every acceptance signs its current version).
CREATE TABLE equipment_settings (
    organisation_id   text PRIMARY KEY REFERENCES organisations (id),
    terms_document_id text NOT NULL,
    updated_at        timestamptz NOT NULL
);

CREATE TABLE equipment_handovers (
    organisation_id   text NOT NULL,
    id                text NOT NULL,
    person_id         text NOT NULL,
    issued_by_id      text NOT NULL,
    issued_at         timestamptz NOT NULL,
    note              text NOT NULL DEFAULT '',
    state             text NOT NULL,
    terms_document_id text NOT NULL,
    terms_title       text NOT NULL,
    terms_version     integer NOT NULL,
    terms_body        text NOT NULL,
    -- The person's signature (distans.Signature as JSON) once accepted.
    acceptance        text,
    accepted_at       timestamptz,
    reminded_at       timestamptz,
    version           integer NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, issued_by_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX equipment_handovers_person ON equipment_handovers (organisation_id, person_id, issued_at);
-- Pending acceptances, for IT's and the managers' lists and the reminder job.
CREATE INDEX equipment_handovers_pending ON equipment_handovers (organisation_id, issued_at)
    WHERE state = 'pending';

-- asset_key is distans.SortKey(asset_tag), the list's keyset order.
-- holder_id and handover_id are set while the item is issued.
CREATE TABLE equipment_items (
    organisation_id text NOT NULL,
    id              text NOT NULL,
    category        text NOT NULL,
    model_id        text,
    serial          text NOT NULL DEFAULT '',
    asset_tag       text NOT NULL DEFAULT '',
    asset_key       text COLLATE "C" NOT NULL DEFAULT '',
    phone_number    text NOT NULL DEFAULT '',
    in_phone_id     text,
    unit_id         text NOT NULL,
    purchased_on    date,
    status          text NOT NULL,
    holder_id       text,
    handover_id     text,
    note            text NOT NULL DEFAULT '',
    version         integer NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, model_id) REFERENCES equipment_models (organisation_id, id),
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id),
    FOREIGN KEY (organisation_id, holder_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, handover_id) REFERENCES equipment_handovers (organisation_id, id),
    FOREIGN KEY (organisation_id, in_phone_id) REFERENCES equipment_items (organisation_id, id)
);
CREATE INDEX equipment_items_asset ON equipment_items (organisation_id, asset_key, id);
CREATE UNIQUE INDEX equipment_items_asset_tag ON equipment_items (organisation_id, asset_tag) WHERE asset_tag <> '';
CREATE UNIQUE INDEX equipment_items_serial ON equipment_items (organisation_id, serial) WHERE serial <> '';
CREATE UNIQUE INDEX equipment_items_number ON equipment_items (organisation_id, phone_number) WHERE phone_number <> '';
CREATE INDEX equipment_items_holder ON equipment_items (organisation_id, holder_id) WHERE holder_id IS NOT NULL;
CREATE INDEX equipment_items_unit ON equipment_items (organisation_id, unit_id, status);
CREATE INDEX equipment_items_in_phone ON equipment_items (organisation_id, in_phone_id) WHERE in_phone_id IS NOT NULL;

-- The items of a handover as they were handed over: what the signature covers.
CREATE TABLE equipment_handover_items (
    organisation_id text NOT NULL,
    handover_id     text NOT NULL,
    item_id         text NOT NULL,
    position        integer NOT NULL,
    category        text NOT NULL,
    model_name      text NOT NULL DEFAULT '',
    serial          text NOT NULL DEFAULT '',
    asset_tag       text NOT NULL DEFAULT '',
    phone_number    text NOT NULL DEFAULT '',
    PRIMARY KEY (organisation_id, handover_id, item_id),
    FOREIGN KEY (organisation_id, handover_id) REFERENCES equipment_handovers (organisation_id, id),
    FOREIGN KEY (organisation_id, item_id) REFERENCES equipment_items (organisation_id, id)
);
CREATE INDEX equipment_handover_items_item ON equipment_handover_items (organisation_id, item_id);

CREATE TABLE equipment_returns (
    organisation_id text NOT NULL,
    id              text NOT NULL,
    person_id       text NOT NULL,
    recorded_by_id  text NOT NULL,
    recorded_at     timestamptz NOT NULL,
    -- The person's or their manager's signature (distans.Signature as JSON).
    signature       text,
    signed_at       timestamptz,
    version         integer NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, recorded_by_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX equipment_returns_person ON equipment_returns (organisation_id, person_id, recorded_at);

CREATE TABLE equipment_returned_items (
    organisation_id text NOT NULL,
    return_id       text NOT NULL,
    item_id         text NOT NULL,
    position        integer NOT NULL,
    category        text NOT NULL,
    model_name      text NOT NULL DEFAULT '',
    serial          text NOT NULL DEFAULT '',
    asset_tag       text NOT NULL DEFAULT '',
    phone_number    text NOT NULL DEFAULT '',
    condition       text NOT NULL,
    note            text NOT NULL DEFAULT '',
    PRIMARY KEY (organisation_id, return_id, item_id),
    FOREIGN KEY (organisation_id, return_id) REFERENCES equipment_returns (organisation_id, id),
    FOREIGN KEY (organisation_id, item_id) REFERENCES equipment_items (organisation_id, id)
);
CREATE INDEX equipment_returned_items_item ON equipment_returned_items (organisation_id, item_id);

-- The loss report's registration number per organisation and year:
-- "FÖR 2026/0003", from the counter row updated in the reporting transaction.
CREATE TABLE equipment_loss_numbers (
    organisation_id text NOT NULL REFERENCES organisations (id),
    year            integer NOT NULL,
    last            integer NOT NULL,
    PRIMARY KEY (organisation_id, year)
);

CREATE TABLE equipment_losses (
    organisation_id    text NOT NULL,
    id                 text NOT NULL,
    year               integer NOT NULL,
    seq                integer NOT NULL,
    number             text NOT NULL,
    kind               text NOT NULL,
    person_id          text NOT NULL,
    reported_by_id     text NOT NULL,
    occurred_at        timestamptz,
    discovered_at      timestamptz NOT NULL,
    place              text NOT NULL,
    outside_premises   boolean NOT NULL DEFAULT false,
    description        text NOT NULL,
    incident_id        text,
    -- The manager's negligence assessment (Bjurholm 002 §6), once made.
    gross_negligence   boolean,
    assessment_reasons text NOT NULL DEFAULT '',
    assessed_by_id     text,
    assessed_at        timestamptz,
    state              text NOT NULL,
    pack_version       integer NOT NULL DEFAULT 0,
    version            integer NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    closed_at          timestamptz,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, reported_by_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, assessed_by_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, incident_id) REFERENCES incidents (organisation_id, id)
);
CREATE UNIQUE INDEX equipment_losses_seq ON equipment_losses (organisation_id, year, seq);
CREATE INDEX equipment_losses_person ON equipment_losses (organisation_id, person_id, created_at);
CREATE INDEX equipment_losses_open ON equipment_losses (organisation_id, created_at) WHERE state = 'open';

CREATE TABLE equipment_loss_items (
    organisation_id text NOT NULL,
    loss_id         text NOT NULL,
    item_id         text NOT NULL,
    position        integer NOT NULL,
    category        text NOT NULL,
    model_name      text NOT NULL DEFAULT '',
    serial          text NOT NULL DEFAULT '',
    asset_tag       text NOT NULL DEFAULT '',
    phone_number    text NOT NULL DEFAULT '',
    PRIMARY KEY (organisation_id, loss_id, item_id),
    FOREIGN KEY (organisation_id, loss_id) REFERENCES equipment_losses (organisation_id, id),
    FOREIGN KEY (organisation_id, item_id) REFERENCES equipment_items (organisation_id, id)
);
CREATE INDEX equipment_loss_items_item ON equipment_loss_items (organisation_id, item_id);

-- The police report's copy and other evidence, the bytes in the database.
CREATE TABLE equipment_loss_attachments (
    organisation_id text NOT NULL,
    id              text NOT NULL,
    loss_id         text NOT NULL,
    name            text NOT NULL,
    content_type    text NOT NULL,
    size            bigint NOT NULL,
    sha256          text NOT NULL,
    content         bytea NOT NULL,
    created_by_id   text NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, loss_id) REFERENCES equipment_losses (organisation_id, id),
    FOREIGN KEY (organisation_id, created_by_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX equipment_loss_attachments_loss ON equipment_loss_attachments (organisation_id, loss_id);

-- The steps of the procedure, from the pack: who, by when, and once done
-- who did it, when and the evidence, or why it was skipped.
CREATE TABLE equipment_loss_steps (
    organisation_id text NOT NULL,
    loss_id         text NOT NULL,
    step            text NOT NULL,
    position        integer NOT NULL,
    rule_id         text NOT NULL DEFAULT '',
    label           text NOT NULL DEFAULT '{}',
    citation        text NOT NULL DEFAULT '',
    role            text NOT NULL,
    due_at          timestamptz NOT NULL,
    skippable       boolean NOT NULL DEFAULT false,
    done_at         timestamptz,
    done_by_id      text,
    evidence        text NOT NULL DEFAULT '',
    attachment_id   text,
    reported_on     date,
    skipped         boolean NOT NULL DEFAULT false,
    skip_reason     text NOT NULL DEFAULT '',
    PRIMARY KEY (organisation_id, loss_id, step),
    FOREIGN KEY (organisation_id, loss_id) REFERENCES equipment_losses (organisation_id, id),
    FOREIGN KEY (organisation_id, done_by_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, attachment_id) REFERENCES equipment_loss_attachments (organisation_id, id)
);

CREATE TABLE equipment_trips (
    organisation_id text NOT NULL,
    id              text NOT NULL,
    person_id       text NOT NULL,
    private         boolean NOT NULL,
    abroad          boolean NOT NULL,
    destination     text NOT NULL,
    starts_on       date NOT NULL,
    ends_on         date NOT NULL,
    reasons         text NOT NULL DEFAULT '',
    state           text NOT NULL,
    findings        text NOT NULL DEFAULT '[]',
    decided_by_id   text,
    decided_at      timestamptz,
    decision_note   text NOT NULL DEFAULT '',
    version         integer NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, decided_by_id) REFERENCES people (organisation_id, id)
);
CREATE INDEX equipment_trips_person ON equipment_trips (organisation_id, person_id, starts_on);
CREATE INDEX equipment_trips_requested ON equipment_trips (organisation_id, created_at) WHERE state = 'requested';

CREATE TABLE equipment_trip_items (
    organisation_id text NOT NULL,
    trip_id         text NOT NULL,
    item_id         text NOT NULL,
    position        integer NOT NULL,
    category        text NOT NULL,
    model_name      text NOT NULL DEFAULT '',
    serial          text NOT NULL DEFAULT '',
    asset_tag       text NOT NULL DEFAULT '',
    phone_number    text NOT NULL DEFAULT '',
    PRIMARY KEY (organisation_id, trip_id, item_id),
    FOREIGN KEY (organisation_id, trip_id) REFERENCES equipment_trips (organisation_id, id),
    FOREIGN KEY (organisation_id, item_id) REFERENCES equipment_items (organisation_id, id)
);

-- Return tasks: one per person, reason, source (the leave or the
-- employment), kind and item, exactly once (the unique key), for the
-- manager; reminded once before and escalated once after due_on.
CREATE TABLE equipment_return_tasks (
    organisation_id text NOT NULL,
    id              text NOT NULL,
    kind            text NOT NULL,
    reason          text NOT NULL,
    person_id       text NOT NULL,
    item_id         text NOT NULL,
    source_id       text NOT NULL,
    due_on          date NOT NULL,
    manager_id      text,
    rule_id         text NOT NULL DEFAULT '',
    citation        text NOT NULL DEFAULT '',
    state           text NOT NULL,
    note            text NOT NULL DEFAULT '',
    done_at         timestamptz,
    done_by_id      text,
    reminded_at     timestamptz,
    escalated_at    timestamptz,
    version         integer NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, item_id) REFERENCES equipment_items (organisation_id, id),
    FOREIGN KEY (organisation_id, manager_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, done_by_id) REFERENCES people (organisation_id, id)
);
CREATE UNIQUE INDEX equipment_return_tasks_once ON equipment_return_tasks
    (organisation_id, person_id, reason, source_id, kind, item_id);
CREATE INDEX equipment_return_tasks_due ON equipment_return_tasks (organisation_id, due_on, id);
CREATE INDEX equipment_return_tasks_item ON equipment_return_tasks (organisation_id, item_id) WHERE state = 'open';
CREATE INDEX equipment_return_tasks_manager ON equipment_return_tasks (organisation_id, manager_id) WHERE state = 'open';
-- The deadline job: open tasks not yet reminded or escalated.
CREATE INDEX equipment_return_tasks_remind ON equipment_return_tasks (organisation_id, due_on)
    WHERE state = 'open' AND reminded_at IS NULL;
CREATE INDEX equipment_return_tasks_escalate ON equipment_return_tasks (organisation_id, due_on)
    WHERE state = 'open' AND escalated_at IS NULL;

-- +goose Down
DROP TABLE equipment_return_tasks;
DROP TABLE equipment_trip_items;
DROP TABLE equipment_trips;
DROP TABLE equipment_loss_steps;
DROP TABLE equipment_loss_attachments;
DROP TABLE equipment_loss_items;
DROP TABLE equipment_losses;
DROP TABLE equipment_loss_numbers;
DROP TABLE equipment_returned_items;
DROP TABLE equipment_returns;
DROP TABLE equipment_handover_items;
DROP TABLE equipment_items;
DROP TABLE equipment_handovers;
DROP TABLE equipment_settings;
DROP TABLE equipment_models;
