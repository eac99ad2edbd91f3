"""DEPRECATED as an import path: cluster.health re-exports all of it (removal in Q2 2026)."""
from __future__ import annotations


def check_host_health(host: str) -> bool:
    return bool(host)


def check_cluster_health() -> bool:
    return True
