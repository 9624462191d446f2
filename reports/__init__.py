"""Report rendering: jinja2 templates and exporters. Registers its formats via entry points."""
