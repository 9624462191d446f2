"""Five-level certification (QĐ 2361/QĐ-BTTTT and its provincial localisations)."""
