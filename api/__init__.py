"""Web application and JSON API (FastAPI, server-rendered pages, HTMX)."""
