CREATE TABLE app.codes (
    code text NOT NULL,
    region text NOT NULL,
    CONSTRAINT codes_pkey PRIMARY KEY (code),
    CONSTRAINT codes_region_code_a UNIQUE (region, code)
);
ALTER TABLE app.codes ADD CONSTRAINT codes_code_uq UNIQUE (code);
ALTER TABLE app.codes ADD CONSTRAINT codes_region_code_b UNIQUE (region, code) DEFERRABLE;
