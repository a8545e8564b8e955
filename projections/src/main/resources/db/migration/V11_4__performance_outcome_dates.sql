-- The performance read model dates outcomes by when they were achieved (a claim's achievedOn, a result's
-- periodEnd, else the day the measurement was submitted), not by when they were recorded: its months and its
-- "as of" views use these days. NULL on facts recorded before (and on settlements, dated by when they were settled):
-- their own moment dates them; `--replay=performance` fills the days of facts recorded before.
ALTER TABLE performance_fact ADD COLUMN outcome_on DATE;
ALTER TABLE performance_payout ADD COLUMN outcome_on DATE;
ALTER TABLE performance_measurement ADD COLUMN submitted_on DATE;
