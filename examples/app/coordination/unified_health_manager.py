"""Implementation: the unified health manager (fronted by cluster.health)."""
from __future__ import annotations


class UnifiedHealthManager:
    def status(self) -> str:
        return "healthy"


_MANAGER = UnifiedHealthManager()


def get_health_manager() -> UnifiedHealthManager:
    return _MANAGER


def wire_health_events() -> None:
    """Connect health events to the router."""
