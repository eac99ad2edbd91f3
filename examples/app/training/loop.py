"""The same loop, migrated to the facades: nothing to report here."""
from __future__ import annotations

from app.coordination.cluster.health import UnifiedHealthManager, wire_health_events
from app.coordination.event_router import emit_training_completed, publish


def finish(config: str) -> None:
    emit_training_completed(config)
    publish("training_done", {"config": config})


def health() -> str:
    wire_health_events()
    return UnifiedHealthManager().status()
