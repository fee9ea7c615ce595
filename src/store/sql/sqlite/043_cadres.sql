-- 干部队伍 (issue 16 part 6): the reserve cadre pool of a unit and year
-- (后备干部: a person and the post they are reserved for; age and whether
-- college-educated are kept as of the entry, so the yearly statistics do
-- not move when a birthday passes), the community workers of 三岗十八级
-- (post, start date, degree, certificate: the grade is computed, never
-- stored), and which exam event is the make-up (补考) of which first exam
-- (scores themselves are event participants' data {"score": n}).
CREATE TABLE cadre_reserves (
    id         INTEGER PRIMARY KEY,
    unit       TEXT NOT NULL REFERENCES units (code),
    year       INTEGER NOT NULL,
    person_id  BIGINT NOT NULL REFERENCES persons (id),
    post       TEXT NOT NULL,
    age        INTEGER NOT NULL,
    college    INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (unit, year, person_id)
);
CREATE INDEX cadre_reserves_year ON cadre_reserves (year, unit);

CREATE TABLE cadre_workers (
    id          INTEGER PRIMARY KEY,
    unit        TEXT NOT NULL REFERENCES units (code),
    person_id   BIGINT NOT NULL UNIQUE REFERENCES persons (id),
    post        TEXT NOT NULL,
    start_date  TEXT NOT NULL,
    degree      TEXT NOT NULL,
    certificate TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX cadre_workers_unit ON cadre_workers (unit);

CREATE TABLE cadre_makeups (
    event_id   BIGINT PRIMARY KEY REFERENCES events (id),
    makeup_of  BIGINT NOT NULL REFERENCES events (id),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX cadre_makeups_of ON cadre_makeups (makeup_of);
