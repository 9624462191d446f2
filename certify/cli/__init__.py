"""Command line (typer + rich): an edge of the core, like the web app."""
