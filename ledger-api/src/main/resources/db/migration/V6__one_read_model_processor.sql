-- The seven read models moved from a processor each to one processor, "read-models", which reads and commits every
-- event once for all of them. The new processor starts without a token, so the read models are emptied here and
-- rebuilt from the first event when the ledger starts: the same as a replay. The tokens of the seven old processors
-- and their dead letters go with them (a letter's event is processed again by the rebuild, and dead-lettered again
-- if it still fails).
DELETE FROM tokenentry
WHERE processorname IN ('bonds', 'history', 'liabilities', 'measurements', 'payouts', 'performance', 'portfolio');
DELETE FROM deadletterentry
WHERE processinggroup IN ('bonds', 'history', 'liabilities', 'measurements', 'payouts', 'performance', 'portfolio');
TRUNCATE bond_party, bond_view, payout_view, payout_bond, history_event, measurement_payout, measurement_view,
    measurement_bond, performance_fact, performance_payout, performance_measurement, performance_participant,
    performance_terms, performance_bond, portfolio_line, portfolio_bond, liability_payout, liability_payer,
    liability_bond;
