ALTER TABLE app.orders DROP CONSTRAINT orders_code_fkey;
ALTER TABLE app.codes DROP CONSTRAINT codes_pkey;
ALTER TABLE app.orders ADD CONSTRAINT orders_code_fkey FOREIGN KEY (code) REFERENCES app.codes (code) NOT VALID;
ALTER TABLE app.orders VALIDATE CONSTRAINT orders_code_fkey;
