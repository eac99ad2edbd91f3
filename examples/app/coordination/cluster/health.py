"""Facade: cluster health, the one import path for health checks."""
from __future__ import annotations

from app.coordination.host_health_policy import check_cluster_health, check_host_health
from app.coordination.node_health_monitor import NodeHealthMonitor
from app.coordination.unified_health_manager import (
    UnifiedHealthManager,
    get_health_manager,
    wire_health_events,
)

__all__ = [
    "NodeHealthMonitor",
    "UnifiedHealthManager",
    "check_cluster_health",
    "check_host_health",
    "get_health_manager",
    "wire_health_events",
]
