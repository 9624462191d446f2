"""Point-based DTI scoring."""
