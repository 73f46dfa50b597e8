-- The outbox publisher asks for unpublished events (published_at IS NULL ORDER BY id) every time it is woken.
-- On (published_at, id) each published event left a dead NULL entry behind until VACUUM, so under load every
-- query stepped over tens of thousands of them. A partial index holds only the pending events.
CREATE INDEX ix_outbox_pending ON outbox_event (id) WHERE published_at IS NULL;
DROP INDEX ix_outbox_unpublished;
-- every event is updated once soon after it is written: vacuum the table well before the default 20 %
ALTER TABLE outbox_event SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000);
