ALTER DOMAIN app.email_address SET NOT NULL;
