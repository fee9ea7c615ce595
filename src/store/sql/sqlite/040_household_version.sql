-- A household's version (issue 18, conflicts): every change adds one. An
-- edit made offline names the version it started from (base_version); when
-- the household changed since, the server answers 409 with the current one
-- instead of overwriting it, and the grid worker chooses.
ALTER TABLE households ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
