-- PostgreSQL twin of sql/sqlite/008_item_escalation.sql: the same schema in this dialect.
-- Escalation: an overdue item is reported to its owner unit's parent once
-- (督办); escalated_to is that unit, so its users can list what they must chase.
ALTER TABLE items ADD COLUMN escalated_to TEXT REFERENCES units (code);
CREATE INDEX items_escalated ON items (escalated_to);
