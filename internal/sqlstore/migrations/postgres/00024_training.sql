-- +goose Up
-- Training, acknowledgements as preconditions, and checklists (issue 16).
-- A completion is a record that a person completed a course of the pack's
-- catalogue on a day, with an optional certificate kept as bytes; it is
-- withdrawn by marking it removed, never deleted. A checklist is opened
-- from a pack's template once per template and employment or leave (its
-- unique key), its tasks copied from the template as it was. Every table
-- leads with organisation_id; every unique and foreign key includes it;
-- there are no triggers.

CREATE TABLE training_completions (
    organisation_id          text NOT NULL,
    id                       text NOT NULL,
    person_id                text NOT NULL,
    course_id                text NOT NULL,
    completed_on             date NOT NULL,
    source                   text NOT NULL,
    certificate_name         text,
    certificate_content_type text,
    certificate_size         bigint,
    certificate_sha256       text,
    certificate_content      bytea,
    recorded_by              text,
    created_at               timestamptz NOT NULL,
    removed_at               timestamptz,
    removed_by               text,
    removed_reason           text NOT NULL DEFAULT '',
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, recorded_by) REFERENCES people (organisation_id, id),
    FOREIGN KEY (organisation_id, removed_by) REFERENCES people (organisation_id, id)
);
-- The latest completion per person and course (TrainingSubjects, the
-- done-when of a training task), read from the index alone.
CREATE INDEX training_completions_latest ON training_completions (organisation_id, person_id, course_id, completed_on)
    WHERE removed_at IS NULL;
-- The latest completion of one course per person, for a coverage page over
-- a whole organisation, read from the index alone.
CREATE INDEX training_completions_course ON training_completions (organisation_id, course_id, person_id, completed_on)
    WHERE removed_at IS NULL;

CREATE TABLE checklists (
    organisation_id text NOT NULL,
    id              text NOT NULL,
    template_id     text NOT NULL,
    event           text NOT NULL,
    title_sv        text NOT NULL,
    title_en        text NOT NULL DEFAULT '',
    person_id       text NOT NULL,
    source_id       text NOT NULL,
    event_on        date NOT NULL,
    state           text NOT NULL,
    citation        text NOT NULL DEFAULT '',
    pack_version    integer NOT NULL DEFAULT 0,
    opened_at       timestamptz NOT NULL,
    closed_at       timestamptz,
    version         integer NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, person_id) REFERENCES people (organisation_id, id)
);
-- Each template opens once per employment or leave, however often the job runs.
CREATE UNIQUE INDEX checklists_once ON checklists (organisation_id, template_id, source_id);
CREATE INDEX checklists_person ON checklists (organisation_id, person_id, event_on);
CREATE INDEX checklists_open ON checklists (organisation_id, event_on) WHERE state = 'open';

CREATE TABLE checklist_tasks (
    organisation_id text NOT NULL,
    id              text NOT NULL,
    checklist_id    text NOT NULL,
    position        integer NOT NULL,
    task_id         text NOT NULL,
    title_sv        text NOT NULL,
    title_en        text NOT NULL DEFAULT '',
    owner           text NOT NULL,
    due_on          date NOT NULL,
    done_when       text NOT NULL DEFAULT '',
    citation        text NOT NULL DEFAULT '',
    state           text NOT NULL,
    auto            boolean NOT NULL DEFAULT false,
    note            text NOT NULL DEFAULT '',
    done_at         timestamptz,
    done_by         text,
    reminded_at     timestamptz,
    escalated_at    timestamptz,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, checklist_id) REFERENCES checklists (organisation_id, id),
    FOREIGN KEY (organisation_id, done_by) REFERENCES people (organisation_id, id)
);
CREATE UNIQUE INDEX checklist_tasks_task ON checklist_tasks (organisation_id, checklist_id, task_id);
-- Open tasks by due date: the owners' lists, the overview and the deadline job.
CREATE INDEX checklist_tasks_due ON checklist_tasks (organisation_id, due_on) WHERE state = 'open';
-- Open tasks that tick themselves, by condition (TickDoneTasks).
CREATE INDEX checklist_tasks_auto ON checklist_tasks (organisation_id, done_when, checklist_id)
    WHERE state = 'open' AND done_when <> '';

-- +goose Down
DROP TABLE checklist_tasks;
DROP TABLE checklists;
DROP TABLE training_completions;
