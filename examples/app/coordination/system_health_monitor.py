"""DEPRECATED: use app.coordination.cluster.health instead (removal in Q2 2026)."""
import warnings

warnings.warn(
    "system_health_monitor is deprecated; use "
    "'from app.coordination.cluster.health import check_cluster_health'",
    DeprecationWarning,
    stacklevel=2,
)

from app.coordination.host_health_policy import check_cluster_health  # noqa: E402

SystemHealthMonitor = None  # the class-based monitor is gone


def check_system_health() -> bool:
    return check_cluster_health()


__all__ = ["SystemHealthMonitor", "check_cluster_health", "check_system_health"]
