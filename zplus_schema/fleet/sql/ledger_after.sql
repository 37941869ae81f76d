-- Fill in a fleet ledger row's fingerprint_after, read once the tenant's transaction
-- (which wrote the row together with the change) has committed.
UPDATE zplus_meta.ledger SET fingerprint_after = %s WHERE id = %s
