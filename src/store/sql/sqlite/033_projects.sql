-- Key projects (重点项目, issue 17 part 5): a register, a yearly investment
-- plan, monthly reports of what was invested and milestones with planned
-- and actual dates (倒排工期). Year-to-date and percentages are computed
-- when read, never stored. A late milestone opens one problem case
-- (case_id, unique: a milestone opens at most one).
-- Money is in 万元 × 100 (integer hundredths), exact on both databases.

CREATE TABLE projects (
    id          INTEGER PRIMARY KEY,
    unit        TEXT NOT NULL REFERENCES units (code), -- the place: scope and rollups
    name        TEXT NOT NULL,
    scale       TEXT NOT NULL DEFAULT '',            -- 建设规模, free text
    nature      TEXT NOT NULL,                       -- data/projects.json natures
    leader_id   BIGINT REFERENCES persons (id),      -- 包联县级领导
    owner_unit  TEXT NOT NULL REFERENCES units (code), -- 责任单位
    total_cents BIGINT NOT NULL CHECK (total_cents > 0), -- 总投资, 万元 × 100
    starts_on   TEXT NOT NULL,                       -- YYYY-MM-DD
    ends_on     TEXT NOT NULL,                       -- YYYY-MM-DD, planned completion
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (unit, name)
);
CREATE INDEX projects_unit ON projects (unit, id);

CREATE TABLE project_plans (
    project_id BIGINT NOT NULL REFERENCES projects (id),
    year       INTEGER NOT NULL,
    plan_cents BIGINT NOT NULL CHECK (plan_cents >= 0),
    PRIMARY KEY (project_id, year)
);

CREATE TABLE project_reports (
    project_id     BIGINT NOT NULL REFERENCES projects (id),
    month          TEXT NOT NULL,                    -- YYYY-MM
    invested_cents BIGINT NOT NULL CHECK (invested_cents >= 0),
    progress       TEXT NOT NULL DEFAULT '',         -- 形象进度
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (project_id, month)
);
CREATE INDEX project_reports_month ON project_reports (month, project_id);

CREATE TABLE project_milestones (
    id         INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    name       TEXT NOT NULL,
    planned_on TEXT NOT NULL,                        -- YYYY-MM-DD
    done_on    TEXT,                                 -- YYYY-MM-DD, NULL: not yet
    case_id    BIGINT UNIQUE REFERENCES cases (id),  -- the problem case it opened when late
    UNIQUE (project_id, name)
);
CREATE INDEX project_milestones_due ON project_milestones (planned_on, done_on);
