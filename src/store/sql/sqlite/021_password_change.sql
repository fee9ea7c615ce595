-- A password someone else set (the administrator's one-time password from
-- `jiceng init`, a new user's, an administrator's reset, a bulk import's
-- one-time passwords) must be changed at the first sign-in: until then the
-- account's sessions reach only 修改密码 (app/auth.c, http/reply.c).
-- 1 = set by someone else, 0 = chosen by the user.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
