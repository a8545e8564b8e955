-- Read models must equal a replay row for row, so no read-model column may come from a database sequence: rows are
-- ordered by what the events say (bond sequence, event time). The two columns that did are replaced, and the
-- payouts read model is rebuilt from the event store by removing its token.
ALTER TABLE bond_view DROP COLUMN global_index;
CREATE INDEX bond_view_by_time ON bond_view (structured_at, bond_id);

DELETE FROM payout_view;
DELETE FROM payout_bond;
DELETE FROM tokenentry WHERE processorname = 'payouts';
ALTER TABLE payout_view DROP COLUMN global_index;
ALTER TABLE payout_view ADD COLUMN bond_sequence BIGINT NOT NULL;
CREATE INDEX payout_view_by_bond ON payout_view (bond_id, bond_sequence, payout_id);

-- "history": every event of a bond with who acted, when and its place in the hash chain.
CREATE TABLE history_event (
    bond_id          VARCHAR(64)  NOT NULL,
    sequence         BIGINT       NOT NULL,
    event_id         VARCHAR(64)  NOT NULL,
    type             VARCHAR(64)  NOT NULL,
    revision         VARCHAR(16),
    occurred_at      TIMESTAMPTZ  NOT NULL,
    actor            VARCHAR(64),
    on_behalf_of     VARCHAR(64),
    idempotency_key  VARCHAR(200),
    hash             CHAR(64),
    previous_hash    CHAR(64),
    payload          JSONB        NOT NULL,
    PRIMARY KEY (bond_id, sequence)
);

-- "measurements": the approval queue of each bond's payers and the submissions of each evaluator.
CREATE TABLE measurement_view (
    bond_id         VARCHAR(64)  NOT NULL,
    measurement_id  VARCHAR(128) NOT NULL,
    sequence        BIGINT       NOT NULL,
    evaluator_id    VARCHAR(64)  NOT NULL,
    type            VARCHAR(32)  NOT NULL,
    metric          VARCHAR(64),
    cohort_id       VARCHAR(64),
    period          VARCHAR(64),
    units           INTEGER      NOT NULL,
    evidence_refs   JSONB        NOT NULL,
    measurement     JSONB        NOT NULL,
    supersedes      VARCHAR(128),
    superseded_by   VARCHAR(128),
    status          VARCHAR(16)  NOT NULL,
    decided_by      VARCHAR(64),
    reason          TEXT,
    submitted_at    TIMESTAMPTZ  NOT NULL,
    decided_at      TIMESTAMPTZ,
    currency        CHAR(3)      NOT NULL,
    PRIMARY KEY (bond_id, measurement_id)
);
-- What each measurement's approval triggered; summed when read, so a payout is counted once however often seen.
CREATE TABLE measurement_payout (
    payout_id       VARCHAR(64)  PRIMARY KEY,
    bond_id         VARCHAR(64)  NOT NULL,
    measurement_id  VARCHAR(128) NOT NULL,
    payable         NUMERIC(30, 10) NOT NULL,
    capped          NUMERIC(30, 10) NOT NULL,
    cancelled       BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX measurement_payout_by_measurement ON measurement_payout (bond_id, measurement_id);
CREATE INDEX measurement_view_queue ON measurement_view (bond_id, status, sequence);
CREATE INDEX measurement_view_by_evaluator ON measurement_view (evaluator_id, bond_id, sequence);
CREATE TABLE measurement_bond (
    bond_id  VARCHAR(64) PRIMARY KEY,
    currency CHAR(3)     NOT NULL
);

-- "performance": append-only facts per metric and cohort, so "as of" a date and the monthly series are sums
-- over facts recorded up to a time. A fact's key is the event's place in its bond's stream.
CREATE TABLE performance_bond (
    bond_id  VARCHAR(64) PRIMARY KEY,
    currency CHAR(3)     NOT NULL
);
CREATE TABLE performance_terms (
    bond_id        VARCHAR(64) NOT NULL,
    sequence       BIGINT      NOT NULL,
    effective_at   TIMESTAMPTZ NOT NULL,
    terms          JSONB       NOT NULL,
    PRIMARY KEY (bond_id, sequence)
);
CREATE TABLE performance_participant (
    bond_id          VARCHAR(64) NOT NULL,
    participant_ref  VARCHAR(64) NOT NULL,
    cohort_id        VARCHAR(64) NOT NULL,
    PRIMARY KEY (bond_id, participant_ref)
);
CREATE TABLE performance_measurement (
    bond_id         VARCHAR(64)  NOT NULL,
    measurement_id  VARCHAR(128) NOT NULL,
    measurement     JSONB        NOT NULL,
    approved        BOOLEAN      NOT NULL DEFAULT FALSE,
    PRIMARY KEY (bond_id, measurement_id)
);
CREATE TABLE performance_payout (
    payout_id  VARCHAR(64) PRIMARY KEY,
    bond_id    VARCHAR(64) NOT NULL,
    payer_id   VARCHAR(64) NOT NULL,
    metric     VARCHAR(64),
    cohort_id  VARCHAR(64),
    payable    NUMERIC(30, 10) NOT NULL,
    capped     NUMERIC(30, 10) NOT NULL
);
CREATE TABLE performance_fact (
    bond_id     VARCHAR(64)  NOT NULL,
    sequence    BIGINT       NOT NULL,
    line        INTEGER      NOT NULL,
    at          TIMESTAMPTZ  NOT NULL,
    kind        VARCHAR(16)  NOT NULL,
    measurement_id VARCHAR(128),
    metric      VARCHAR(64)  NOT NULL DEFAULT '',
    cohort_id   VARCHAR(64)  NOT NULL DEFAULT '',
    payer_id    VARCHAR(64)  NOT NULL DEFAULT '',
    units       NUMERIC(30, 10) NOT NULL DEFAULT 0,
    amount      NUMERIC(30, 10) NOT NULL DEFAULT 0,
    value       NUMERIC(30, 10),
    PRIMARY KEY (bond_id, sequence, line)
);
CREATE INDEX performance_fact_by_time ON performance_fact (bond_id, at);

-- "portfolio": each investor's dated amounts per bond and tranche, append-only like the performance facts.
CREATE TABLE portfolio_bond (
    bond_id  VARCHAR(64)  PRIMARY KEY,
    name     VARCHAR(200) NOT NULL,
    currency CHAR(3)      NOT NULL
);
CREATE TABLE portfolio_line (
    bond_id      VARCHAR(64)  NOT NULL,
    sequence     BIGINT       NOT NULL,
    line         INTEGER      NOT NULL,
    investor_id  VARCHAR(64)  NOT NULL,
    tranche      VARCHAR(64)  NOT NULL,
    kind         VARCHAR(24)  NOT NULL,
    amount       NUMERIC(30, 10) NOT NULL,
    on_date      DATE         NOT NULL,
    PRIMARY KEY (bond_id, sequence, line)
);
CREATE INDEX portfolio_line_by_investor ON portfolio_line (investor_id, bond_id);

-- "liabilities": what each outcome payer owes on each bond, against its cap and the contract's.
CREATE TABLE liability_bond (
    bond_id       VARCHAR(64) PRIMARY KEY,
    currency      CHAR(3)     NOT NULL,
    contract_cap  NUMERIC(30, 10),
    terms_sequence BIGINT     NOT NULL
);
CREATE TABLE liability_payer (
    bond_id   VARCHAR(64) NOT NULL,
    payer_id  VARCHAR(64) NOT NULL,
    share     NUMERIC(30, 10) NOT NULL,
    cap       NUMERIC(30, 10),
    PRIMARY KEY (bond_id, payer_id)
);
CREATE TABLE liability_payout (
    payout_id  VARCHAR(64) PRIMARY KEY,
    bond_id    VARCHAR(64) NOT NULL,
    payer_id   VARCHAR(64) NOT NULL,
    measurement_id VARCHAR(128),
    payable    NUMERIC(30, 10) NOT NULL,
    status     VARCHAR(16) NOT NULL
);
CREATE INDEX liability_payout_by_bond ON liability_payout (bond_id, payer_id, status);
