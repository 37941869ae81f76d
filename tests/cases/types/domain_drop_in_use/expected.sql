-- hazard: access_exclusive_lock
ALTER TABLE app.items ALTER COLUMN email TYPE text USING email::text;
DROP DOMAIN app.email_address;
