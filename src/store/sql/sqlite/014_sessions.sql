-- Sign-in failures counted per account name AND client address
-- (app/auth.c): a stranger elsewhere cannot lock a user out, and an unknown
-- name is counted like a known one so that the answers do not tell them
-- apart. Rows of past windows are deleted. users.failed_logins and
-- users.locked_until are no longer used.
CREATE TABLE login_failures (
    username     TEXT NOT NULL,   -- as typed (an account may not exist)
    client       TEXT NOT NULL,   -- the client's address
    fails        INTEGER NOT NULL,
    last_at      BIGINT NOT NULL, -- unix seconds of the last failure
    locked_until BIGINT NOT NULL, -- unix seconds; 0 = not locked
    PRIMARY KEY (username, client)
) WITHOUT ROWID;

-- A user's API tokens are listed and revoked together (app/users.c).
CREATE INDEX api_tokens_user ON api_tokens (user_id);
