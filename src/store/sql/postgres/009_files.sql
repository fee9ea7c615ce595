-- PostgreSQL twin of sql/sqlite/009_files.sql: the same schema in this dialect.
-- Uploaded files (evidence photos and PDFs), stored once by content: the
-- SHA-256 of the bytes is the key, so a photo attached twice is kept once.
-- They live in the database rather than beside it, so that one backup holds
-- them and several servers on one database all see them.
CREATE TABLE files (
    sha256     TEXT PRIMARY KEY,
    type       TEXT NOT NULL, -- media type sniffed from the bytes
    size       BIGINT NOT NULL,
    data       BYTEA NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Timeline events gain reassignment (转办): the fields it changed, as a JSON
-- object {"owner_unit": ["old", "new"], …}. PostgreSQL widens the CHECK in
-- place where SQLite rebuilds the table.
ALTER TABLE item_events
    DROP CONSTRAINT item_events_kind_check,
    ADD CONSTRAINT item_events_kind_check
        CHECK (kind IN ('create', 'transition', 'comment', 'reassign')),
    ADD COLUMN changes TEXT;

-- A file on an item's timeline: the event that brought it, under a name.
CREATE TABLE item_files (
    item   BIGINT NOT NULL REFERENCES items (id),
    event  BIGINT NOT NULL REFERENCES item_events (id),
    sha256 TEXT NOT NULL REFERENCES files (sha256),
    name   TEXT NOT NULL,
    PRIMARY KEY (item, event, sha256)
);
CREATE INDEX item_files_file ON item_files (item, sha256);

-- Everyone who takes part in the work uploads evidence; observers only read.
INSERT INTO role_perms (role, perm) VALUES
    ('admin', 'files:upload'), ('county_admin', 'files:upload'),
    ('township_admin', 'files:upload'), ('village_secretary', 'files:upload'),
    ('grid_worker', 'files:upload');
