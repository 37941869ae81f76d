CREATE TABLE app.measures (
    id bigint NOT NULL,
    taken_at timestamp with time zone NOT NULL,
    value numeric,
    CONSTRAINT measures_pkey PRIMARY KEY (id, taken_at)
) PARTITION BY RANGE (taken_at);
CREATE TABLE app.measures_2024 PARTITION OF app.measures FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');
CREATE TABLE app.measures_other PARTITION OF app.measures DEFAULT;
