-- Read model of the "payouts" processing group: every payout with the measurement and rule that triggered it.
CREATE TABLE payout_view (
    payout_id       VARCHAR(64)    PRIMARY KEY,
    bond_id         VARCHAR(64)    NOT NULL,
    measurement_id  VARCHAR(128),
    payer_id        VARCHAR(64)    NOT NULL,
    metric          VARCHAR(64),
    cohort_id       VARCHAR(64),
    participant_ref VARCHAR(64),
    currency        CHAR(3)        NOT NULL,
    gross           NUMERIC(30, 10) NOT NULL,
    payable         NUMERIC(30, 10) NOT NULL,
    capped          NUMERIC(30, 10) NOT NULL,
    rule            TEXT           NOT NULL,
    status          VARCHAR(16)    NOT NULL,
    triggered_at    TIMESTAMPTZ    NOT NULL,
    settled_at      TIMESTAMPTZ,
    global_index    BIGSERIAL
);
CREATE INDEX payout_view_by_bond ON payout_view (bond_id, global_index);
CREATE INDEX payout_view_by_measurement ON payout_view (bond_id, measurement_id);
-- Each bond's currency, from its BondStructured event.
CREATE TABLE payout_bond (
    bond_id  VARCHAR(64) PRIMARY KEY,
    currency CHAR(3)     NOT NULL
);
