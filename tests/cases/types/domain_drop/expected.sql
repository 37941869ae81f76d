DROP DOMAIN app.positive_amount;
