-- A report row's transactionType is kept as the parser takes it (up to 64 characters, as Antom's ids): a longer type
-- than the 32 this column held failed the mismatch's insert at every run, and no later report was reconciled.
ALTER TABLE reconciliation_mismatch ALTER COLUMN transaction_type SET DATA TYPE VARCHAR(64);
