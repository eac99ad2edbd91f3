"""A training loop still written against the old coordination modules."""
from __future__ import annotations

from typing import TYPE_CHECKING

import app.coordination.event_emitters
from app.coordination.cross_process_events import poll_events, publish_event
from app.coordination.health_check_orchestrator import (
    HealthCheckOrchestrator,
    wire_health_events,
)

if TYPE_CHECKING:
    from app.coordination.system_health_monitor import SystemHealthMonitor

try:
    from app.coordination.system_health_monitor import check_system_health
except ImportError:  # very old deployments
    check_system_health = None


def finish(config: str) -> None:
    app.coordination.event_emitters.emit_training_completed(config)
    publish_event("training_done", {"config": config})
    poll_events("trainer")


def health() -> str:
    from ..coordination import host_health_policy

    wire_health_events()
    host_health_policy.check_host_health("localhost")
    return HealthCheckOrchestrator().status()


def monitor() -> "SystemHealthMonitor":
    raise NotImplementedError
