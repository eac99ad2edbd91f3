"""DEPRECATED: use app.coordination.cluster.health instead (removal in Q2 2026)."""
import warnings

warnings.warn(
    "health_check_orchestrator is deprecated; use "
    "'from app.coordination.cluster.health import UnifiedHealthManager, get_health_manager'",
    DeprecationWarning,
    stacklevel=2,
)

from app.coordination.unified_health_manager import (  # noqa: E402
    UnifiedHealthManager as HealthCheckOrchestrator,
    get_health_manager as get_health_orchestrator,
    wire_health_events,
)

__all__ = ["HealthCheckOrchestrator", "get_health_orchestrator", "wire_health_events"]
