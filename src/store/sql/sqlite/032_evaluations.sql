-- Evaluations (述职评议, 抓党建述职, 民主评议党员; issue 16): a campaign of a
-- year with a ballot form and an aggregation rule (data/evaluations.json),
-- its subjects, its rater groups with weights, one-time ballot codes and the
-- ballots cast.
--
-- Secrecy: "who voted" (eval_codes: a keyed hash and a used flag, no
-- answers, no time) and "what was voted" (eval_ballots: answers, no code,
-- no rater, no time) are kept apart; a ballot's id is random and the table
-- is WITHOUT ROWID, so neither its key nor its storage order follow the
-- order of casting.

CREATE TABLE eval_campaigns (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    year       INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('departments', 'secretaries', 'members', 'units')),
    form       TEXT NOT NULL,                  -- data/evaluations.json forms[].code
    rule       TEXT NOT NULL,                  -- data/evaluations.json rules[].code
    unit       TEXT NOT NULL REFERENCES units (code), -- the organiser: scope and rollups
    status     TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    notice_until TEXT NOT NULL DEFAULT '',     -- end of the 公示 after closing, YYYY-MM-DD
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    closed_at  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX eval_campaigns_unit ON eval_campaigns (unit, year);

-- County departments: subjects of 述职评议 that are not units of the tree.
CREATE TABLE eval_departments (
    id     INTEGER PRIMARY KEY,
    county TEXT NOT NULL REFERENCES units (code),
    name   TEXT NOT NULL,
    UNIQUE (county, name)
);

CREATE TABLE eval_groups (
    campaign_id BIGINT NOT NULL REFERENCES eval_campaigns (id),
    seq         INTEGER NOT NULL,              -- 0, 1, … in the order given
    name        TEXT NOT NULL,
    weight      INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 100), -- percent
    PRIMARY KEY (campaign_id, seq)
);

CREATE TABLE eval_subjects (
    campaign_id   BIGINT NOT NULL REFERENCES eval_campaigns (id),
    seq           INTEGER NOT NULL,
    name          TEXT NOT NULL,
    department_id BIGINT REFERENCES eval_departments (id),
    person_id     BIGINT REFERENCES persons (id),
    unit          TEXT REFERENCES units (code),
    PRIMARY KEY (campaign_id, seq)
);

CREATE TABLE eval_codes (
    hash        TEXT PRIMARY KEY,              -- keyed BLAKE2b of the code (hex)
    campaign_id BIGINT NOT NULL REFERENCES eval_campaigns (id),
    grp         INTEGER NOT NULL,
    used        INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
) WITHOUT ROWID;
CREATE INDEX eval_codes_campaign ON eval_codes (campaign_id, grp, used);

CREATE TABLE eval_ballots (
    id          TEXT PRIMARY KEY,              -- random, 32 hex digits
    campaign_id BIGINT NOT NULL REFERENCES eval_campaigns (id),
    grp         INTEGER NOT NULL,
    answers     TEXT NOT NULL                  -- JSON [{"subject","grade"|"scores"}…]
) WITHOUT ROWID;
CREATE INDEX eval_ballots_campaign ON eval_ballots (campaign_id, grp);
