COMMENT ON VIEW app.region_totals IS 'Totals per region';
