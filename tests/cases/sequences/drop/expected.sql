-- hazard: deletes_data
DROP SEQUENCE app.invoice_no;
