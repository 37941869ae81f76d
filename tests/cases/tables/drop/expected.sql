-- hazard: deletes_data
DROP TABLE app.old_log;
