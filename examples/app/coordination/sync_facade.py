"""Facade: the one entry point for sync."""
from __future__ import annotations

from app.coordination.auto_sync_daemon import AutoSyncDaemon


class SyncFacade:
    def sync(self, what: str) -> str:
        return what


def get_sync_facade() -> SyncFacade:
    return SyncFacade()


__all__ = ["AutoSyncDaemon", "SyncFacade", "get_sync_facade"]
