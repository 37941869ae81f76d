-- Correct a fleet ledger row's fingerprint_after when the live schema after the apply is
-- not the fingerprint the plan wanted (the row was written in the tenant's transaction).
UPDATE zplus_meta.ledger SET fingerprint_after = %s WHERE id = %s
