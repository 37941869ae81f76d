ALTER TABLE app.stock ADD CONSTRAINT stock_warehouse_fkey FOREIGN KEY (region, code) REFERENCES app.warehouses (region, code) ON UPDATE CASCADE NOT VALID;
ALTER TABLE app.stock VALIDATE CONSTRAINT stock_warehouse_fkey;
