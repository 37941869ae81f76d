-- hazard: builds_index
CREATE INDEX measures_value_idx ON app.measures (value);
