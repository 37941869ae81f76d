ALTER SEQUENCE app.badge_no OWNED BY app.items.badge;
ALTER TABLE app.items ALTER COLUMN badge SET DEFAULT nextval('badge_no'::regclass);
