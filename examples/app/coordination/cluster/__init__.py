"""Cluster facades."""
