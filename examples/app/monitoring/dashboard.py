"""A dashboard that reaches behind the facades."""
from __future__ import annotations

import importlib

from app.coordination import auto_sync_daemon
from app.coordination.node_health_monitor import NodeHealthMonitor
from app.coordination.cluster.health import check_cluster_health


def panels() -> list:
    policy = importlib.import_module("app.coordination.host_health_policy")
    return [NodeHealthMonitor(), auto_sync_daemon.AutoSyncDaemon(), policy, check_cluster_health()]
