-- Work items (台账): problem lists, weekly dispatch, residents' requests,
-- hazards, disputes and deliberations on one engine. Each type's states
-- and transitions are data (workflows/*.json); the item keeps its state
-- and every step is an event of its timeline.
CREATE TABLE items (
    id            INTEGER PRIMARY KEY,
    type          TEXT NOT NULL,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    unit          TEXT NOT NULL REFERENCES units (code), -- the unit it concerns
    owner_unit    TEXT NOT NULL REFERENCES units (code), -- the unit that must act
    helper_unit   TEXT REFERENCES units (code),          -- 帮扶单位
    assignee      TEXT NOT NULL DEFAULT '',              -- responsible person
    measures      TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL DEFAULT '',
    priority      INTEGER NOT NULL DEFAULT 2 CHECK (priority IN (1, 2, 3)),
    deadline      TEXT,                                  -- YYYY-MM-DD
    location      TEXT NOT NULL DEFAULT '',
    immediate     INTEGER NOT NULL DEFAULT 0,            -- 立行立改
    state         TEXT NOT NULL,
    final         INTEGER NOT NULL DEFAULT 0,
    rating        INTEGER,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    closed_at     TEXT
);
CREATE INDEX items_owner ON items (owner_unit, type, state);

CREATE TABLE item_events (
    id         INTEGER PRIMARY KEY,
    item       BIGINT NOT NULL REFERENCES items (id),
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('create', 'transition', 'comment')),
    transition TEXT,
    from_state TEXT,
    to_state   TEXT,
    note       TEXT NOT NULL DEFAULT '',
    evidence   TEXT NOT NULL DEFAULT '',
    rating     INTEGER
);
CREATE INDEX item_events_item ON item_events (item, id);

INSERT INTO role_perms (role, perm) VALUES
    ('admin', 'items:read'), ('admin', 'items:create'), ('admin', 'items:handle'),
    ('admin', 'items:review'), ('admin', 'items:dispatch'),
    ('county_admin', 'items:read'), ('county_admin', 'items:create'),
    ('county_admin', 'items:handle'), ('county_admin', 'items:review'),
    ('county_admin', 'items:dispatch'),
    ('township_admin', 'items:read'), ('township_admin', 'items:create'),
    ('township_admin', 'items:handle'), ('township_admin', 'items:review'),
    ('township_admin', 'items:dispatch'),
    ('village_secretary', 'items:read'), ('village_secretary', 'items:create'),
    ('village_secretary', 'items:handle'),
    ('grid_worker', 'items:read'), ('grid_worker', 'items:create'), ('grid_worker', 'items:handle'),
    ('observer', 'items:read');
