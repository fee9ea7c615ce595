-- 工作台: what reached a person (notifications) and what a unit announced
-- to the units below it (notices, 通知公告), with read receipts.

-- An announcement to a subtree: every account whose scope lies in `unit`
-- (the unit itself included) receives it. `from_unit` is the sender's
-- scope, NULL for the whole tree.
CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    unit       TEXT NOT NULL REFERENCES units (code),
    from_unit  TEXT REFERENCES units (code),
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    recipients INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX notices_unit ON notices (unit, id);

CREATE TABLE notice_files (
    notice_id BIGINT NOT NULL REFERENCES notices (id),
    sha256    TEXT NOT NULL REFERENCES files (sha256),
    name      TEXT NOT NULL,
    PRIMARY KEY (notice_id, sha256)
);

-- One row per recipient of a case step or a notice; read_at is the read
-- receipt. `unit` is the unit it concerns: a reader sees only those still
-- in their scope. push_next: when the webhook should (re)try it, NULL when
-- it is not to be pushed or has been.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    username    TEXT NOT NULL,
    at          TEXT NOT NULL,
    unit        TEXT NOT NULL REFERENCES units (code),
    kind        TEXT NOT NULL, -- the case's kind, or 'notice'
    case_id     BIGINT REFERENCES cases (id),
    notice_id   BIGINT REFERENCES notices (id),
    what        TEXT NOT NULL, -- the step, e.g. 完成整改; 通知公告 for a notice
    title       TEXT NOT NULL, -- the case's or notice's title then
    read_at     TEXT,
    push_next   BIGINT,        -- unix seconds
    push_tries  INTEGER NOT NULL DEFAULT 0,
    pushed_at   TEXT
);
CREATE INDEX notifications_user ON notifications (username, id);
CREATE INDEX notifications_unread ON notifications (username) WHERE read_at IS NULL;
CREATE INDEX notifications_notice ON notifications (notice_id);
CREATE INDEX notifications_push ON notifications (push_next) WHERE push_next IS NOT NULL;

-- The desk counts open cases only.
CREATE INDEX cases_open ON cases (owner_unit, kind, state) WHERE final = 0;
