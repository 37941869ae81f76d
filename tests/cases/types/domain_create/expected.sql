CREATE DOMAIN app.positive_amount AS numeric(12,2) DEFAULT 0 NOT NULL CONSTRAINT positive_amount_check CHECK ((VALUE >= (0)::numeric));
COMMENT ON DOMAIN app.positive_amount IS 'Money that cannot go negative';
