"""Small real packages for the import-linter contract tests, and the real tools to run on them."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict

BIN = Path(sys.executable).parent
LINT_IMPORTS = str(BIN / "lint-imports")
CLI = str(BIN / "flake8-coordination")

#: a small registry: one facade, one deprecated module
REGISTRY = """\
[tool.flake8-coordination]
use-default = false
package = "app.coordination"

[tool.flake8-coordination.facades."app.coordination.sync_facade"]
fronts = ["app.coordination.auto_sync_daemon", "app.coordination.ephemeral_sync"]
members = ["app.coordination.deprecated"]

[tool.flake8-coordination.deprecated."app.coordination.sync_coordinator"]
replacement = "app.coordination.sync_facade"
removal = "2026-06-30"
allow = ["app.coordination.deprecated", "*test_sync_coordinator"]
"""

#: a tree that keeps every contract of REGISTRY
CLEAN: Dict[str, str] = {
    "app/__init__.py": "",
    "app/coordination/__init__.py": "",
    "app/coordination/sync_facade.py": (
        "from app.coordination.auto_sync_daemon import AutoSyncDaemon\n"
        "from app.coordination.ephemeral_sync import sync_now\n"
    ),
    "app/coordination/auto_sync_daemon.py": "class AutoSyncDaemon:\n    pass\n",
    "app/coordination/ephemeral_sync.py": "from app.coordination.auto_sync_daemon import AutoSyncDaemon\n\n\ndef sync_now():\n    pass\n",
    "app/coordination/sync_coordinator.py": "from app.coordination.sync_facade import AutoSyncDaemon as SyncScheduler\n",
    "app/coordination/deprecated/__init__.py": "",
    "app/coordination/deprecated/_deprecated_sync.py": "from app.coordination.sync_coordinator import SyncScheduler\n",
    "app/training/__init__.py": "",
    "app/training/loop.py": "from app.coordination.sync_facade import AutoSyncDaemon\n",
}

THREE_LINE_CONTRACTS = """\
[importlinter]
root_package = app
contract_types =
    coordination_facades: flake8_coordination.contracts.facade.FacadeContract
    coordination_deprecated: flake8_coordination.contracts.deprecated.DeprecatedModulesContract

[importlinter:contract:facades]
name = Import the facades, not what they front
type = coordination_facades

[importlinter:contract:deprecated]
name = No new imports of deprecated modules
type = coordination_deprecated
"""


def make_project(root: Path, files: Dict[str, str] = CLEAN, registry: str = REGISTRY) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if registry:
        (root / "pyproject.toml").write_text(registry, encoding="utf-8")
    return root


def _env() -> Dict[str, str]:
    env = dict(os.environ)
    env["COLUMNS"] = "250"  # rich wraps long lines at the terminal width
    env.pop("PYTHONPATH", None)
    return env


def lint_imports(cwd: Path, config: str = ".importlinter") -> subprocess.CompletedProcess:
    return subprocess.run([LINT_IMPORTS, "--no-cache", "--no-logo", config], cwd=cwd, env=_env(),
                          capture_output=True, text=True, timeout=120)


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=120)


def result_lines(output: str) -> list:
    return [line.rstrip() for line in output.splitlines()]
