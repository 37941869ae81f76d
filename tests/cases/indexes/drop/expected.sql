-- hazard: access_exclusive_lock
DROP INDEX app.people_email_idx;
