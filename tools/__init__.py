"""Developer tools kept out of the wheel (run from a checkout: ``python -m tools.<name>``)."""
