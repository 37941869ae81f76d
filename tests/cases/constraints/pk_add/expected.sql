-- hazard: builds_index, access_exclusive_lock
ALTER TABLE app.events ADD CONSTRAINT events_pkey PRIMARY KEY (id);
