-- Why a read model's event failed is kept whole: Axon's dead-letter queue truncates the cause to 1,024 characters,
-- one more than its default column holds, so the letter of a failure with a long message (PostgreSQL's, with the
-- statement) could not be stored and the event's whole segment stopped instead.
ALTER TABLE deadletterentry ALTER COLUMN causemessage TYPE TEXT;

-- Every operator's action on the read models' dead letters (retry, skip): who, what, why and with what result.
CREATE TABLE read_model_action (
    id              BIGSERIAL    PRIMARY KEY,
    at              TIMESTAMPTZ  NOT NULL DEFAULT now(),
    actor           VARCHAR(255) NOT NULL,
    action          VARCHAR(32)  NOT NULL,
    read_model      VARCHAR(64)  NOT NULL,
    bond_id         VARCHAR(255),
    event_id        VARCHAR(255),
    sequence_number BIGINT,
    event_type      VARCHAR(255),
    reason          TEXT,
    succeeded       BOOLEAN      NOT NULL,
    letters_left    INTEGER      NOT NULL
);
CREATE INDEX read_model_action_at ON read_model_action (at);

-- Dead letters by bond, for a command's answer to say at once which read models are behind for its bond.
CREATE INDEX deadletterentry_by_sequence ON deadletterentry (sequenceidentifier);

-- Per bond, the newest of its events the read models have processed, written with their rows (BondProgress): what a
-- command's answer waits on. Filled as the bonds' next events are processed (the read models may be behind the store
-- now, so it is not filled from the store); a replay rebuilds it from the first event.
CREATE TABLE read_model_progress (
    bond_id       VARCHAR(255) PRIMARY KEY,
    last_sequence BIGINT       NOT NULL
);
