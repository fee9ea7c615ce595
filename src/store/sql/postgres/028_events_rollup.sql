-- PostgreSQL twin of sql/sqlite/028_events_rollup.sql.
CREATE INDEX events_rollup ON events (status, org_id, type, day, unit);
