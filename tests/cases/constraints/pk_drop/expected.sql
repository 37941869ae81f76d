ALTER TABLE app.events DROP CONSTRAINT events_pkey;
