-- The modification time a rejected report file had when it was read: a copy put in its place since (another time,
-- whichever clock wrote it, earlier or later) is read again.
ALTER TABLE reconciliation_report ADD COLUMN file_modified_at TIMESTAMP WITH TIME ZONE;
