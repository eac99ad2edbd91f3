"""Implementation: pipeline stage events (fronted by event_router)."""
from __future__ import annotations


class StageEvent:
    def __init__(self, stage: str) -> None:
        self.stage = stage
