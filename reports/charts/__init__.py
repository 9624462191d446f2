"""Charts for the reports: hand-written SVG where speed matters (one per unit report), matplotlib elsewhere."""
