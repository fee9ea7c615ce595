-- Casting a ballot wrote six random pages: the code's row, two entries of a
-- code index that held `used`, the ballot's row and its index entry. Turnout
-- is now counted per group as ballots are written (one per used code, in the
-- same transaction), so the code index leaves `used` out and casting does
-- not touch it; ballots are keyed by campaign, group and their random id, so a
-- campaign's ballots are read in order without a second index. The key's
-- last part is still random: the storage order does not follow casting.
DROP INDEX eval_codes_campaign;
CREATE INDEX eval_codes_campaign ON eval_codes (campaign_id, grp);

CREATE TABLE eval_ballots_keyed (
    id          TEXT NOT NULL,                 -- random, 32 hex digits
    campaign_id BIGINT NOT NULL REFERENCES eval_campaigns (id),
    grp         INTEGER NOT NULL,
    answers     TEXT NOT NULL,                 -- JSON [{"subject","grade"|"scores"}…]
    PRIMARY KEY (campaign_id, grp, id)
) WITHOUT ROWID;
INSERT INTO eval_ballots_keyed (id, campaign_id, grp, answers)
    SELECT id, campaign_id, grp, answers FROM eval_ballots;
DROP TABLE eval_ballots;
ALTER TABLE eval_ballots_keyed RENAME TO eval_ballots;

ALTER TABLE eval_groups ADD COLUMN cast_n BIGINT NOT NULL DEFAULT 0;
UPDATE eval_groups SET cast_n = (SELECT count(*) FROM eval_ballots b
    WHERE b.campaign_id = eval_groups.campaign_id AND b.grp = eval_groups.seq);
