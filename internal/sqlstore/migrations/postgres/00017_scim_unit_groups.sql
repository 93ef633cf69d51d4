-- +goose Up
-- A SCIM group may place its members in a unit instead of granting a role
-- (issue 13: the organisation chooses per group). Existing mappings grant
-- roles; a unit mapping keeps role empty.
ALTER TABLE scim_group_mappings ADD COLUMN kind text NOT NULL DEFAULT 'role';

-- The department attribute as the identity system sent it: a member of a
-- unit group is placed by the group, and falls back to this when they
-- leave it.
ALTER TABLE scim_users ADD COLUMN department text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE scim_users DROP COLUMN department;
ALTER TABLE scim_group_mappings DROP COLUMN kind;
