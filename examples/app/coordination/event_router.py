"""Facade: the unified event router."""
from __future__ import annotations

from app.coordination.stage_events import StageEvent

_SUBSCRIBERS: dict = {}


def publish(event_type: str, payload: dict, source: str = "") -> None:
    for callback in _SUBSCRIBERS.get(event_type, []):
        callback(event_type, payload, source)


def subscribe(event_type: str, callback) -> None:
    _SUBSCRIBERS.setdefault(event_type, []).append(callback)


def emit_training_completed(config: str) -> None:
    publish("training_completed", {"config": config})


def emit_model_promoted(model: str) -> None:
    publish("model_promoted", {"model": model})


__all__ = ["StageEvent", "emit_model_promoted", "emit_training_completed", "publish", "subscribe"]
