-- Until when a requested capture may still be on its way to Antom, sent again by the janitor or a repeated shipment
-- event (results.CaptureClaims): a cancellation gives the capture up and cancels the authorisation only after it, or
-- Antom could take a cancelled order's money and refuse the cancel. Changes no state and no version (the order
-- system's event versions have no gap).
ALTER TABLE payment_attempt ADD COLUMN capture_claimed_until TIMESTAMP WITH TIME ZONE;
