CREATE TYPE app.priority AS ENUM ('low', 'normal', 'high');
COMMENT ON TYPE app.priority IS 'Ticket priority';
