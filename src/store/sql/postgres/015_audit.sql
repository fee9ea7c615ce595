-- PostgreSQL twin of sql/sqlite/015_audit.sql: the same schema in this dialect.
-- The audit trail gets a second record format (src/core/audit_chain.h):
-- records written from now on are MACed with a key kept outside the
-- database (format 2); the records before stay SHA-256 (format 1) and
-- verifiable as they are. A chain may not go back from 2 to 1.
ALTER TABLE audit ADD COLUMN format INTEGER NOT NULL DEFAULT 1 CHECK (format IN (1, 2));
