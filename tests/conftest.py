from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import pytest

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


def write_tree(root: Path, files: Dict[str, str]) -> None:
    """Write *files* (relative path -> dedented text) under *root*."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def package_tree(root: Path, modules: Sequence[str]) -> None:
    """Create empty ``__init__.py`` files so that *modules* resolve as packages."""
    for module in modules:
        folder = root.joinpath(*module.split("."))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").touch()


def run(cmd: List[str], cwd: Path, stdin: Optional[str] = None, env: Optional[dict] = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, text=True, env=full_env)


class Flake8Path:
    """Runs the real flake8 executable in a temporary project folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, files: Dict[str, str]) -> None:
        write_tree(self.root, files)

    def run(self, *args: str, stdin: Optional[str] = None) -> subprocess.CompletedProcess:
        return run([str(BIN / "flake8"), "--select", "COORD", *args], self.root, stdin)

    def lines(self, *args: str, stdin: Optional[str] = None) -> List[str]:
        result = self.run(*args, stdin=stdin)
        assert "Traceback" not in result.stderr, result.stderr
        return result.stdout.splitlines()


@pytest.fixture
def flake8_path(tmp_path: Path) -> Flake8Path:
    return Flake8Path(tmp_path)
