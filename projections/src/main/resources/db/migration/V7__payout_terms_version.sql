-- Which version of the terms priced each payout line (1 as structured, one more per amendment); NULL on lines
-- recorded before versions were named. Filled by the payouts read model from PayoutTriggered.termsVersion.
ALTER TABLE payout_view ADD COLUMN terms_version INTEGER;
