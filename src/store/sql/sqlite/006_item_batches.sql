-- Weekly dispatch (周交办): one batch issues the same task to many units at
-- once; each unit's item keeps the batch it came from.
CREATE TABLE item_batches (
    id         INTEGER PRIMARY KEY,
    type       TEXT NOT NULL,
    title      TEXT NOT NULL,
    units      INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
ALTER TABLE items ADD COLUMN batch BIGINT REFERENCES item_batches (id);
CREATE INDEX items_batch ON items (batch);
