COMMENT ON FUNCTION app.add_tax(numeric) IS 'Adds VAT';
