DROP TYPE app.priority;
