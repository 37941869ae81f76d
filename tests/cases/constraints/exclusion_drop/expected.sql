ALTER TABLE app.bookings DROP CONSTRAINT bookings_no_overlap;
