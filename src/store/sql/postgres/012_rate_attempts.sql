-- PostgreSQL twin of sql/sqlite/012_rate_attempts.sql: attempts per client
-- address and minute (logins, public submissions), counted here so that
-- every server process on this database limits them together (app/auth.c).
CREATE TABLE rate_attempts (
    client TEXT NOT NULL PRIMARY KEY,
    minute BIGINT NOT NULL, -- unix time / 60
    n      INTEGER NOT NULL
);
