"""Excel in and out: the forms units fill, their import, and the results export."""
