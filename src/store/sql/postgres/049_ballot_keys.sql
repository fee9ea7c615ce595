-- Turnout is counted per group as ballots are written (one per used code, in
-- the same transaction), so the code index leaves `used` out and casting
-- does not touch it; ballots are keyed by campaign, group and their random id, so a
-- campaign's ballots are read in order without a second index.
DROP INDEX eval_codes_campaign;
CREATE INDEX eval_codes_campaign ON eval_codes (campaign_id, grp);

ALTER TABLE eval_ballots DROP CONSTRAINT eval_ballots_pkey;
ALTER TABLE eval_ballots ADD PRIMARY KEY (campaign_id, grp, id);
DROP INDEX eval_ballots_campaign;

ALTER TABLE eval_groups ADD COLUMN cast_n BIGINT NOT NULL DEFAULT 0;
UPDATE eval_groups SET cast_n = (SELECT count(*) FROM eval_ballots b
    WHERE b.campaign_id = eval_groups.campaign_id AND b.grp = eval_groups.seq);
