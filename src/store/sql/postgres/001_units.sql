-- The administrative tree (PostgreSQL; sql/sqlite/001_units.sql is the
-- reference). A unit's parent is its code cut to the parent level's length
-- (see src/core/unit.h), so a subtree is the code range [code, code || ';')
-- on the primary key: the database uses the C collation (postgres.c).
CREATE TABLE units (
    code        TEXT NOT NULL PRIMARY KEY
                CHECK (length(code) IN (2, 4, 6, 9, 12, 15, 18) AND code !~ '[^0-9]'),
    name        TEXT NOT NULL CHECK (length(name) > 0),
    parent_code TEXT REFERENCES units (code),
    level       TEXT NOT NULL
                CHECK (level IN ('province', 'city', 'county', 'township', 'village', 'grid', 'building')),
    kind        TEXT
);
