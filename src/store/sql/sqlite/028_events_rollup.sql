-- The compliance rollup (party.meetings.due / held, app/events_compliance.c)
-- reads a period's held events by organiser, type and day: in this order the
-- index hands them over sorted and covers the subtree test on unit, so the
-- province's two million events a year are read without a sort.
CREATE INDEX events_rollup ON events (status, org_id, type, day, unit);
