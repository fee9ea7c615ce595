-- One engine for everything that moves through states (DESIGN.md: cases).
-- Work items and five-star ratings become cases of a kind (kinds/NAME.json)
-- with one timeline (case_events) and one set of attached files
-- (case_files); what only a rating has lives in case_ratings, and its
-- objections and withdrawn stars become events of its timeline. Every row
-- of the old tables is carried across: items, their events and batches
-- keep their ids; ratings and their events get new ids after the items'.
-- The counts are checked before the migration commits.

CREATE TABLE case_batches (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    units      INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL DEFAULT '',
    description    TEXT NOT NULL DEFAULT '',
    unit           TEXT NOT NULL REFERENCES units (code), -- the unit it concerns
    owner_unit     TEXT NOT NULL REFERENCES units (code), -- the unit that must act
    helper_unit    TEXT REFERENCES units (code),          -- 帮扶单位
    assignee       TEXT NOT NULL DEFAULT '',              -- responsible person
    measures       TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT '',
    priority       INTEGER NOT NULL DEFAULT 2 CHECK (priority IN (1, 2, 3)),
    deadline       TEXT,                                  -- YYYY-MM-DD
    location       TEXT NOT NULL DEFAULT '',
    immediate      INTEGER NOT NULL DEFAULT 0,            -- 立行立改
    state          TEXT NOT NULL,
    final          INTEGER NOT NULL DEFAULT 0,
    rating         INTEGER,                               -- the submitter's 1–5
    batch          BIGINT REFERENCES case_batches (id),   -- the dispatch it came with
    tracking_code  TEXT,                                  -- what a resident follows it by
    contact_sealed TEXT,                                  -- the submitter's contact, sealed
    escalated_to   TEXT REFERENCES units (code),          -- 督办: reported to this unit
    version        INTEGER NOT NULL DEFAULT 1,            -- every change adds one
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    closed_at      TEXT
);

-- Every step, comment, reassignment, answer, objection … of a case. `ref`
-- is the event this one answers (an objection's resolution); `changes` is
-- JSON: what the step changed.
CREATE TABLE case_events (
    id         INTEGER PRIMARY KEY,
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    transition TEXT,
    from_state TEXT,
    to_state   TEXT,
    note       TEXT NOT NULL DEFAULT '',
    evidence   TEXT NOT NULL DEFAULT '',
    rating     INTEGER,
    changes    TEXT,
    ref        BIGINT REFERENCES case_events (id)
);

-- A file the event brought; `topic` is what it is evidence for inside the
-- case (a rating's indicator), '' for the case as a whole.
CREATE TABLE case_files (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    event   BIGINT NOT NULL REFERENCES case_events (id),
    topic   TEXT NOT NULL DEFAULT '',
    sha256  TEXT NOT NULL REFERENCES files (sha256),
    name    TEXT NOT NULL,
    PRIMARY KEY (case_id, event, topic, sha256)
);

-- A unit's yearly rating under a scheme: one per unit and scheme.
CREATE TABLE case_ratings (
    case_id      INTEGER PRIMARY KEY REFERENCES cases (id),
    scheme       TEXT NOT NULL,
    unit         TEXT NOT NULL REFERENCES units (code),
    target       INTEGER NOT NULL,                    -- 争创几星
    level        INTEGER,                             -- fixed at naming
    stars        TEXT NOT NULL DEFAULT '',            -- star codes won, comma-separated
    notice_until TEXT,                                -- last day of the public notice
    checklist    BIGINT REFERENCES case_batches (id), -- the creation checklist
    named_at     TEXT,
    UNIQUE (scheme, unit)
);

CREATE TABLE case_answers (
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    code       TEXT NOT NULL,
    score      DOUBLE PRECISION,
    yes        INTEGER,
    note       TEXT NOT NULL DEFAULT '',
    adjusted   INTEGER NOT NULL DEFAULT 0,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (case_id, code)
) WITHOUT ROWID; -- read by case, all of them for a subtree's summary

-- ---- carrying the old rows across ----

CREATE TEMP TABLE offsets AS
    SELECT (SELECT coalesce(max(id), 0) FROM items) AS cases,
           (SELECT coalesce(max(id), 0) FROM item_events) AS events;

INSERT INTO case_batches (id, kind, title, units, created_by, created_at)
    SELECT id, type, title, units, created_by, created_at FROM item_batches;

INSERT INTO cases (id, kind, title, description, unit, owner_unit, helper_unit, assignee,
                   measures, category, priority, deadline, location, immediate, state, final,
                   rating, batch, tracking_code, contact_sealed, escalated_to, created_by,
                   created_at, updated_at, closed_at)
    SELECT id, type, title, description, unit, owner_unit, helper_unit, assignee, measures,
           category, priority, deadline, location, immediate, state, final, rating, batch,
           tracking_code, contact_sealed, escalated_to, created_by, created_at, updated_at,
           closed_at
    FROM items;
INSERT INTO case_events (id, case_id, at, actor, kind, transition, from_state, to_state, note,
                         evidence, rating, changes)
    SELECT id, item, at, actor, kind, transition, from_state, to_state, note, evidence, rating,
           changes
    FROM item_events;
INSERT INTO case_files (case_id, event, topic, sha256, name)
    SELECT item, event, '', sha256, name FROM item_files;

-- The old cycle's only final state was 'named'.
INSERT INTO cases (id, kind, unit, owner_unit, state, final, created_by, created_at, updated_at,
                   closed_at)
    SELECT r.id + o.cases, 'rating', r.unit, r.unit, r.state, r.state = 'named', r.created_by,
           r.created_at, r.updated_at, r.named_at
    FROM ratings r, offsets o;
INSERT INTO case_ratings (case_id, scheme, unit, target, level, stars, notice_until, checklist,
                          named_at)
    SELECT r.id + o.cases, r.scheme, r.unit, r.target, r.level, r.stars, r.notice_until,
           r.checklist, r.named_at
    FROM ratings r, offsets o;
INSERT INTO case_answers (case_id, code, score, yes, note, adjusted, updated_by, updated_at)
    SELECT a.rating + o.cases, a.code, a.score, a.yes, a.note, a.adjusted, a.updated_by,
           a.updated_at
    FROM rating_answers a, offsets o;
INSERT INTO case_events (id, case_id, at, actor, kind, transition, from_state, to_state, note,
                         changes)
    SELECT e.id + o.events, e.rating + o.cases, e.at, e.actor,
           CASE e.kind WHEN 'declare' THEN 'create' ELSE e.kind END, e.transition,
           e.from_state, e.to_state, e.note, e.changes
    FROM rating_events e, offsets o;
-- A rating's files came with its answers; an answer event's changes name
-- the indicators it brought files for ({"<code>": {…, "files": n}}). A
-- file is put on the latest answer event that brought files for its
-- indicator (files were kept across answers, so an earlier file may have
-- come before it, never after), else on the rating's latest answer.
INSERT INTO case_files (case_id, event, topic, sha256, name)
    SELECT f.rating + o.cases,
           coalesce((SELECT max(e.id) FROM rating_events e
                     WHERE e.rating = f.rating AND e.kind = 'answer'
                       AND json_extract(e.changes, '$."' || f.code || '".files') IS NOT NULL),
                    (SELECT max(e.id) FROM rating_events e
                     WHERE e.rating = f.rating AND e.kind = 'answer'),
                    (SELECT min(e.id) FROM rating_events e WHERE e.rating = f.rating)) + o.events,
           f.code, f.sha256, f.name
    FROM rating_files f, offsets o;

-- Objections were rows beside their events: the n-th objection of a
-- rating is its n-th objection event. A resolution is a resolve event
-- written with it (same time, actor and text); resolutions alike in all
-- that (one text, one second) are paired in order. The resolution's own
-- text goes into changes, as the case engine writes it.
CREATE TEMP TABLE objection_events AS
    SELECT x.id AS objection, y.id + o.events AS event
    FROM (SELECT id, rating, row_number() OVER (PARTITION BY rating ORDER BY id) AS n
          FROM rating_objections) x
    JOIN (SELECT id, rating, row_number() OVER (PARTITION BY rating ORDER BY id) AS n
          FROM rating_events WHERE kind = 'objection') y ON y.rating = x.rating AND y.n = x.n,
         offsets o;
CREATE TEMP TABLE resolutions AS
    SELECT x.id AS objection, x.upheld, x.resolution, y.id + o.events AS event
    FROM (SELECT id, rating, upheld, resolution, resolved_at, resolved_by,
                 CASE upheld WHEN 1 THEN '异议成立：' ELSE '异议不成立：' END || resolution AS note,
                 row_number() OVER (PARTITION BY rating, resolved_at, resolved_by, upheld, resolution
                                    ORDER BY id) AS n
          FROM rating_objections WHERE resolved_at IS NOT NULL) x
    JOIN (SELECT id, rating, at, actor, note,
                 row_number() OVER (PARTITION BY rating, at, actor, note ORDER BY id) AS n
          FROM rating_events WHERE kind = 'resolve') y
      ON y.rating = x.rating AND y.at = x.resolved_at AND y.actor = x.resolved_by
         AND y.note = x.note AND y.n = x.n,
         offsets o;
UPDATE case_events
SET ref = (SELECT m.event FROM resolutions r JOIN objection_events m ON m.objection = r.objection
           WHERE r.event = case_events.id),
    changes = (SELECT json_object('upheld', json(CASE r.upheld WHEN 1 THEN 'true' ELSE 'false' END),
                                  'resolution', r.resolution)
               FROM resolutions r WHERE r.event = case_events.id)
WHERE kind = 'resolve';

-- A withdrawn star was a row beside its event ("摘除<star name>：<reason>",
-- same time and actor; the text compared as it is, no pattern). Stars
-- withdrawn alike (one reason, one second) are paired in the order they
-- were written.
CREATE TEMP TABLE withdrawals AS
    SELECT y.event, x.star, x.reason
    FROM (SELECT rating, star, reason, "by", at,
                 row_number() OVER (PARTITION BY rating, at, "by", reason ORDER BY rowid) AS n
          FROM rating_withdrawals) x
    JOIN (SELECT e.id + o.events AS event, g.rating, g.at, g."by", g.reason,
                 row_number() OVER (PARTITION BY g.rating, g.at, g."by", g.reason ORDER BY e.id) AS n
          FROM (SELECT DISTINCT rating, at, "by", reason FROM rating_withdrawals) g
          JOIN rating_events e
            ON e.rating = g.rating AND e.kind = 'withdraw' AND e.at = g.at AND e.actor = g."by"
               AND substr(e.note, length(e.note) - length(g.reason)) = '：' || g.reason,
               offsets o) y
      ON y.rating = x.rating AND y.at = x.at AND y."by" = x."by" AND y.reason = x.reason
         AND y.n = x.n;
UPDATE case_events
SET changes = (SELECT json_object('star', w.star, 'reason', w.reason)
               FROM withdrawals w WHERE w.event = case_events.id)
WHERE kind = 'withdraw';

-- Nothing lost: the new tables hold every old row.
CREATE TEMP TABLE counts_match (ok INTEGER CHECK (ok = 1));
INSERT INTO counts_match SELECT
    (SELECT count(*) FROM cases) = (SELECT count(*) FROM items) + (SELECT count(*) FROM ratings)
    AND (SELECT count(*) FROM case_events)
        = (SELECT count(*) FROM item_events) + (SELECT count(*) FROM rating_events)
    AND (SELECT count(*) FROM case_files)
        = (SELECT count(*) FROM item_files) + (SELECT count(*) FROM rating_files)
    AND (SELECT count(*) FROM case_ratings) = (SELECT count(*) FROM ratings)
    AND (SELECT count(*) FROM case_answers) = (SELECT count(*) FROM rating_answers)
    AND (SELECT count(*) FROM case_batches) = (SELECT count(*) FROM item_batches)
    AND (SELECT count(*) FROM objection_events) = (SELECT count(*) FROM rating_objections)
    AND (SELECT count(*) FROM case_events WHERE kind = 'resolve' AND ref IS NOT NULL)
        = (SELECT count(*) FROM rating_objections WHERE resolved_at IS NOT NULL)
    AND (SELECT count(DISTINCT case_id || changes) FROM case_events WHERE kind = 'withdraw')
        = (SELECT count(*) FROM rating_withdrawals);
DROP TABLE counts_match;
DROP TABLE withdrawals;
DROP TABLE resolutions;
DROP TABLE objection_events;
DROP TABLE offsets;

DROP TABLE rating_withdrawals;
DROP TABLE rating_objections;
DROP TABLE rating_files;
DROP TABLE rating_events;
DROP TABLE rating_answers;
DROP TABLE ratings;
DROP TABLE item_files;
DROP TABLE item_events;
DROP TABLE items;
DROP TABLE item_batches;

CREATE INDEX cases_owner ON cases (owner_unit, kind, state);
CREATE INDEX cases_batch ON cases (batch);
CREATE UNIQUE INDEX cases_tracking_code ON cases (tracking_code);
CREATE INDEX cases_escalated ON cases (escalated_to);
CREATE INDEX case_events_case ON case_events (case_id, id);
CREATE INDEX case_events_at ON case_events (at);
CREATE INDEX case_files_file ON case_files (case_id, sha256);
