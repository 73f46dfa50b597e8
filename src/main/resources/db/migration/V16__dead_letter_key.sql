-- A record's key is kept whole: the consumers read keys of up to 256 bytes as text (platform.BoundedKeyDeserializer),
-- which VARCHAR(255) cut by one, so such a record re-driven went out under another key (another partition and lane).
ALTER TABLE dead_letter ALTER COLUMN source_key SET DATA TYPE VARCHAR(1024);
