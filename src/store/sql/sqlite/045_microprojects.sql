-- 微项目 (issue 17 part 2): a case of kind "microproject" packaging several
-- wishes with a budget and participants. Its budget (whole 元); the wishes
-- it packages (a wish in one project at a time: wish_id is the key, and a
-- link to a project that was dropped is removed before a new one is made);
-- who took part (a person, unit or enterprise, with how many took part).
CREATE TABLE microprojects (
    case_id     INTEGER PRIMARY KEY REFERENCES cases (id),
    budget_yuan INTEGER NOT NULL CHECK (budget_yuan > 0)
);

CREATE TABLE microproject_wishes (
    wish_id    INTEGER PRIMARY KEY REFERENCES cases (id),
    project_id INTEGER NOT NULL REFERENCES cases (id),
    linked_at  TEXT NOT NULL,
    linked_by  TEXT NOT NULL
);
CREATE INDEX microproject_wishes_project ON microproject_wishes (project_id);

CREATE TABLE microproject_participants (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES cases (id),
    kind       TEXT NOT NULL CHECK (kind IN ('person', 'unit', 'enterprise')),
    name       TEXT NOT NULL,
    count      INTEGER NOT NULL CHECK (count > 0),
    added_at   TEXT NOT NULL,
    added_by   TEXT NOT NULL
);
CREATE INDEX microproject_participants_project ON microproject_participants (project_id);
CREATE INDEX microproject_participants_added ON microproject_participants (added_at);
