-- Evaluations, part two (issue 16 parts 1, 3, 5): the department register
-- can retire a department (kept for the campaigns that rated it), and a
-- closed campaign's outcome per subject is kept as written on closing —
-- score, rank, the grade a member review gives (the member's record), and
-- the 整改 case opened for a subject below the rule's threshold.

ALTER TABLE eval_departments ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));

CREATE TABLE eval_outcomes (
    campaign_id BIGINT NOT NULL REFERENCES eval_campaigns (id),
    seq         INTEGER NOT NULL,
    person_id   BIGINT REFERENCES persons (id),
    score       DOUBLE PRECISION,              -- NULL: no valid vote
    rank        INTEGER NOT NULL DEFAULT 0,    -- 0: not ranked
    grade       TEXT NOT NULL DEFAULT '',      -- data/evaluations.json forms[].grades[].code
    case_id     BIGINT REFERENCES cases (id),  -- the 整改 case, NULL none
    PRIMARY KEY (campaign_id, seq)
);
CREATE INDEX eval_outcomes_person ON eval_outcomes (person_id) WHERE person_id IS NOT NULL;
