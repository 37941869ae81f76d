-- hazard: builds_index, access_exclusive_lock
ALTER TABLE app.customers ADD CONSTRAINT customers_email_key UNIQUE (email);
