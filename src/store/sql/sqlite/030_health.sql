-- Family doctors and the 30-minute health circle (issue 15 parts 4 and 5).
-- Facility types, key groups, service packages, stop reasons and the
-- travel-time settings are data (data/health.json); coverage is computed,
-- never stored.

-- 乡镇卫生院, 社区卫生服务中心, 村卫生室 … attached to a unit; coordinates
-- kept in WGS-84 (GCJ-02 input is converted on the way in), NULL: not yet
-- located.
CREATE TABLE health_facilities (
    id         INTEGER PRIMARY KEY,
    unit       TEXT NOT NULL REFERENCES units (code),
    type       TEXT NOT NULL,                  -- data/health.json facility_types
    name       TEXT NOT NULL,
    lat        DOUBLE PRECISION,
    lng        DOUBLE PRECISION,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX health_facilities_unit ON health_facilities (unit, id);

-- A village's (or community's) location for the circle, WGS-84.
CREATE TABLE health_unit_points (
    unit TEXT PRIMARY KEY REFERENCES units (code),
    lat  DOUBLE PRECISION NOT NULL,
    lng  DOUBLE PRECISION NOT NULL
);

-- 家庭医生团队: a facility's team, led by a doctor (a person).
CREATE TABLE health_teams (
    id          INTEGER PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES health_facilities (id),
    unit        TEXT NOT NULL REFERENCES units (code), -- the facility's unit: scope
    name        TEXT NOT NULL,
    leader_id   BIGINT REFERENCES persons (id),
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX health_teams_unit ON health_teams (unit, id);

-- 签约: one resident with one team for [start_date, end_date); stopped
-- early with a reason from data/health.json stop_reasons (then end_date is
-- the stop day). At most one holding at a time per resident: checked in
-- the transaction that writes it (app/health.c).
CREATE TABLE health_contracts (
    id          INTEGER PRIMARY KEY,
    person_id   BIGINT NOT NULL REFERENCES persons (id),
    unit        TEXT NOT NULL REFERENCES units (code), -- the resident's unit when signed
    team_id     BIGINT NOT NULL REFERENCES health_teams (id),
    package     TEXT NOT NULL,                  -- data/health.json packages
    start_date  TEXT NOT NULL,                  -- YYYY-MM-DD
    end_date    TEXT NOT NULL,                  -- exclusive
    stop_reason TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX health_contracts_person ON health_contracts (person_id, start_date, end_date);
CREATE INDEX health_contracts_unit ON health_contracts (unit, end_date, start_date, person_id);

-- A resident's health tags (hypertension, diabetes …, data/health.json
-- person_tags): with age they decide the key groups.
CREATE TABLE health_person_tags (
    person_id BIGINT NOT NULL REFERENCES persons (id),
    tag       TEXT NOT NULL,
    PRIMARY KEY (person_id, tag)
);
