-- Contests (擂台比武, issue 16 part 4): judges score contestants per
-- criterion on a phone; the stage score is the trimmed mean of the judges'
-- totals (core/evaluation.h), combined with the site-visit score by the
-- contest's weights; ranks and awards are computed, never stored. Criteria
-- and the award split are kept as JSON as they were when the contest was
-- created (data/contests.json). 金点子 (good practices) with one vote per user.
CREATE TABLE contests (
    id           INTEGER PRIMARY KEY,
    unit         TEXT NOT NULL REFERENCES units (code),
    name         TEXT NOT NULL,
    year         INTEGER NOT NULL,
    stage_weight INTEGER NOT NULL CHECK (stage_weight BETWEEN 0 AND 100),
    site_weight  INTEGER NOT NULL CHECK (site_weight BETWEEN 0 AND 100),
    criteria     TEXT NOT NULL,             -- [{"name","max"}…]
    awards       TEXT NOT NULL,             -- [{"name","count"|"share","fund"}…]
    current_seq  INTEGER NOT NULL DEFAULT 0, -- the contestant on stage, 0 none
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX contests_unit ON contests (unit, year);

CREATE TABLE contest_contestants (
    contest_id BIGINT NOT NULL REFERENCES contests (id),
    seq        INTEGER NOT NULL,
    person_id  BIGINT REFERENCES persons (id),
    name       TEXT NOT NULL,
    unit       TEXT NOT NULL REFERENCES units (code),
    round      TEXT NOT NULL DEFAULT 'waiting' CHECK (round IN ('waiting', 'open', 'closed')),
    site_score DOUBLE PRECISION,            -- 实地察看, NULL not yet
    PRIMARY KEY (contest_id, seq)
);

CREATE TABLE contest_judges (
    contest_id BIGINT NOT NULL REFERENCES contests (id),
    seq        INTEGER NOT NULL,
    person_id  BIGINT REFERENCES persons (id),
    name       TEXT NOT NULL,
    unit       TEXT NOT NULL REFERENCES units (code),
    code_hash  TEXT NOT NULL UNIQUE,        -- keyed hash of the judge's phone code
    recused    TEXT NOT NULL DEFAULT '[]',  -- contestant seqs declared 回避
    PRIMARY KEY (contest_id, seq)
);

CREATE TABLE contest_scores (
    contest_id BIGINT NOT NULL REFERENCES contests (id),
    contestant INTEGER NOT NULL,
    judge      INTEGER NOT NULL,
    scores     TEXT NOT NULL,               -- [n per criterion]
    total      DOUBLE PRECISION NOT NULL,
    scored_at  TEXT NOT NULL,
    PRIMARY KEY (contest_id, contestant, judge)
);

CREATE TABLE contest_ideas (
    id         INTEGER PRIMARY KEY,
    contest_id BIGINT NOT NULL REFERENCES contests (id),
    contestant INTEGER NOT NULL DEFAULT 0,  -- 0: not from a contestant
    unit       TEXT NOT NULL REFERENCES units (code),
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    tags       TEXT NOT NULL DEFAULT '[]',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX contest_ideas_contest ON contest_ideas (contest_id);

CREATE TABLE contest_idea_votes (
    idea_id  BIGINT NOT NULL REFERENCES contest_ideas (id),
    username TEXT NOT NULL,
    PRIMARY KEY (idea_id, username)
);
