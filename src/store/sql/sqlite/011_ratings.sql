-- "五星"支部创建: one rating per unit and scheme (schemes/NAME.json) through
-- the yearly cycle (cycles/rating.json); the answers of its
-- self-assessment and review, evidence files, a timeline, objections
-- during the public notice, stars withdrawn after naming, and 支部联建 pairs.
CREATE TABLE ratings (
    id           INTEGER PRIMARY KEY,
    scheme       TEXT NOT NULL,
    unit         TEXT NOT NULL REFERENCES units (code),
    target       INTEGER NOT NULL,                  -- 争创几星
    state        TEXT NOT NULL,
    level        INTEGER,                           -- fixed at naming
    stars        TEXT NOT NULL DEFAULT '',          -- star codes won at naming, comma-separated
    notice_until TEXT,                              -- last day of the public notice
    checklist    BIGINT REFERENCES item_batches (id),
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    named_at     TEXT,
    UNIQUE (scheme, unit)
);

-- An indicator's score or yes/no, or a veto's yes/no: what the unit said,
-- changed by a reviewer (adjusted) with the reason on the timeline.
CREATE TABLE rating_answers (
    rating     BIGINT NOT NULL REFERENCES ratings (id),
    code       TEXT NOT NULL,
    score      DOUBLE PRECISION,
    yes        INTEGER,
    note       TEXT NOT NULL DEFAULT '',
    adjusted   INTEGER NOT NULL DEFAULT 0,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (rating, code)
) WITHOUT ROWID; -- read by rating, all of them for a subtree's summary

CREATE TABLE rating_files (
    rating BIGINT NOT NULL REFERENCES ratings (id),
    code   TEXT NOT NULL, -- the indicator the file is evidence for
    sha256 TEXT NOT NULL REFERENCES files (sha256),
    name   TEXT NOT NULL,
    PRIMARY KEY (rating, code, sha256)
);

CREATE TABLE rating_events (
    id         INTEGER PRIMARY KEY,
    rating     BIGINT NOT NULL REFERENCES ratings (id),
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('declare', 'transition', 'answer', 'adjust',
                                             'objection', 'resolve', 'withdraw', 'checklist')),
    transition TEXT,
    from_state TEXT,
    to_state   TEXT,
    note       TEXT NOT NULL DEFAULT '',
    changes    TEXT -- JSON: what an answer or adjustment changed
);
CREATE INDEX rating_events_rating ON rating_events (rating, id);

CREATE TABLE rating_objections (
    id          INTEGER PRIMARY KEY,
    rating      BIGINT NOT NULL REFERENCES ratings (id),
    text        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    resolution  TEXT,
    upheld      INTEGER,
    resolved_by TEXT,
    resolved_at TEXT
);
CREATE INDEX rating_objections_rating ON rating_objections (rating);

CREATE TABLE rating_withdrawals (
    rating BIGINT NOT NULL REFERENCES ratings (id),
    star   TEXT NOT NULL,
    reason TEXT NOT NULL,
    by     TEXT NOT NULL,
    at     TEXT NOT NULL,
    PRIMARY KEY (rating, star)
);

-- 支部联建: a strong unit helps a weak one (each weak unit once per scheme).
CREATE TABLE pairings (
    scheme     TEXT NOT NULL,
    weak       TEXT NOT NULL REFERENCES units (code),
    strong     TEXT NOT NULL REFERENCES units (code),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (scheme, weak)
);

INSERT INTO role_perms (role, perm) VALUES
    ('admin', 'ratings:read'), ('admin', 'ratings:assess'), ('admin', 'ratings:review'),
    ('admin', 'ratings:approve'),
    ('county_admin', 'ratings:read'), ('county_admin', 'ratings:assess'),
    ('county_admin', 'ratings:review'), ('county_admin', 'ratings:approve'),
    ('township_admin', 'ratings:read'), ('township_admin', 'ratings:assess'),
    ('township_admin', 'ratings:review'),
    ('village_secretary', 'ratings:read'), ('village_secretary', 'ratings:assess'),
    ('grid_worker', 'ratings:read'), ('observer', 'ratings:read');
