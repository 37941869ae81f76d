ALTER TABLE app.readings ADD CONSTRAINT readings_measure_id_taken_at_fkey FOREIGN KEY (measure_id, taken_at) REFERENCES app.measures (id, taken_at) NOT VALID;
ALTER TABLE app.readings VALIDATE CONSTRAINT readings_measure_id_taken_at_fkey;
