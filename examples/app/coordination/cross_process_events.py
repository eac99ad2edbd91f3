"""DEPRECATED: use app.coordination.event_router instead (removal in Q2 2026)."""
import warnings

warnings.warn(
    "cross_process_events is deprecated; use 'from app.coordination.event_router import publish'",
    DeprecationWarning,
    stacklevel=2,
)

from app.coordination.event_router import publish as publish_event  # noqa: E402


def poll_events(process: str) -> list:
    """Kept for old callers; the router has no polling API."""
    return []


__all__ = ["poll_events", "publish_event"]
