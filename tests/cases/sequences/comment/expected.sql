COMMENT ON SEQUENCE app.invoice_no IS 'Numbers printed on invoices';
