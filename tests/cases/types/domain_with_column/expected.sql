CREATE DOMAIN app.email_address AS text CONSTRAINT email_address_check CHECK ((VALUE ~ '@'::text));
ALTER TABLE app.items ADD COLUMN email app.email_address;
