-- Checked data (DHIS2's validation rules and data approval) and what a
-- five-star rating was named with.
--
-- validation_rules: `left operator right` over data elements, checked when
-- values are written (an error refuses the write, a warning asks for
-- confirmation) and listed by the validation report. Definitions, like
-- indicators: loaded from data/definitions.json or POST /api/v1/rules.
CREATE TABLE validation_rules (
    code        TEXT NOT NULL PRIMARY KEY,
    message     TEXT NOT NULL,                 -- what a person reads when it is broken
    left_side   TEXT NOT NULL,                 -- formula
    operator    TEXT NOT NULL CHECK (operator IN ('<=', '<', '>=', '>', '==', '!=')),
    right_side  TEXT NOT NULL,                 -- formula
    severity    TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
    period_type TEXT NOT NULL CHECK (period_type IN ('year', 'quarter', 'month', 'week')),
    description TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- 审核: the figures of a unit's subtree for one period, approved by a unit
-- above it; values there are locked until the approval is withdrawn.
CREATE TABLE data_approvals (
    unit        TEXT NOT NULL REFERENCES units (code),
    period      TEXT NOT NULL, -- 2026, 2026Q3, 2026-07, 2026-W07
    approved_by TEXT NOT NULL, -- login name
    approved_at TEXT NOT NULL,
    PRIMARY KEY (period, unit)
);

-- The figures, answers and scores a rating was named with (JSON), so that
-- later edits of values or answers do not change a published result.
CREATE TABLE rating_snapshots (
    case_id  INTEGER PRIMARY KEY REFERENCES cases (id),
    named_at TEXT NOT NULL,
    snapshot TEXT NOT NULL
);

-- 审核数据, as data/roles.json grants it (the start seeds roles from that file;
-- granting it here keeps a migrated database in step without a drift record).
INSERT INTO role_perms (role, perm) VALUES
    ('admin', 'data:approve'), ('county_admin', 'data:approve'), ('township_admin', 'data:approve');
