-- 双随机、一公开 (issue 15 part 6): the three registries, plans, draws and
-- the checks they give. A draw keeps its published inputs (the registry
-- snapshot as sorted id lists, the public value, the digest and the seed)
-- so that anyone can re-run it (core/draw.c, `jiceng draw verify`).

-- 抽查事项清单: what may be checked, on what legal basis, how often.
CREATE TABLE inspection_items (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    basis          TEXT NOT NULL,            -- 法律依据
    ratio_permille INTEGER NOT NULL,         -- 抽查比例, ‰
    frequency      TEXT NOT NULL,            -- 抽查频次, e.g. 每年一次
    department     TEXT NOT NULL DEFAULT ''  -- 检查主体
);

-- 检查对象名录库: enterprises, shops … with the unit they are in.
CREATE TABLE inspection_targets (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,               -- 企业 / 个体工商户 / 农民专业合作社 …
    credit_code TEXT NOT NULL DEFAULT '',    -- 统一社会信用代码
    unit        TEXT NOT NULL REFERENCES units (code),
    active      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX inspection_targets_unit ON inspection_targets (unit, id);

-- 执法检查人员名录库: a person of the persons registry where there is one.
CREATE TABLE inspectors (
    id         INTEGER PRIMARY KEY,
    person_id  BIGINT REFERENCES persons (id),
    name       TEXT NOT NULL,
    department TEXT NOT NULL,
    unit       TEXT NOT NULL REFERENCES units (code),
    active     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX inspectors_unit ON inspectors (unit, id);

-- 回避: this inspector is never drawn for this target.
CREATE TABLE inspection_links (
    inspector_id BIGINT NOT NULL REFERENCES inspectors (id),
    target_id    BIGINT NOT NULL REFERENCES inspection_targets (id),
    reason       TEXT NOT NULL,
    PRIMARY KEY (inspector_id, target_id)
);
CREATE INDEX inspection_links_target ON inspection_links (target_id);

-- A plan: one item over the targets of a unit's subtree, a ratio (‰) or a
-- count, inspectors per target (≥ 2) and the day checks are due.
CREATE TABLE inspection_plans (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    item_id        BIGINT NOT NULL REFERENCES inspection_items (id),
    unit           TEXT NOT NULL REFERENCES units (code),
    ratio_permille INTEGER NOT NULL DEFAULT 0,
    target_count   INTEGER NOT NULL DEFAULT 0,
    per_target     INTEGER NOT NULL DEFAULT 2 CHECK (per_target >= 2),
    deadline       TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL
);

-- One draw a plan, with everything needed to re-run it.
CREATE TABLE inspection_draws (
    id              INTEGER PRIMARY KEY,
    plan_id         BIGINT NOT NULL UNIQUE REFERENCES inspection_plans (id),
    public_value    TEXT NOT NULL,   -- fixed and published before the draw
    registry_digest TEXT NOT NULL,   -- SHA-256 of the snapshot below
    seed            TEXT NOT NULL,   -- SHA-256 of plan id, digest, public value
    targets         TEXT NOT NULL,   -- snapshot: target ids ascending, comma-separated
    inspectors      TEXT NOT NULL,   -- snapshot: inspector ids ascending
    links           TEXT NOT NULL,   -- snapshot: INSPECTOR:TARGET ascending
    drawn_count     INTEGER NOT NULL,
    per_target      INTEGER NOT NULL,
    drawn_by        TEXT NOT NULL,
    drawn_at        TEXT NOT NULL
);

-- A target drawn (seq = its place in the draw order) and its result.
CREATE TABLE inspection_checks (
    id           INTEGER PRIMARY KEY,
    draw_id      BIGINT NOT NULL REFERENCES inspection_draws (id),
    seq          INTEGER NOT NULL,
    target_id    BIGINT NOT NULL REFERENCES inspection_targets (id),
    unit         TEXT NOT NULL REFERENCES units (code),
    result       TEXT NOT NULL DEFAULT '',   -- a result code of kinds/inspection.json
    checked_on   TEXT NOT NULL DEFAULT '',
    publish_by   TEXT NOT NULL DEFAULT '',   -- checked_on + 20 working days
    published_on TEXT NOT NULL DEFAULT '',
    UNIQUE (draw_id, seq)
);
CREATE INDEX inspection_checks_unit ON inspection_checks (unit);

CREATE TABLE inspection_check_inspectors (
    check_id     BIGINT NOT NULL REFERENCES inspection_checks (id),
    seq          INTEGER NOT NULL,
    inspector_id BIGINT NOT NULL REFERENCES inspectors (id),
    PRIMARY KEY (check_id, seq)
);
