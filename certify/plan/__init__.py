"""Planning: a unit's plan for a year, and the province's what-if over all its units."""
