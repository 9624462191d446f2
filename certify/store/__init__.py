"""Storage of assessment cycles: SQLAlchemy models, Alembic migrations and the services the CLI and the web
app call (functions taking a Session and plain values)."""
