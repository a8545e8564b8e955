-- The ledger's signed checkpoints of each bond's head (see org.sibledger.core.integrity.Checkpoint): written by the
-- Kafka publisher's processor in the transaction of its token, read by the integrity check and the checkpoints API.
CREATE TABLE ledger_checkpoint (
    bond_id   VARCHAR(255) NOT NULL,
    sequence  BIGINT       NOT NULL,
    head_hash CHAR(64)     NOT NULL,
    signed_at TIMESTAMPTZ  NOT NULL,
    key_id    VARCHAR(64)  NOT NULL,
    signature TEXT         NOT NULL,
    PRIMARY KEY (bond_id, sequence)
);

-- Bonds whose head moved since their last checkpoint: upserted by the Kafka publisher's processor in its batch's
-- transaction, claimed and signed by the periodic checkpoint signer.
CREATE TABLE ledger_checkpoint_pending (
    bond_id   VARCHAR(255) PRIMARY KEY,
    sequence  BIGINT       NOT NULL,
    head_hash CHAR(64)     NOT NULL
);
