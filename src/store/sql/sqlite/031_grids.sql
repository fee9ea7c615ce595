-- Grids and visits (issue 15 parts 1-3). Grids are units of kind 网格 /
-- 小区 / 楼栋 below villages (units); households are placed in a grid by
-- their unit. Contact links tie a person to what they must visit: a unit
-- (包联领导 ↔ 重点村, "1+1" pairs, 万企兴万村) or a household (党员联户,
-- 网格员); the duty (data/grids.json duties) says how often. A visit is a
-- held event of type "visit" (events) with its details here; compliance is
-- counted from the visits, never stored.

CREATE TABLE contact_links (
    id           INTEGER PRIMARY KEY,
    duty         TEXT NOT NULL,                          -- data/grids.json duties
    person_id    BIGINT NOT NULL REFERENCES persons (id), -- who visits
    unit         TEXT NOT NULL REFERENCES units (code),  -- the unit visited, or the household's unit
    household_id BIGINT REFERENCES households (id),      -- the household visited, or NULL
    partner      TEXT NOT NULL DEFAULT '',               -- the other side's name (enterprise, community)
    from_date    TEXT NOT NULL,
    to_date      TEXT NOT NULL DEFAULT '',               -- '' while it holds
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX contact_links_unit ON contact_links (unit, duty, person_id);
CREATE INDEX contact_links_person ON contact_links (person_id, duty);
CREATE INDEX contact_links_household ON contact_links (household_id);

CREATE TABLE visits (
    event_id     BIGINT NOT NULL PRIMARY KEY REFERENCES events (id),
    person_id    BIGINT NOT NULL REFERENCES persons (id),
    unit         TEXT NOT NULL REFERENCES units (code),
    household_id BIGINT REFERENCES households (id),
    day          TEXT NOT NULL,
    method       TEXT NOT NULL,                          -- data/grids.json methods
    findings     TEXT NOT NULL DEFAULT '',
    needs        TEXT NOT NULL DEFAULT '',
    case_id      BIGINT REFERENCES cases (id)            -- the 群众诉求 raised from it
);
CREATE INDEX visits_person ON visits (person_id, day);
CREATE INDEX visits_unit ON visits (unit, day);
CREATE INDEX visits_case ON visits (case_id);
