"""Coordination: being consolidated behind event_router, sync_facade and cluster.health."""
