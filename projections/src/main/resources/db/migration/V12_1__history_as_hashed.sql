-- The history read model keeps each event's moment and type exactly as its hash covers them: occurred_at_text is
-- the event's occurredAt metadata as written (to the nanosecond; occurred_at, a TIMESTAMPTZ, holds microseconds and
-- stays for ordering and filtering), payload_type the payload's type name as the event store holds it. NULL on rows
-- written before: a replay of the read models (`--replay=all`, or POST /api/admin/projections/all/replay) fills them.
ALTER TABLE history_event ADD COLUMN occurred_at_text VARCHAR(64);
ALTER TABLE history_event ADD COLUMN payload_type VARCHAR(255);
