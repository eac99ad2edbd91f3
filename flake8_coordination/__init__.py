"""flake8-coordination: keep a module consolidation honest."""
from __future__ import annotations

try:
    from importlib.metadata import version as _version

    __version__ = _version("flake8-coordination")
except Exception:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"
