ALTER INDEX app.people_email_idx RENAME TO people_email_ix;
