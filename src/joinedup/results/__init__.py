"""Results: the round results page, downloads and their audit log."""
