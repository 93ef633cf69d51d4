-- +goose Up
-- No statement reads return tasks by their manager: the manager's view,
-- IT's list, the overview and the report find them by the people's units
-- (equipment_return_tasks_due), the person's export by person, the jobs
-- by due day (_remind, _escalate) and by their key (_once). A partial
-- index on open tasks cannot serve the foreign key to people either. It
-- only cost each task written.
DROP INDEX equipment_return_tasks_manager;

-- +goose Down
CREATE INDEX equipment_return_tasks_manager ON equipment_return_tasks (organisation_id, manager_id) WHERE state = 'open';
