"""A small project shaped like the app/coordination consolidation, for the report tests."""
from __future__ import annotations

from pathlib import Path
from typing import Dict

PYPROJECT = '''[tool.flake8-coordination]
use-default = false
package = "app.coordination"
target-module-count = 3

[tool.flake8-coordination.deprecated."app.coordination.event_emitters"]
replacement = "app.coordination.event_router"
removal = "2026-06-30"

[tool.flake8-coordination.deprecated."app.coordination.old_sync"]
replacement = "app.coordination.sync_facade"
removal = "2025-12-31"
allow = ["app.coordination.sync_facade"]

[tool.flake8-coordination.deprecated."app.coordination.deprecated._deprecated_health"]
replacement = "app.coordination.health"

[tool.flake8-coordination.facades."app.coordination.sync_facade"]
fronts = ["app.coordination.sync_impl"]
'''

PROJECT: Dict[str, str] = {
    "pyproject.toml": PYPROJECT,
    "app/__init__.py": "",
    "app/coordination/__init__.py": "",
    "app/coordination/event_router.py": "def publish():\n    pass\n",
    "app/coordination/event_emitters.py": "from app.coordination.event_router import publish\n",
    "app/coordination/old_sync.py": "def sync():\n    pass\n",
    "app/coordination/sync_impl.py": "def sync():\n    pass\n",
    "app/coordination/sync_facade.py": (
        "from app.coordination.sync_impl import sync\nfrom app.coordination.old_sync import sync as old\n"
    ),
    "app/coordination/deprecated/__init__.py": "",
    "app/coordination/deprecated/_deprecated_health.py": "import warnings\nwarnings.warn('gone', DeprecationWarning)\n",
    "app/worker.py": "from app.coordination.event_emitters import publish\nfrom app.coordination import sync_impl\n",
    "tests/test_worker.py": "import app.coordination.event_emitters\n",
    "scripts/run.py": "from app.coordination.old_sync import sync\n",
    "tools/x.py": "import app.coordination.event_emitters as ee\n",
}


def write_tree(root: Path, files: Dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
