-- The first answer to each POST that carried an Idempotency-Key, per principal, so that a retry with the same key and
-- body gets that answer again and the same key with another body is refused. Kept with the write it guards: the
-- command's events carry the key too, and the Bond refuses a key reused for another command.
CREATE TABLE idempotency_record (
    principal     VARCHAR(64)  NOT NULL,
    idem_key      VARCHAR(200) NOT NULL,
    method        VARCHAR(8)   NOT NULL,
    path          VARCHAR(500) NOT NULL,
    request_hash  CHAR(64)     NOT NULL,
    status        INTEGER      NOT NULL,
    content_type  VARCHAR(100),
    location      VARCHAR(500),
    body          BYTEA        NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, idem_key)
);
