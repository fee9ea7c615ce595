-- Attempts per client address and minute (logins, public submissions),
-- counted in the database so that several server processes on one
-- PostgreSQL limit them together (app/auth.c). A row is the address's
-- current minute; rows of past minutes are deleted. On SQLite, which one
-- process serves, the limiter counts in memory and this table stays empty;
-- it exists so that both schemas keep the same tables.
CREATE TABLE rate_attempts (
    client TEXT NOT NULL PRIMARY KEY,
    minute INTEGER NOT NULL, -- unix time / 60
    n      INTEGER NOT NULL
) WITHOUT ROWID;
