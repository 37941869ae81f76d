-- hazard: builds_index, access_exclusive_lock
ALTER TABLE app.bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (during WITH &&);
