"""Registers the point-based DTI framework kind (filled in by the DTI engine)."""
