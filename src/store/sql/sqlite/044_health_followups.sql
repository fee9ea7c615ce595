-- 随访: follow-ups of residents by their family-doctor team (issue 15 part
-- 4). The duties (key group → follow-ups per quarter) are data
-- (data/health.json followups); compliance is counted from these rows,
-- never stored.
CREATE TABLE health_followups (
    id         INTEGER PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES persons (id),
    unit       TEXT NOT NULL REFERENCES units (code), -- the resident's unit on the day
    team_id    BIGINT NOT NULL REFERENCES health_teams (id), -- the contract's team
    day        TEXT NOT NULL,                  -- YYYY-MM-DD
    method     TEXT NOT NULL,                  -- data/health.json followups.methods
    doctor     TEXT NOT NULL,                  -- the doctor's name as written
    note       TEXT NOT NULL DEFAULT '',       -- what was found
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX health_followups_person ON health_followups (person_id, day);
CREATE INDEX health_followups_day ON health_followups (day, person_id);
