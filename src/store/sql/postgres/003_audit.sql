-- PostgreSQL twin of sql/sqlite/003_audit.sql: the same schema in this dialect.
-- The audit trail (留痕): one row per write, appended in the same
-- transaction as the write, chained by SHA-256 (src/core/audit_chain.h).
-- Rows are never updated or deleted by jiceng.
CREATE TABLE audit (
    seq         BIGINT NOT NULL PRIMARY KEY, -- 1, 2, 3 … without gaps
    at          TEXT NOT NULL,               -- UTC, 2026-11-23T09:41:07.123Z
    user_name   TEXT NOT NULL,               -- login name, '' when anonymous
    action      TEXT NOT NULL,               -- e.g. session.create, user.create
    entity      TEXT NOT NULL,               -- e.g. user:zhangsan
    unit        TEXT,                        -- unit code the change concerns
    before_json TEXT,
    after_json  TEXT,
    client      TEXT NOT NULL,               -- IP address, or 'cli'
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_unit ON audit (unit, seq);
CREATE INDEX audit_user ON audit (user_name, seq);
CREATE INDEX audit_at ON audit (at);

-- The latest seq and hash, updated with every append: without it, deleting
-- the newest records would leave a shorter chain that still verifies.
CREATE TABLE audit_head (
    id   BIGINT NOT NULL PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
