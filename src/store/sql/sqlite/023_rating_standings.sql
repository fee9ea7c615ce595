-- Five-star standings kept across restarts (app/rating_results.c, "Kept
-- results" in docs/architecture.md), and data values stored by their key.
--
-- data_values becomes WITHOUT ROWID: its rows live in the b-tree of the
-- primary key (element, period, unit), so a rollup's range scan of one
-- element reads the values where it finds the keys instead of looking each
-- row up in the table beside an index. SQLite cannot change that in place,
-- so the table is rebuilt (foreign keys are off meanwhile and checked
-- before commit: store.c).
CREATE TABLE data_values_new (
    element    TEXT NOT NULL REFERENCES elements (code),
    unit       TEXT NOT NULL REFERENCES units (code),
    period     TEXT NOT NULL, -- 2023, 2023Q3, 2023-07
    value      DOUBLE PRECISION NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (element, period, unit)
) WITHOUT ROWID;
INSERT INTO data_values_new (element, unit, period, value, updated_by, updated_at)
    SELECT element, unit, period, value, updated_by, updated_at FROM data_values
    ORDER BY element, period, unit;
DROP TABLE data_values;
ALTER TABLE data_values_new RENAME TO data_values;
CREATE INDEX data_values_unit ON data_values (unit, element, period);

-- Per scheme, what the kept standings were written for: `key` digests the
-- scheme's definition, the rating kind's states, the elements' definitions,
-- the tree and the row format (another key: stale, built again); `seq` is
-- the audit record they reflect every rating and value write up to;
-- `digest` sums the rows' hashes (a row changed outside jiceng: built
-- again); `writer` is the server process that wrote them last.
CREATE TABLE rating_standings_meta (
    scheme     TEXT NOT NULL PRIMARY KEY,
    key        TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    units      BIGINT NOT NULL,
    digest     BIGINT NOT NULL,
    writer     TEXT NOT NULL,
    written_at TEXT NOT NULL
);

-- One row per unit of the scheme's kind: its standing and the values of
-- the scheme's elements it was rated with, packed (rating_results.c).
CREATE TABLE rating_standings (
    scheme   TEXT NOT NULL,
    unit     TEXT NOT NULL,
    standing BLOB NOT NULL,
    PRIMARY KEY (scheme, unit)
) WITHOUT ROWID;
