-- People, households and party organisations (issue 14): the registry the
-- membership-based mechanisms stand on, after DHIS2 Tracker's tracked
-- entities and enrolments. What a person is to the system is a dated
-- membership; kinds, stages, posts, tags, organisation types and forms are
-- data (data/people.json), so the columns holding them are free text
-- checked by the app against that file.

-- One row per human. The ID-card and phone numbers are stored only sealed
-- (core/seal.c), with a keyed hash for exact lookup (the ID hash is unique:
-- one record per human) and the masked form every reader may see.
CREATE TABLE persons (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    sex          TEXT NOT NULL DEFAULT '' CHECK (sex IN ('', '男', '女')),
    birth_date   TEXT,                      -- YYYY-MM-DD
    ethnicity    TEXT NOT NULL DEFAULT '',
    education    TEXT NOT NULL DEFAULT '',
    unit         TEXT NOT NULL REFERENCES units (code), -- home unit
    id_sealed    TEXT,
    id_hash      TEXT,
    id_masked    TEXT NOT NULL DEFAULT '',
    phone_sealed TEXT,
    phone_hash   TEXT,
    phone_masked TEXT NOT NULL DEFAULT '',
    account      TEXT UNIQUE,               -- the login name of the person's own account (党员)
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX persons_unit ON persons (unit, id);
CREATE UNIQUE INDEX persons_id_hash ON persons (id_hash);
CREATE INDEX persons_phone_hash ON persons (phone_hash); -- family members share a phone

-- 户: under a village, community, grid or building unit.
CREATE TABLE households (
    id         INTEGER PRIMARY KEY,
    unit       TEXT NOT NULL REFERENCES units (code),
    address    TEXT NOT NULL DEFAULT '',
    head_id    BIGINT REFERENCES persons (id),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX households_unit ON households (unit, id);

CREATE TABLE household_tags (
    household_id BIGINT NOT NULL REFERENCES households (id),
    tag          TEXT NOT NULL, -- data/people.json household_tags
    PRIMARY KEY (household_id, tag)
);
CREATE INDEX household_tags_tag ON household_tags (tag, household_id);

-- 党委 / 党总支 / 党支部 / 党小组 attached to a unit. term_years defaults
-- by the unit's kind (data/people.json terms); dissolved_on ends it.
CREATE TABLE party_orgs (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    type         TEXT NOT NULL,             -- org_types
    form         TEXT NOT NULL DEFAULT 'standard', -- org_forms
    unit         TEXT NOT NULL REFERENCES units (code),
    parent_id    BIGINT REFERENCES party_orgs (id),
    founded_on   TEXT NOT NULL,             -- YYYY-MM-DD
    term_start   TEXT,                      -- YYYY-MM-DD of the current term
    term_years   INTEGER NOT NULL CHECK (term_years BETWEEN 1 AND 10),
    dissolved_on TEXT,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX party_orgs_unit ON party_orgs (unit, id);
CREATE INDEX party_orgs_parent ON party_orgs (parent_id);

-- What a person is, from a day to a day ([from_date, to_date), to_date NULL
-- while it holds): a kind of data/people.json membership_kinds, with its
-- stage or post; `unit` is where it counts (the organisation's or the
-- household's unit, or the unit itself) so counts by unit need no join.
CREATE TABLE memberships (
    id           INTEGER PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES persons (id),
    kind         TEXT NOT NULL,
    stage        TEXT NOT NULL DEFAULT '',
    unit         TEXT NOT NULL REFERENCES units (code),
    org_id       BIGINT REFERENCES party_orgs (id),
    household_id BIGINT REFERENCES households (id),
    from_date    TEXT NOT NULL,
    to_date      TEXT,
    end_reason   TEXT NOT NULL DEFAULT '',
    attributes   TEXT NOT NULL DEFAULT '{}', -- JSON object
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    CHECK (to_date IS NULL OR to_date > from_date)
);
CREATE INDEX memberships_kind_unit ON memberships (kind, unit, stage, from_date, to_date, person_id);
CREATE INDEX memberships_person ON memberships (person_id, kind, from_date);
CREATE INDEX memberships_org ON memberships (org_id, kind, from_date);
CREATE INDEX memberships_household ON memberships (household_id, from_date);

-- Computed data elements (DHIS2 program indicators): counted from the
-- registry instead of entered. `computed` is the definition, JSON such as
-- {"source":"memberships","kind":"party_member","stage":["formal"]}.
ALTER TABLE elements ADD COLUMN computed TEXT;
-- An existing catalogue keeps its entered party.members as it is: its
-- figures, their audit records and the ratings scored on them stay valid
-- (converting it would change published scores and leave values without
-- the audit records that wrote them). A fresh catalogue gets the computed
-- definition from data/definitions.json.

-- 人员档案 and 党组织, as data/roles.json grants them.
INSERT INTO roles (code, name, rank) VALUES ('party_member', '党员', 5) ON CONFLICT DO NOTHING;
INSERT INTO role_perms (role, perm) VALUES
    ('admin', 'persons:read'), ('admin', 'persons:write'), ('admin', 'party:manage'),
    ('county_admin', 'persons:read'), ('county_admin', 'persons:write'),
    ('county_admin', 'party:manage'),
    ('township_admin', 'persons:read'), ('township_admin', 'persons:write'),
    ('township_admin', 'party:manage'),
    ('village_secretary', 'persons:read'), ('village_secretary', 'persons:write'),
    ('village_secretary', 'party:manage'),
    ('grid_worker', 'persons:read'), ('grid_worker', 'persons:write'),
    ('observer', 'persons:read'),
    ('party_member', 'persons:self'), ('admin', 'persons:self'), ('county_admin', 'persons:self'),
    ('township_admin', 'persons:self'), ('village_secretary', 'persons:self'),
    -- 发布通知公告 (data/roles.json since 019) was never seeded by a migration
    ('admin', 'notices:send'), ('county_admin', 'notices:send'),
    ('township_admin', 'notices:send'), ('village_secretary', 'notices:send')
ON CONFLICT DO NOTHING;
