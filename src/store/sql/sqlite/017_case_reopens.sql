-- How often a case's finished work was sent back (steps whose kind marks
-- them `reopens`): the monthly review counts a reopened item as not on
-- time even when it was first finished before its deadline. Counted by the
-- one transition path from now on; here from the timelines, with the
-- reopening steps the shipped kinds had when this migration was written.
ALTER TABLE cases ADD COLUMN reopens INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET reopens = (
    SELECT count(*) FROM case_events e
    WHERE e.case_id = cases.id AND e.kind = 'transition'
      AND ((cases.kind = 'problem' AND e.transition = 'reopen')
           OR (cases.kind IN ('dispatch', 'hazard', 'rating') AND e.transition = 'return')))
WHERE kind IN ('problem', 'dispatch', 'hazard', 'rating');
