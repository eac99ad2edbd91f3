"""Re-export facade for sync (kept for callers of the cluster package)."""
from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from app.coordination.sync_coordinator import SyncScheduler

from app.coordination.sync_facade import SyncFacade, get_sync_facade

__all__ = ["SyncFacade", "SyncScheduler", "get_sync_facade"]
