-- Identity and access: roles as data, users scoped to a subtree, login
-- sessions and API tokens. Secrets are stored only as hashes (argon2id for
-- passwords, SHA-256 for random session/API tokens); phone numbers only
-- sealed (core/seal.c) with a keyed hash for lookup.
CREATE TABLE roles (
    code TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    rank INTEGER NOT NULL -- higher is stronger; a user assigns only roles of rank <= their own
);

CREATE TABLE role_perms (
    role TEXT NOT NULL REFERENCES roles (code),
    perm TEXT NOT NULL,
    PRIMARY KEY (role, perm)
);

INSERT INTO roles (code, name, rank) VALUES
    ('admin', '系统管理员', 100),
    ('county_admin', '县级管理员', 80),
    ('township_admin', '乡镇管理员', 60),
    ('village_secretary', '村(社区)书记', 40),
    ('grid_worker', '网格员', 20),
    ('observer', '只读观察员', 10);

INSERT INTO role_perms (role, perm) VALUES
    ('admin', 'units:read'), ('admin', 'units:write'), ('admin', 'users:manage'),
    ('admin', 'audit:read'), ('admin', 'pii:read'),
    ('county_admin', 'units:read'), ('county_admin', 'units:write'),
    ('county_admin', 'users:manage'), ('county_admin', 'audit:read'), ('county_admin', 'pii:read'),
    ('township_admin', 'units:read'), ('township_admin', 'users:manage'),
    ('township_admin', 'audit:read'), ('township_admin', 'pii:read'),
    ('village_secretary', 'units:read'), ('village_secretary', 'users:manage'),
    ('grid_worker', 'units:read'),
    ('observer', 'units:read');

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL REFERENCES roles (code),
    scope          TEXT REFERENCES units (code), -- NULL: the whole tree
    phone_sealed   TEXT,
    phone_hash     TEXT,
    password_hash  TEXT NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   BIGINT NOT NULL DEFAULT 0, -- unix seconds
    created_at     TEXT NOT NULL,
    last_login_at  TEXT
);
CREATE INDEX users_scope ON users (scope);
CREATE INDEX users_phone_hash ON users (phone_hash);

CREATE TABLE sessions (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    csrf       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL,
    client     TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
