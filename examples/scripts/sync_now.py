"""Trigger one sync by hand."""
from app.coordination.sync_coordinator import get_sync_coordinator
from app.coordination.sync_facade import get_sync_facade

if __name__ == "__main__":
    get_sync_coordinator().schedule("all")
    get_sync_facade().sync("games")
