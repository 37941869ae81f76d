ALTER TABLE app.customers DROP CONSTRAINT customers_email_key;
