-- Requests made with an Idempotency-Key (app/idempotency.c): the first
-- answer, replayed to a repeat of the request, which writes nothing more.
-- The row is inserted by the request's own write transaction, so a write
-- and its record commit together or not at all; the answer (status, type,
-- body) follows once it is known (status 0 until then).
CREATE TABLE idempotency (
    principal    TEXT NOT NULL,  -- who asked: "user:<name>", or "public"
    key          TEXT NOT NULL,  -- the client's key
    fingerprint  TEXT NOT NULL,  -- SHA-256 of method, path and body
    status       INTEGER NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL DEFAULT '',
    body         BLOB,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_created ON idempotency (created_at);
