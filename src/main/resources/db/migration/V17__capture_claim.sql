-- Who may send a requested capture to Antom, or give it up, until when (results.CaptureClaims): the janitor sending
-- it again and a cancellation giving it up must not both reach Antom, or Antom would take the money of a cancelled
-- order. A claim changes no state and no version (the order system's event versions have no gap).
ALTER TABLE payment_attempt ADD COLUMN capture_claimed_until TIMESTAMP WITH TIME ZONE;
