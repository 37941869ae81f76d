CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA app;
-- hazard: builds_index, access_exclusive_lock
ALTER TABLE app.bookings ADD CONSTRAINT bookings_room_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&) WHERE ((room > 0));
