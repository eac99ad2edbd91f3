"""The tool reads the code it checks and never imports or runs it.

Every module of the fixture package writes a marker file and raises when imported;
each command (and the flake8 plugin, and lint-imports with the contract types) runs
over it, then the marker must not exist and nothing of it may be in ``sys.modules``.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from flake8_coordination.cli import COMMANDS, main

BIN = Path(sys.executable).parent
PACKAGE = "victim_pkg"


def _booby_trap(marker: Path) -> str:
    return (
        f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\n"
        "raise SystemExit('this module was executed')\n"
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    marker = tmp_path / "EXECUTED"
    trap = _booby_trap(marker)
    files = {
        "pyproject.toml": (
            "[tool.flake8-coordination]\nuse-default = false\n"
            f"package = '{PACKAGE}'\n"
            f"[tool.flake8-coordination.deprecated.'{PACKAGE}.old']\n"
            f"replacement = '{PACKAGE}.new'\nremoval = '2030-01-01'\n"
            f"names = {{ Thing = '{PACKAGE}.new:NewThing' }}\n"
            f"[tool.flake8-coordination.facades.'{PACKAGE}.api']\nfronts = ['{PACKAGE}.impl']\n"
        ),
        f"{PACKAGE}/__init__.py": trap,
        f"{PACKAGE}/old.py": "import warnings\nwarnings.warn('old', DeprecationWarning)\n" + trap,
        f"{PACKAGE}/new.py": "class NewThing:\n    pass\n" + trap,
        f"{PACKAGE}/api.py": f"from {PACKAGE}.impl import run\n" + trap,
        f"{PACKAGE}/impl.py": "def run():\n    pass\n" + trap,
        f"{PACKAGE}/user.py": (
            f"import importlib\nfrom {PACKAGE}.old import Thing\nimport {PACKAGE}.old\nfrom {PACKAGE} import impl\n"
            f"importlib.import_module('{PACKAGE}.old')\n" + trap
        ),
        f"{PACKAGE}/__main__.py": trap,
        "conftest.py": trap,
        "setup.py": trap,
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def _commands(root: Path) -> List[List[str]]:
    tool = str(BIN / "flake8-coordination")
    wanted = {
        "check": [[tool, "check", "."], [tool, "check", "--format", "json", "."]],
        "fix": [[tool, "fix", "--diff", "."], [tool, "fix", "."]],
        "report": [[tool, "report", ".", "--format", "json"]],
        "ratchet": [[tool, "ratchet", ".", "--baseline", "baseline.json", "--update"]],
        "discover": [[tool, "discover", "."]],
        "ruff": [[tool, "ruff", "--output", "ruff.toml"]],
        "contracts": [[tool, "contracts", "--output", ".importlinter", "--root-package", PACKAGE],
                      [str(BIN / "lint-imports"), "--no-cache"]],
    }
    found = [command for name, commands in wanted.items() if name in COMMANDS for command in commands]
    found.append([str(BIN / "flake8"), "--select", "COORD", "."])
    return found


def test_no_command_imports_the_checked_code(project: Path):
    ran = []
    for command in _commands(project):
        result = subprocess.run(command, cwd=project, capture_output=True, text=True)
        assert "Traceback" not in result.stderr, (command, result.stderr)
        assert "this module was executed" not in result.stderr, command
        assert not (project / "EXECUTED").exists(), (command, (project / "EXECUTED").read_text())
        ran.append((Path(command[0]).name, command[1] if len(command) > 1 else "", result.returncode))
        if command[0].endswith("lint-imports"):
            assert "BROKEN" in result.stdout and "Could not" not in result.stdout, result.stdout
    # the commands did look at the code: check and flake8 report the deprecated import
    codes = dict(((name, sub), code) for name, sub, code in ran)
    assert codes[("flake8-coordination", "check")] == 1
    assert codes[("flake8", "--select")] == 1


def test_in_process_commands_leave_sys_modules_alone(project: Path, monkeypatch, capsys):
    monkeypatch.chdir(project)
    for argv in (["check", "."], ["fix", "--diff", "."], ["report", "."]):
        if argv[0] in COMMANDS:
            main(argv)
    capsys.readouterr()
    assert not (project / "EXECUTED").exists()
    assert not [name for name in sys.modules if name.split(".")[0] in (PACKAGE, "conftest", "setup")
                and getattr(sys.modules[name], "__file__", "") and str(project) in sys.modules[name].__file__]
