"""Malformed registries and bad command-line inputs: one located message, exit 2, no
traceback, nothing written -- for every command that reads them."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple, Union

import pytest

from flake8_coordination.cli import COMMANDS, main

BIN = Path(sys.executable).parent
TOOL = str(BIN / "flake8-coordination")
ERROR = "flake8-coordination: error: "

D = "[tool.flake8-coordination.deprecated"
#: (id, config file name, content, the message after "flake8-coordination: error: " as a regex)
CONFIGS: List[Tuple[str, str, Union[str, bytes], str]] = [
    ("bad-toml", "pyproject.toml", "[tool.flake8-coordination\n",
     r"pyproject\.toml: invalid TOML: .*\(at line 1, column \d+\)"),
    ("wrong-type-bool", "pyproject.toml", "[tool.flake8-coordination]\nuse-default = 'yes'\n",
     re.escape("pyproject.toml: use-default: must be true or false, not str 'yes'")),
    ("wrong-type-table", "pyproject.toml", "[tool.flake8-coordination]\ndeprecated = 3\n",
     re.escape("pyproject.toml: deprecated: must be a table, not int 3")),
    ("wrong-type-section", "pyproject.toml", "[tool]\nflake8-coordination = 3\n",
     re.escape("pyproject.toml: tool.flake8-coordination: must be a table")),
    ("wrong-type-list", "pyproject.toml", f"{D}.a]\nallow = 5\n",
     re.escape("pyproject.toml: deprecated.'a'.allow: must be a list of strings, not 5")),
    ("wrong-type-manual", "pyproject.toml", f"{D}.a]\nnames = {{ X = {{ replacement = 'b:Y', manual = 'yes' }} }}\n",
     re.escape("pyproject.toml: deprecated.'a'.names.X.manual: must be true or false, not str 'yes'")),
    ("unknown-top-key", "pyproject.toml", "[tool.flake8-coordination]\ncolour = 1\n",
     re.escape("pyproject.toml: [tool.flake8-coordination].colour: unknown key (expected one of: deprecated, "
               "disable, facades, package, src, target-module-count, type-checking, use-default)")),
    ("unknown-entry-key", "pyproject.toml", f"{D}.a]\nreplacment = 'b'\n",
     re.escape("pyproject.toml: deprecated.'a'.replacment: unknown key (expected one of: allow, category, "
               "names, reason, removal, replacement)")),
    ("unknown-facade-key", "pyproject.toml", "[tool.flake8-coordination.facades.f]\nfronts = ['x']\ncolor = 1\n",
     re.escape("pyproject.toml: facades.'f'.color: unknown key (expected one of: aliases, fronts, members)")),
    ("invalid-module", "pyproject.toml", f'{D}."9abc"]\nreplacement = "b"\n',
     re.escape("pyproject.toml: deprecated: '9abc' is not a dotted module name")),
    ("invalid-replacement", "pyproject.toml", f"{D}.a]\nreplacement = 'b..c'\n",
     re.escape("pyproject.toml: deprecated.'a'.replacement: 'b..c' is not a dotted module name")),
    ("invalid-name", "pyproject.toml", f"{D}.a]\nnames = {{ '1x' = 'b:c' }}\n",
     re.escape("pyproject.toml: deprecated.'a'.names.1x: '1x' is not a Python name")),
    ("invalid-move", "pyproject.toml", f"{D}.a]\nnames = {{ X = 'b' }}\n",
     re.escape("pyproject.toml: deprecated.'a'.names.X: must be 'module:name', not 'b'")),
    ("invalid-package", "pyproject.toml", "[tool.flake8-coordination]\npackage = 'a b'\n",
     re.escape("pyproject.toml: package: 'a b' is not a dotted module name")),
    ("invalid-date", "pyproject.toml", f"{D}.a]\nremoval = 'soon'\n",
     re.escape("pyproject.toml: deprecated.'a'.removal: 'soon' is not a date (YYYY-MM-DD or 'Q2 2026')")),
    ("invalid-code", "pyproject.toml", "[tool.flake8-coordination]\ndisable = ['E501']\n",
     re.escape("pyproject.toml: disable: 'E501' is not a COORD code (COORD001, COORD002, COORD003, COORD004, COORD005)")),
    ("self-replacement", "pyproject.toml", f"{D}.a]\nreplacement = 'a'\n",
     re.escape("pyproject.toml: deprecated.'a'.replacement: 'a' is 'a' or inside it, so deprecated too")),
    ("rename-cycle-modules", "pyproject.toml", f"{D}.a]\nreplacement = 'b'\n{D}.b]\nreplacement = 'a'\n",
     re.escape("pyproject.toml: deprecated.'a'.replacement: replacements form a cycle: a -> b -> a")),
    ("rename-cycle-names", "pyproject.toml", f"{D}.a]\nnames = {{ X = 'b:Y' }}\n{D}.b]\nnames = {{ Y = 'a:X' }}\n",
     re.escape("pyproject.toml: deprecated.'a'.names.X: renames form a cycle: a:X -> b:Y -> a:X")),
    ("empty-facade", "pyproject.toml", "[tool.flake8-coordination.facades.f]\nfronts = []\n",
     re.escape("pyproject.toml: facades.'f'.fronts: a facade must front at least one module")),
    ("not-utf8", "pyproject.toml", b"\xff\xfe[tool]\n", re.escape("pyproject.toml: is not UTF-8 (byte 0)")),
    ("binary", "pyproject.toml", b"\x00\x01\x02", r"pyproject\.toml: invalid TOML: .*"),
    ("ini-no-header", "setup.cfg", "no section header\n",
     r"setup\.cfg: invalid INI: File contains no section headers\. file: 'setup\.cfg', line: 1 .*"),
    ("ini-duplicate", "setup.cfg", "[flake8-coordination]\n[flake8-coordination]\n",
     r"setup\.cfg: invalid INI: While reading from 'setup\.cfg' \[line +2\]: section 'flake8-coordination' already exists"),
    ("ini-unknown-section", "setup.cfg", "[flake8-coordination:weird:x]\nfoo = 1\n",
     re.escape("setup.cfg: [flake8-coordination:weird:x]: unknown section; use ':deprecated:<module>' or ':facade:<module>'")),
    ("ini-cycle", "setup.cfg",
     "[flake8-coordination:deprecated:a.b]\nreplacement = a.c\n[flake8-coordination:deprecated:a.c]\nreplacement = a.b\n",
     re.escape("setup.cfg: deprecated.'a.b'.replacement: replacements form a cycle: a.b -> a.c -> a.b")),
]
#: --config pointing at something that is not a configuration file
PATHS = [
    ("missing-config", "missing.toml", re.escape("missing.toml: no such file")),
    ("directory-config", "folder", re.escape("folder: is a directory, not a configuration file")),
]
SOURCE = "import os\n"


def snapshot(root: Path) -> Dict[str, bytes]:
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else b"<dir>") for p in sorted(root.rglob("*"))}


def one_error(stderr: str, pattern: str) -> None:
    assert "Traceback" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(ERROR), stderr
    assert re.fullmatch(pattern, lines[0][len(ERROR):]), lines[0]


def project(tmp_path: Path, name: str, content: Union[str, bytes]) -> Path:
    (tmp_path / "m.py").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "folder").mkdir()
    data = content.encode("utf-8") if isinstance(content, str) else content
    (tmp_path / name).write_bytes(data)
    return tmp_path


#: cases also run through the installed executable (the rest call ``main`` in-process)
REAL = {"bad-toml", "rename-cycle-modules", "ini-no-header", "not-utf8", "symlink-loop", "syntax-error"}


def invoke(args: List[str], cwd: Path, case: str, monkeypatch, capsys) -> Tuple[int, str, str]:
    if case in REAL:
        result = subprocess.run([TOOL, *args], cwd=cwd, capture_output=True, text=True)
        return result.returncode, result.stdout, result.stderr
    monkeypatch.chdir(cwd)
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("case, name, content, message", CONFIGS, ids=[c[0] for c in CONFIGS])
def test_malformed_registry_check(tmp_path, monkeypatch, capsys, case, name, content, message):
    project(tmp_path, name, content)
    before = snapshot(tmp_path)
    code, out, err = invoke(["check", "--config", name, "m.py"], tmp_path, case, monkeypatch, capsys)
    assert code == 2
    assert out == ""
    one_error(err, message)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("case, config, message", PATHS, ids=[c[0] for c in PATHS])
def test_config_that_is_not_a_file(tmp_path, monkeypatch, capsys, case, config, message):
    project(tmp_path, "unrelated.txt", "")
    before = snapshot(tmp_path)
    code, _, err = invoke(["check", "--config", config, "m.py"], tmp_path, case, monkeypatch, capsys)
    assert code == 2
    one_error(err, message)
    assert snapshot(tmp_path) == before


#: every command that reads the registry, with arguments that would write something
WRITERS = {
    "check": ["m.py"],
    "fix": ["m.py"],
    "ruff": ["--output", "ruff.toml"],
    "contracts": ["--output", ".importlinter"],
    "report": [".", "--output", "report.md"],
    "ratchet": ["m.py", "--update", "--baseline", "baseline.json"],
}
SAMPLE = [c for c in CONFIGS if c[0] in ("bad-toml", "unknown-entry-key", "rename-cycle-modules", "ini-no-header")]


@pytest.mark.parametrize("command", [c for c in WRITERS if c in COMMANDS])
@pytest.mark.parametrize("case, name, content, message", SAMPLE + [(p[0], "x", "", p[2]) for p in PATHS],
                         ids=[c[0] for c in SAMPLE] + [p[0] for p in PATHS])
def test_malformed_registry_every_command(tmp_path, monkeypatch, capsys, command, case, name, content, message):
    project(tmp_path, name, content)
    config = dict((p[0], p[1]) for p in PATHS).get(case, name)
    (tmp_path / "m.py").write_text("import app.coordination.event_emitters\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    assert main([command, *WRITERS[command], "--config", config]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    one_error(captured.err, message)
    assert snapshot(tmp_path) == before


LOOP = "loop.py"
#: (id, files to write, command arguments, message regex)
INPUTS = [
    ("missing-file", {}, ["nope.py"], re.escape("nope.py: no such file or directory")),
    ("binary-file", {"bin.py": b"import os\x00\n"}, ["bin.py"], re.escape("bin.py: is a binary file (contains NUL bytes)")),
    ("undecodable-file", {"latin.py": b"import app.coordination.event_emitters\nx = '\xe9'\n"}, ["latin.py"],
     re.escape("latin.py: cannot be decoded as utf-8 (byte 44)")),
    ("undecodable-first-line", {"latin.py": b"# \xe9\n"}, ["latin.py"],
     re.escape("latin.py: cannot be decoded as utf-8 (byte 2) and declares no encoding (PEP 263)")),
    ("unknown-cookie", {"cookie.py": b"# -*- coding: nope -*-\nx = 1\n"}, ["cookie.py"],
     re.escape("cookie.py: unknown encoding (unknown encoding: nope)")),
    ("syntax-error", {"syn.py": b"import app.coordination.event_emitters\ndef f(:\n"}, ["syn.py"],
     r"syn\.py:2:\d+: syntax error: .*"),
    ("symlink-loop", {LOOP: None}, [LOOP], re.escape("loop.py: no such file or directory")),
    ("bad-today", {"m.py": b"x = 1\n"}, ["m.py", "--today", "2026-13-01"],
     re.escape("--today: '2026-13-01' is not a date (YYYY-MM-DD)")),
]


def write_inputs(root: Path, files: Dict[str, object]) -> None:
    for name, data in files.items():
        if data is None:
            os.symlink(name, root / name)  # points at itself
        else:
            (root / name).write_bytes(data)  # type: ignore[arg-type]


@pytest.mark.parametrize("command", [c for c in ("check", "fix") if c in COMMANDS])
@pytest.mark.parametrize("case, files, args, message", INPUTS, ids=[c[0] for c in INPUTS])
def test_bad_input_paths(tmp_path, monkeypatch, capsys, command, case, files, args, message):
    write_inputs(tmp_path, files)
    before = snapshot(tmp_path)
    code, _, err = invoke([command, *args], tmp_path, case, monkeypatch, capsys)
    assert code == 2
    one_error(err, message)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", [c for c in ("check", "fix") if c in COMMANDS])
def test_binary_stdin(tmp_path, command):
    result = subprocess.run([TOOL, command, "-"], cwd=tmp_path, input=b"import os\x00", capture_output=True)
    assert result.returncode == 2
    one_error(result.stderr.decode(), re.escape("stdin: is a binary file (contains NUL bytes)"))
    assert result.stdout == b""
