ALTER DOMAIN app.email_address DROP CONSTRAINT email_address_check;
ALTER DOMAIN app.email_address ADD CONSTRAINT email_address_check CHECK ((VALUE ~ '^[^@]+@[^@]+$'::text)) NOT VALID;
ALTER DOMAIN app.email_address VALIDATE CONSTRAINT email_address_check;
ALTER DOMAIN app.email_address ADD CONSTRAINT email_address_length CHECK ((length(VALUE) < 255)) NOT VALID;
ALTER DOMAIN app.email_address VALIDATE CONSTRAINT email_address_length;
