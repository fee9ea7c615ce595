-- Residents follow their requests by a tracking code; contact details they
-- give are kept only sealed (core/seal.c). Open311 client applications
-- authenticate with API keys, stored as SHA-256 like the other tokens.
ALTER TABLE items ADD COLUMN tracking_code TEXT;
ALTER TABLE items ADD COLUMN contact_sealed TEXT;
CREATE UNIQUE INDEX items_tracking_code ON items (tracking_code);

CREATE TABLE open311_keys (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    key_hash   TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
