ALTER DOMAIN app.email_address SET DEFAULT 'nobody@example.com'::text;
