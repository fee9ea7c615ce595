-- Weekly data elements (ISO weeks, "2026-W48"): the weekly dispatch's
-- figures. SQLite cannot widen a CHECK, so the table is rebuilt (foreign
-- keys are off meanwhile and checked before commit: store.c).
CREATE TABLE elements_new (
    code            TEXT NOT NULL PRIMARY KEY,
    name            TEXT NOT NULL,
    measure         TEXT NOT NULL DEFAULT '', -- unit of measure: 户, 人, 万元, %
    value_type      TEXT NOT NULL CHECK (value_type IN ('integer', 'number', 'percentage', 'boolean')),
    aggregation     TEXT NOT NULL CHECK (aggregation IN ('sum', 'average', 'none')),
    period_type     TEXT NOT NULL CHECK (period_type IN ('year', 'quarter', 'month', 'week')),
    levels          TEXT NOT NULL DEFAULT '', -- comma-separated levels values are entered at; '' = any
    min_value       DOUBLE PRECISION,
    max_value       DOUBLE PRECISION,
    description     TEXT NOT NULL DEFAULT '',
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
INSERT INTO elements_new SELECT code, name, measure, value_type, aggregation, period_type, levels,
    min_value, max_value, description, created_by, created_at FROM elements;
DROP TABLE elements;
ALTER TABLE elements_new RENAME TO elements;
