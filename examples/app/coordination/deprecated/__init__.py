"""Deprecated coordination modules, kept for old import paths."""
