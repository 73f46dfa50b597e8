-- PostgreSQL replaces the outbox's (published_at, id) index with a partial index of pending events here; H2 has
-- no partial indexes and no VACUUM, so the local run keeps (published_at, id).
SELECT 1;
