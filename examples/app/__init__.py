"""A small application in the middle of the app/coordination consolidation."""
