-- PostgreSQL twin of sql/sqlite/023_rating_standings.sql.
--
-- data_values: the primary key's index carries the value (INCLUDE), so a
-- rollup's range scan of one element can be answered from the index alone
-- (an index-only scan once the visibility map is set: autovacuum), and the
-- table is clustered on it once, so a heap visit reads neighbouring rows.
ALTER TABLE data_values DROP CONSTRAINT data_values_pkey;
ALTER TABLE data_values ADD CONSTRAINT data_values_pkey
    PRIMARY KEY (element, period, unit) INCLUDE (value);
CLUSTER data_values USING data_values_pkey;

CREATE TABLE rating_standings_meta (
    scheme     TEXT NOT NULL PRIMARY KEY,
    key        TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    units      BIGINT NOT NULL,
    digest     BIGINT NOT NULL,
    writer     TEXT NOT NULL,
    written_at TEXT NOT NULL
);

CREATE TABLE rating_standings (
    scheme   TEXT NOT NULL,
    unit     TEXT NOT NULL,
    standing BYTEA NOT NULL,
    PRIMARY KEY (scheme, unit)
);
