-- +goose Up
-- An organisation's password policy is read from the parameters of its
-- policy pack (password_min_length, password_lockout_attempts, …), the one
-- place it is set; the copy that the organisation row kept, and that sign-in
-- followed instead, goes.
ALTER TABLE organisations DROP COLUMN pw_min_length;
ALTER TABLE organisations DROP COLUMN pw_history_count;
ALTER TABLE organisations DROP COLUMN pw_max_failures;
ALTER TABLE organisations DROP COLUMN pw_lockout_minutes;

-- +goose Down
ALTER TABLE organisations ADD COLUMN pw_min_length integer NOT NULL DEFAULT 8;
ALTER TABLE organisations ADD COLUMN pw_history_count integer NOT NULL DEFAULT 5;
ALTER TABLE organisations ADD COLUMN pw_max_failures integer NOT NULL DEFAULT 5;
ALTER TABLE organisations ADD COLUMN pw_lockout_minutes integer NOT NULL DEFAULT 15;
