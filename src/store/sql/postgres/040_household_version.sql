-- PostgreSQL twin of sql/sqlite/040_household_version.sql: a household's
-- version, one more at every change, for the offline edits' conflicts.
ALTER TABLE households ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
