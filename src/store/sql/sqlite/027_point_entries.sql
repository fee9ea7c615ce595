-- Points an event's attendance earns are rows, not cases (issue 14 part 7):
-- nobody acts on them, and a province's sign-ins (tens of millions a year)
-- would swamp the cases table. A point entry gets its own id; `case_id` is
-- the claim's case, NULL for an entry another engine wrote (`source`,
-- `source_ref`), whose `counted` follows that engine (0: withdrawn).
-- Existing entries keep their case's id as their own.
CREATE TABLE point_entries_new (
    id         INTEGER PRIMARY KEY,
    case_id    BIGINT UNIQUE REFERENCES cases (id),
    person_id  BIGINT NOT NULL REFERENCES persons (id),
    unit       TEXT NOT NULL REFERENCES units (code),
    rule       TEXT NOT NULL,
    points     INTEGER NOT NULL,
    day        TEXT NOT NULL,
    source     TEXT NOT NULL DEFAULT 'claim',
    source_ref TEXT NOT NULL DEFAULT '',
    counted    INTEGER NOT NULL DEFAULT 0,
    CHECK ((case_id IS NULL) = (source <> 'claim'))
);
INSERT INTO point_entries_new (id, case_id, person_id, unit, rule, points, day, source,
                               source_ref, counted)
    SELECT case_id, CASE WHEN source = 'claim' THEN case_id END, person_id, unit, rule, points,
           day, source, source_ref, counted
    FROM point_entries;
DROP TABLE point_entries;
ALTER TABLE point_entries_new RENAME TO point_entries;
CREATE UNIQUE INDEX point_entries_source ON point_entries (person_id, rule, source, source_ref)
    WHERE source_ref <> '';
CREATE INDEX point_entries_person ON point_entries (person_id, day);
CREATE INDEX point_entries_unit ON point_entries (unit, day);
CREATE INDEX point_entries_ref ON point_entries (source, source_ref) WHERE source_ref <> '';
