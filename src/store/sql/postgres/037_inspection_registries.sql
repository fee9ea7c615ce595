-- PostgreSQL twin of sql/sqlite/037_inspection_registries.sql: an item of
-- the 抽查事项清单 can be withdrawn, and a plan carries the public value
-- announced with it before its draw.
ALTER TABLE inspection_items ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE inspection_plans ADD COLUMN public_value TEXT NOT NULL DEFAULT '';
