"""Implementation: per-node health (fronted by cluster.health)."""
from __future__ import annotations


class NodeHealthMonitor:
    def check(self, node: str) -> bool:
        return bool(node)
