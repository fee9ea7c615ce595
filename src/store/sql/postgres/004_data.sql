-- PostgreSQL twin of sql/sqlite/004_data.sql: the same schema in this dialect.
-- Data elements, their values per unit and period, and indicators
-- (named formulas over elements). Engine 2 and 6 of DESIGN.md.
CREATE TABLE elements (
    code            TEXT NOT NULL PRIMARY KEY,
    name            TEXT NOT NULL,
    measure         TEXT NOT NULL DEFAULT '', -- unit of measure: 户, 人, 万元, %
    value_type      TEXT NOT NULL CHECK (value_type IN ('integer', 'number', 'percentage', 'boolean')),
    aggregation     TEXT NOT NULL CHECK (aggregation IN ('sum', 'average', 'none')),
    period_type     TEXT NOT NULL CONSTRAINT elements_period_type_check
                    CHECK (period_type IN ('year', 'quarter', 'month')),
    levels          TEXT NOT NULL DEFAULT '', -- comma-separated levels values are entered at; '' = any
    min_value       DOUBLE PRECISION,
    max_value       DOUBLE PRECISION,
    description     TEXT NOT NULL DEFAULT '',
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);

CREATE TABLE data_values (
    element    TEXT NOT NULL REFERENCES elements (code),
    unit       TEXT NOT NULL REFERENCES units (code),
    period     TEXT NOT NULL, -- 2023, 2023Q3, 2023-07
    value      DOUBLE PRECISION NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (element, period, unit)
);
CREATE INDEX data_values_unit ON data_values (unit, element, period);

CREATE TABLE indicators (
    code        TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    formula     TEXT NOT NULL,
    format      TEXT NOT NULL DEFAULT 'number' CHECK (format IN ('number', 'percent', 'integer', 'boolean')),
    decimals    INTEGER NOT NULL DEFAULT 1,
    measure     TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

INSERT INTO role_perms (role, perm) VALUES
    ('admin', 'data:read'), ('admin', 'data:write'), ('admin', 'data:define'),
    ('county_admin', 'data:read'), ('county_admin', 'data:write'), ('county_admin', 'data:define'),
    ('township_admin', 'data:read'), ('township_admin', 'data:write'),
    ('village_secretary', 'data:read'), ('village_secretary', 'data:write'),
    ('grid_worker', 'data:read'), ('grid_worker', 'data:write'),
    ('observer', 'data:read');
