-- PostgreSQL twin of sql/sqlite/014_sessions.sql: sign-in failures per
-- account name and client address, and the index for a user's tokens.
CREATE TABLE login_failures (
    username     TEXT NOT NULL,
    client       TEXT NOT NULL,
    fails        INTEGER NOT NULL,
    last_at      BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    PRIMARY KEY (username, client)
);

CREATE INDEX api_tokens_user ON api_tokens (user_id);
