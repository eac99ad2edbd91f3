"""DEPRECATED: use app.coordination.event_router instead (removal in Q2 2026)."""
import warnings

warnings.warn(
    "event_emitters is deprecated; use 'from app.coordination.event_router import emit_*'",
    DeprecationWarning,
    stacklevel=2,
)

from app.coordination.event_router import emit_model_promoted, emit_training_completed  # noqa: E402

__all__ = ["emit_model_promoted", "emit_training_completed"]
