-- Events (活动, issue 14 parts 4 and 5), after DHIS2 Tracker's events: a
-- meeting, lesson, visit, training, exam or service of a type
-- (data/events.json), organised by a party organisation or a unit, planned
-- or held on a day, with participants, their attendance and per-person
-- values, and evidence files. Duties (data/events.json) turn held events
-- into compliance figures; nothing about compliance is stored.

CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    type       TEXT NOT NULL,                  -- event_types
    org_id     BIGINT REFERENCES party_orgs (id), -- the organiser, or NULL: the unit
    unit       TEXT NOT NULL REFERENCES units (code), -- the organiser's unit: scope and rollups
    status     TEXT NOT NULL CHECK (status IN ('planned', 'held')),
    starts_at  TEXT NOT NULL,                  -- YYYY-MM-DDTHH:MM, local time
    day        TEXT NOT NULL,                  -- YYYY-MM-DD of starts_at
    place      TEXT NOT NULL DEFAULT '',
    topic      TEXT NOT NULL,
    notes      TEXT NOT NULL DEFAULT '',
    actions    TEXT NOT NULL DEFAULT '[]',     -- JSON array of the ticked action codes
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- lists of a subtree by day; compliance: held events of a period by organiser and type
CREATE INDEX events_unit_day ON events (unit, day, id);
CREATE INDEX events_held ON events (status, day, org_id, type, unit);
CREATE INDEX events_org ON events (org_id, type, day);

-- Who took part: attendance a code of data/events.json attendance, data a
-- JSON object of the type's per-person values ({"hours": 2}).
CREATE TABLE event_participants (
    event_id   BIGINT NOT NULL REFERENCES events (id),
    person_id  BIGINT NOT NULL REFERENCES persons (id),
    attendance TEXT NOT NULL,
    data       TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (event_id, person_id)
);
CREATE INDEX event_participants_person ON event_participants (person_id, event_id);
-- member duties (every 预备党员 …): the memberships of a kind and stage holding in a period
CREATE INDEX memberships_kind_stage ON memberships (kind, stage, from_date, to_date, unit, person_id, org_id);

-- Evidence (plan, notes, photos, sign-in sheet): uploaded files attached by name.
CREATE TABLE event_files (
    event_id BIGINT NOT NULL REFERENCES events (id),
    sha256   TEXT NOT NULL REFERENCES files (sha256),
    name     TEXT NOT NULL,
    PRIMARY KEY (event_id, sha256)
);
