-- Read model of the "bonds" processing group: one row per bond, its current terms and status.
-- Migration versions are one sequence across all modules (see README, "Database migrations").
CREATE TABLE bond_view (
    bond_id        VARCHAR(64)  PRIMARY KEY,
    name           VARCHAR(200) NOT NULL,
    currency       CHAR(3)      NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    terms          JSONB        NOT NULL,
    structured_at  TIMESTAMPTZ  NOT NULL,
    structured_by  VARCHAR(64)  NOT NULL,
    last_sequence  BIGINT       NOT NULL,
    global_index   BIGSERIAL
);
-- Parties of a bond by role, so that "bonds where this principal is named" is an index look-up.
CREATE TABLE bond_party (
    bond_id   VARCHAR(64) NOT NULL REFERENCES bond_view (bond_id) ON DELETE CASCADE,
    party_id  VARCHAR(64) NOT NULL,
    role      VARCHAR(16) NOT NULL,
    PRIMARY KEY (bond_id, party_id, role)
);
CREATE INDEX bond_party_by_party ON bond_party (party_id, role);
