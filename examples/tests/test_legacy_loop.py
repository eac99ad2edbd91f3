"""Tests of the legacy loop still patch the old paths."""
from unittest import mock

from app.training import legacy_loop


def test_finish_publishes():
    with mock.patch("app.coordination.cross_process_events.publish_event") as publish:
        legacy_loop.finish("hex8")
    publish.assert_not_called()  # the old path patches the wrapper's alias, not the name the loop uses


def test_health():
    with mock.patch("app.coordination.health_check_orchestrator.HealthCheckOrchestrator.status", return_value="ok"):
        assert legacy_loop.health() == "ok"
