-- Until when a cancel of a paid attempt may still be on its way to Antom (results.AntomCancels): a cancel of a paid
-- payment gives all of it back, so no refund of it is accepted meanwhile (RefundRules, CANCEL_IN_PROGRESS), or the
-- buyer could get the money back twice. Changes no state and no version.
ALTER TABLE payment_attempt ADD COLUMN cancel_claimed_until TIMESTAMP WITH TIME ZONE;
