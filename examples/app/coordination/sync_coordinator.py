"""DEPRECATED: use app.coordination.sync_facade or AutoSyncDaemon (removal in Q2 2026)."""
import warnings

warnings.warn(
    "SyncScheduler is deprecated; use SyncFacade from app.coordination.sync_facade "
    "or AutoSyncDaemon for automated sync",
    DeprecationWarning,
    stacklevel=2,
)


class SyncScheduler:
    def schedule(self, host: str) -> str:
        return host


def get_sync_coordinator() -> SyncScheduler:
    return SyncScheduler()
