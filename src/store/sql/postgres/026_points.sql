-- PostgreSQL twin of sql/sqlite/026_points.sql.
-- 党员积分 and 党费 (issue 14 parts 7 and 8). Rules, caps, bands, the rate
-- table and the arrears rule are data (data/points.json, data/dues.json);
-- the columns holding their codes are free text checked by the app.

-- A point entry: the subject row of a case of the "points" kind (claimed →
-- 待审 → 通过 / 驳回). `counted` is set by the kind's approving effect: only
-- counted entries make totals. `unit` is where it counts: the unit of the
-- member's party branch on `day`. Entries written by another engine (an
-- event's attendance) carry its `source` and reference; one per person,
-- rule and reference, so such a writer may run twice.
CREATE TABLE point_entries (
    case_id    BIGINT PRIMARY KEY REFERENCES cases (id),
    person_id  BIGINT NOT NULL REFERENCES persons (id),
    unit       TEXT NOT NULL REFERENCES units (code),
    rule       TEXT NOT NULL,
    points     INTEGER NOT NULL,
    day        TEXT NOT NULL,                    -- YYYY-MM-DD the points belong to
    source     TEXT NOT NULL DEFAULT 'claim',    -- claim | event …
    source_ref TEXT NOT NULL DEFAULT '',         -- e.g. the event's id; '' for claims
    counted    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX point_entries_source ON point_entries (person_id, rule, source, source_ref)
    WHERE source_ref <> '';
CREATE INDEX point_entries_person ON point_entries (person_id, day);
CREATE INDEX point_entries_unit ON point_entries (unit, day);

-- A member's 党费 basis for a year: category and monthly income (fen),
-- with the monthly amount it gives, fixed when written.
CREATE TABLE dues_bases (
    person_id   BIGINT NOT NULL REFERENCES persons (id),
    year        INTEGER NOT NULL,
    category    TEXT NOT NULL,
    income_fen  BIGINT NOT NULL DEFAULT 0,
    monthly_fen BIGINT NOT NULL CHECK (monthly_fen >= 0),
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (person_id, year)
);

-- One paid month of a member; a payment of several months is several rows
-- sharing `payment`.
CREATE TABLE dues_payments (
    person_id  BIGINT NOT NULL REFERENCES persons (id),
    month      TEXT NOT NULL,                   -- YYYY-MM
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    method     TEXT NOT NULL,
    paid_on    TEXT NOT NULL,                   -- YYYY-MM-DD
    unit       TEXT NOT NULL REFERENCES units (code), -- the branch's unit when paid
    payment    TEXT NOT NULL,                   -- the payment's reference (its first row's at)
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (person_id, month)
);
CREATE INDEX dues_payments_unit ON dues_payments (unit, month);
