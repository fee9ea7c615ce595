-- PostgreSQL twin of sql/sqlite/010_week_periods.sql.
-- Weekly data elements (ISO weeks, "2026-W48"): the weekly dispatch's
-- figures. PostgreSQL widens the CHECK in place where SQLite rebuilds the table.
ALTER TABLE elements
    DROP CONSTRAINT elements_period_type_check,
    ADD CONSTRAINT elements_period_type_check
        CHECK (period_type IN ('year', 'quarter', 'month', 'week'));
