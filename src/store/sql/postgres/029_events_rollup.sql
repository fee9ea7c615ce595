-- PostgreSQL twin of sql/sqlite/029_events_rollup.sql.
CREATE INDEX events_rollup ON events (status, org_id, type, day, unit);
