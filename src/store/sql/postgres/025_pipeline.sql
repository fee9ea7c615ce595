-- PostgreSQL twin of sql/sqlite/025_pipeline.sql.
-- Cases about a person (subject "person" of the case engine): 发展党员 and
-- 组织关系转接. org_id: where the case happens (a transfer's sending
-- organisation); to_org_id: a transfer's receiving one; steps: the date of
-- every step and the numbers given with it; since: the day the case
-- entered its state.
CREATE TABLE case_persons (
    case_id   BIGINT PRIMARY KEY REFERENCES cases (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    org_id    BIGINT NOT NULL REFERENCES party_orgs (id),
    to_org_id BIGINT REFERENCES party_orgs (id),
    steps     TEXT NOT NULL DEFAULT '{}',
    since     TEXT NOT NULL
);
CREATE INDEX case_persons_person ON case_persons (person_id, case_id);
CREATE INDEX cases_unit ON cases (unit, kind);
