-- hazard: deletes_data
DROP TABLE app.measures_2025;
