-- Cases about a person (subject "person" of the case engine, app/cases.c):
-- 发展党员 (kinds/development.json) and 组织关系转接 (kinds/transfer.json).
-- org_id is the party organisation the case happens in (a transfer's
-- sending one), to_org_id a transfer's receiving one; steps holds the date
-- of every step taken and the numbers given with it (JSON object by
-- transition code), since the day the case entered its state.
CREATE TABLE case_persons (
    case_id   INTEGER PRIMARY KEY REFERENCES cases (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    org_id    BIGINT NOT NULL REFERENCES party_orgs (id),
    to_org_id BIGINT REFERENCES party_orgs (id),
    steps     TEXT NOT NULL DEFAULT '{}',
    since     TEXT NOT NULL
);
CREATE INDEX case_persons_person ON case_persons (person_id, case_id);
CREATE INDEX cases_unit ON cases (unit, kind);
