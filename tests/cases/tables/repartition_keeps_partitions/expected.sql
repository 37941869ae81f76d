-- hazard: deletes_data
DROP TABLE app.tickets_a;
-- hazard: deletes_data
DROP TABLE app.tickets_rest;
-- hazard: deletes_data
DROP TABLE app.tickets;
CREATE TABLE app.tickets (
    id bigint NOT NULL,
    kind text NOT NULL
) PARTITION BY LIST (lower(kind));
CREATE TABLE app.tickets_a PARTITION OF app.tickets FOR VALUES IN ('a');
CREATE TABLE app.tickets_rest PARTITION OF app.tickets DEFAULT;
CREATE INDEX tickets_id_ix ON app.tickets (id);
