-- 共享小区 (issue 17 part 1): needs and offers posted in a community
-- (kind need|offer, a category of data/share.json, an optional building,
-- a window of days), and matches of a need with an offer, confirmed and
-- rated by both sides. Days are counted from 1970-01-01 so that overlap and
-- nearness are integer arithmetic on both databases. A match takes both
-- posts from open to matched with a conditional UPDATE: of two matches of
-- one offer at once exactly one wins.
CREATE TABLE share_posts (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('need', 'offer')),
    category       TEXT NOT NULL,
    unit           TEXT NOT NULL REFERENCES units (code),
    building       TEXT NOT NULL DEFAULT '',
    day_from       INTEGER NOT NULL,
    day_to         INTEGER NOT NULL,
    title          TEXT NOT NULL,
    body           TEXT NOT NULL DEFAULT '',
    contact_sealed TEXT,                    -- core/seal.h token, NULL when none given
    contact_masked TEXT NOT NULL DEFAULT '', -- 138****5678
    code_hash      TEXT UNIQUE,             -- keyed hash of the resident's confirmation code
    state          TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'matched', 'closed')),
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    created_on     TEXT NOT NULL,           -- local day, for the computed elements
    CHECK (day_to >= day_from)
);
-- Suggestions: the open posts of one community, category and kind whose
-- window starts before the need's ends (100 k open rows in a county).
CREATE INDEX share_posts_open ON share_posts (unit, category, kind, day_from) WHERE state = 'open';
CREATE INDEX share_posts_created ON share_posts (created_on);

CREATE TABLE share_matches (
    id                 INTEGER PRIMARY KEY,
    need_id            BIGINT NOT NULL REFERENCES share_posts (id),
    offer_id           BIGINT NOT NULL REFERENCES share_posts (id),
    unit               TEXT NOT NULL REFERENCES units (code),
    created_by         TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    need_confirmed_at  TEXT,
    need_rating        INTEGER CHECK (need_rating BETWEEN 1 AND 5),
    offer_confirmed_at TEXT,
    offer_rating       INTEGER CHECK (offer_rating BETWEEN 1 AND 5),
    done_on            TEXT                 -- local day both sides had confirmed
);
CREATE UNIQUE INDEX share_matches_need ON share_matches (need_id);
CREATE UNIQUE INDEX share_matches_offer ON share_matches (offer_id);
CREATE INDEX share_matches_unit ON share_matches (unit);
CREATE INDEX share_matches_done ON share_matches (done_on) WHERE done_on IS NOT NULL;
