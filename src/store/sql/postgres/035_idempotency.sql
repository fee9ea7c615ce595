-- PostgreSQL twin of sql/sqlite/035_idempotency.sql: requests made with an
-- Idempotency-Key, their first answer replayed to a repeat.
CREATE TABLE idempotency (
    principal    TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL DEFAULT '',
    body         BYTEA,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_created ON idempotency (created_at);
