-- Division changes (区划调整, docs/architecture.md "Division changes"): units
-- are never deleted. A unit that an edition of the division table no longer
-- lists is retired on the edition's day and keeps its row, so its past
-- values, closed work and ratings keep pointing at it; `successor` is the
-- unit its current work went to (NULL: retired without one). `since` is the
-- day the unit's current name began — for a unit an edition added, the day
-- it appeared; NULL: before the records. Former names are in unit_names,
-- each for the days [valid_from, valid_to). A unit's parent never changes:
-- it is its code's prefix, so a unit placed elsewhere gets a new code.
ALTER TABLE units ADD COLUMN since TEXT;
ALTER TABLE units ADD COLUMN retired TEXT;
ALTER TABLE units ADD COLUMN successor TEXT REFERENCES units (code);
CREATE INDEX units_successor ON units (successor) WHERE successor IS NOT NULL;

CREATE TABLE unit_editions (
    id         INTEGER PRIMARY KEY,
    effective  TEXT NOT NULL,  -- YYYY-MM-DD: the day its changes took effect
    source     TEXT NOT NULL,  -- what was imported (folder or file names)
    summary    TEXT NOT NULL,  -- JSON: the counts of the diff
    applied_by TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

CREATE TABLE unit_names (
    code       TEXT NOT NULL REFERENCES units (code),
    valid_from TEXT,           -- NULL: before the records
    valid_to   TEXT NOT NULL,  -- the first day it no longer held
    name       TEXT NOT NULL,
    kind       TEXT,
    edition    BIGINT REFERENCES unit_editions (id),
    PRIMARY KEY (code, valid_to)
);

-- What moves when a unit merges into another: its open cases (by owner,
-- unit concerned and helping unit) and the pairs naming it as the strong
-- partner, each found by index.
CREATE INDEX cases_open_unit ON cases (unit) WHERE final = 0;
CREATE INDEX cases_open_helper ON cases (helper_unit) WHERE final = 0;
CREATE INDEX pairings_strong ON pairings (strong);
