-- Volunteers (志愿服务, issue 17 part 3): teams under units with a leader,
-- members on the persons register (a person may be in several teams), and
-- each volunteer's sign-in and sign-out at an activity (an event of type
-- volunteer). minutes = sign-out − sign-in − travel, set at sign-out in the
-- transaction that credits the time bank (034_timebank).
CREATE TABLE volunteer_teams (
    id         INTEGER PRIMARY KEY,
    unit       TEXT NOT NULL REFERENCES units (code),
    name       TEXT NOT NULL,
    leader_id  BIGINT REFERENCES persons (id),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (unit, name)
);

CREATE TABLE volunteer_members (
    team_id   BIGINT NOT NULL REFERENCES volunteer_teams (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    joined_on TEXT NOT NULL,
    PRIMARY KEY (team_id, person_id)
);
CREATE INDEX volunteer_members_person ON volunteer_members (person_id);

CREATE TABLE volunteer_signs (
    event_id       BIGINT NOT NULL REFERENCES events (id),
    person_id      BIGINT NOT NULL REFERENCES persons (id),
    signed_in      TEXT NOT NULL,                 -- YYYY-MM-DDTHH:MM, local time
    signed_out     TEXT,                          -- NULL until signed out
    travel_minutes INTEGER NOT NULL DEFAULT 0 CHECK (travel_minutes >= 0),
    minutes        INTEGER CHECK (minutes >= 0),  -- the service counted, NULL until signed out
    created_by     TEXT NOT NULL,
    PRIMARY KEY (event_id, person_id)
);
CREATE INDEX volunteer_signs_person ON volunteer_signs (person_id, event_id);
