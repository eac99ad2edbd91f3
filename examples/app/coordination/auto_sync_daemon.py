"""Implementation: automated P2P sync (fronted by sync_facade)."""
from __future__ import annotations


class AutoSyncDaemon:
    def start(self) -> None:
        """Start syncing in the background."""
