ALTER VIEW app.eu_sales SET (security_barrier = true);
