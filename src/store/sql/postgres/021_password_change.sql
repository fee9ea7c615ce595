-- PostgreSQL twin of sql/sqlite/021_password_change.sql.
-- A password someone else set must be changed at the first sign-in:
-- 1 = set by someone else, 0 = chosen by the user.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
