-- Contact duties to a person and 万企兴万村 records (issue 15 parts 3, 7).
-- A mentor duty (培养联系人 ↔ 入党积极分子 / 发展对象 / 预备党员, 导师 ↔
-- 新录用公务员; data/grids.json target "person") links the mentor to the
-- mentee; a visit names the mentee it was about. Compliance is counted from
-- those visits like the others, never stored.
ALTER TABLE contact_links ADD COLUMN mentee_id BIGINT REFERENCES persons (id);
ALTER TABLE visits ADD COLUMN mentee_id BIGINT REFERENCES persons (id);
CREATE INDEX contact_links_mentee ON contact_links (mentee_id);

-- What an enterprise ↔ village pair (a contact link of the 万企兴万村 duty)
-- did in a year: projects, jobs given to villagers, purchases of the
-- village's produce and donations (万元). One row per pair and year;
-- rolled up as the computed elements wqxwc.*.
CREATE TABLE pair_records (
    id         INTEGER PRIMARY KEY,
    link_id    BIGINT NOT NULL REFERENCES contact_links (id),
    unit       TEXT NOT NULL REFERENCES units (code), -- the village (the link's unit)
    year       INTEGER NOT NULL,
    projects   INTEGER NOT NULL DEFAULT 0,
    jobs       INTEGER NOT NULL DEFAULT 0,
    purchases  DOUBLE PRECISION NOT NULL DEFAULT 0,   -- 万元
    donations  DOUBLE PRECISION NOT NULL DEFAULT 0,   -- 万元
    notes      TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (link_id, year)
);
CREATE INDEX pair_records_unit ON pair_records (unit, year);
