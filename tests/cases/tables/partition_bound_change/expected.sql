-- hazard: deletes_data
DROP TABLE app.measures_2024;
CREATE TABLE app.measures_2024 PARTITION OF app.measures FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-07-01 00:00:00+00');
