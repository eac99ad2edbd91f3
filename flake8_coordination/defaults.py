"""The built-in registry: the ``app/coordination`` consolidation of December 2025.

Written in the same shape as a ``[tool.flake8-coordination]`` table so that it goes
through the same validation as a project's own registry. Wrappers are to be removed
in "Q2 2026", read as 2026-06-30.
"""
from __future__ import annotations

from typing import Any, Dict, List

PKG = "app.coordination"
HEALTH = f"{PKG}.cluster.health"
EVENTS = f"{PKG}.event_router"
SYNC = f"{PKG}.sync_facade"
REMOVAL = "2026-06-30"

# old module leaf -> (replacement, reason, name moves, extra allowed importers)
_MOVES = {
    "health_check_orchestrator": (
        HEALTH,
        "health checks were unified in the cluster health facade",
        {
            "HealthCheckOrchestrator": f"{HEALTH}:UnifiedHealthManager",
            "get_health_orchestrator": f"{HEALTH}:get_health_manager",
        },
        (),
    ),
    "system_health_monitor": (
        HEALTH,
        "system health monitoring moved to the cluster health facade",
        {
            "SystemHealthMonitor": {
                "replacement": f"{HEALTH}:check_cluster_health",
                "manual": True,
                "note": "the class-based monitor is gone; call check_cluster_health() instead",
            },
            "check_system_health": {
                "replacement": f"{HEALTH}:check_cluster_health",
                "adapter": True,  # the wrapper's own function warns, then calls check_cluster_health()
            },
        },
        (),
    ),
    "host_health_policy": (
        HEALTH,
        "host health checks are re-exported unchanged by the cluster health facade",
        {},
        (HEALTH,),
    ),
    "event_emitters": (
        EVENTS,
        "the emit_* helpers live in the unified event router",
        {},
        (),
    ),
    "cross_process_events": (
        EVENTS,
        "cross-process events go through the unified event router",
        {"publish_event": f"{EVENTS}:publish"},
        (EVENTS,),
    ),
}

_SYNC_NOTE = "no drop-in replacement: use SyncFacade for one-off syncs or AutoSyncDaemon for automated sync"


def _entry(replacement: str, reason: str, names: Dict[str, Any], allow: tuple, leaf: str) -> Dict[str, Any]:
    return {
        "replacement": replacement,
        "reason": reason,
        "removal": REMOVAL,
        "names": dict(names),
        "allow": [f"{PKG}.deprecated", *allow, f"*test_{leaf}", f"*test_{leaf}_*"],
    }


def _own_tests(modules: List[str]) -> List[str]:
    """Glob patterns for the test modules of *modules* (``test_<leaf>``, ``test_<leaf>_*``)."""
    leaves = [module.rpartition(".")[2] for module in modules]
    return [pattern for leaf in leaves for pattern in (f"*test_{leaf}", f"*test_{leaf}_*")]


def default_table() -> Dict[str, Any]:
    """A fresh copy of the built-in registry table."""
    deprecated: Dict[str, Any] = {}
    for leaf, (replacement, reason, names, allow) in _MOVES.items():
        entry = _entry(replacement, reason, names, allow, leaf)
        deprecated[f"{PKG}.{leaf}"] = entry
        deprecated[f"{PKG}.deprecated._deprecated_{leaf}"] = _entry(replacement, reason, names, (), leaf)
        deprecated[f"{PKG}.deprecated.{leaf}"] = _entry(replacement, reason, names, (), leaf)
    deprecated[f"{PKG}.sync_coordinator"] = {
        "replacement": SYNC,
        "reason": "sync scheduling moved to the sync facade and the auto-sync daemon",
        "removal": REMOVAL,
        "names": {
            name: {"replacement": f"{SYNC}:{new}", "manual": True, "note": _SYNC_NOTE}
            for name, new in (
                ("SyncScheduler", "SyncFacade"),
                ("SyncCoordinator", "SyncFacade"),
                ("get_sync_coordinator", "get_sync_facade"),
            )
        },
        "allow": [f"{PKG}.cluster.sync", "*test_sync_coordinator", "*test_sync_coordinator_*"],
    }
    facades = _facades()
    for facade in facades.values():
        facade["members"] += _own_tests(facade["fronts"])
    return {
        "package": PKG,
        "target-module-count": 15,
        "deprecated": deprecated,
        "facades": facades,
    }


def _facades() -> Dict[str, Any]:
    """The three facades and the implementation modules the seed says each fronts."""
    return {
        HEALTH: {
            "fronts": [
                f"{PKG}.unified_health_manager",
                f"{PKG}.node_health_monitor",
                f"{PKG}.host_health_policy",
            ],
            "members": [f"{PKG}.cluster", f"{PKG}.deprecated"],
        },
        SYNC: {
            "fronts": [
                f"{PKG}.auto_sync_daemon",
                f"{PKG}.cluster_data_sync",
                f"{PKG}.ephemeral_sync",
            ],
            "members": [f"{PKG}.deprecated"],
            "aliases": [f"{PKG}.cluster.sync"],
        },
        EVENTS: {
            "fronts": [
                f"{PKG}.event_emitters",
                f"{PKG}.cross_process_events",
                f"{PKG}.stage_events",
                "app.distributed.data_events",
            ],
            "members": [f"{PKG}.deprecated"],
            "aliases": ["app.core.events"],
        },
    }
