"""``flake8-coordination check`` and ``flake8 --select COORD`` report the same findings, on
files whose line ends, ``# noqa`` comments, indentation and packages are out of the ordinary."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import pytest

from conftest import BIN, run

REGISTRY = """\
[tool.flake8-coordination]
use-default = false
[tool.flake8-coordination.deprecated."old.mod"]
replacement = "new.mod"
names = { OldName = "new.mod:NewName" }
[tool.flake8-coordination.deprecated."legacy"]
replacement = "modern"
removal = "2020-01-01"
"""
OLD_MOD = "COORD001 old.mod is deprecated; use 'new.mod'"
IMPORT_OLD_MOD = "COORD001 old.mod is deprecated; use 'import new.mod' [fixable]"
IMPORT_LEGACY = "COORD003 legacy is deprecated; use 'import modern' (removal was due 2020-01-01) [fixable]"
OLD_NAME = "COORD002 old.mod.OldName is deprecated; use 'from new.mod import NewName' [fixable]"

#: file bytes -> the findings both tools must report, as ``line:col: message``
CASES = {
    "lone_carriage_return": (b"import old\ry = old.mod.z\n", [f"2:5: {OLD_MOD}"]),
    "lone_carriage_return_in_a_docstring": (b'"""a\rb"""\nimport old\ny = old.mod.z\n', [f"4:5: {OLD_MOD}"]),
    "form_feed_before_a_noqa": (b"\x0c\nimport old.mod  # noqa\n", []),
    "file_separator_before_a_noqa": (b"# \x1c\nimport old.mod  # noqa\nimport legacy\n", [f"3:8: {IMPORT_LEGACY}"]),
    "line_separator_before_a_noqa": ("# a\u2028b\nimport old.mod  # noqa\n".encode(), []),
    "noqa_on_a_continued_line": (
        b"from old.mod import OldName, \\\n    other  # noqa: COORD002\n",
        ["1:1: COORD001 old.mod is deprecated; use 'from new.mod import other' [fixable]"],
    ),
    "noqa_in_a_multi_line_string": (b"importlib.import_module('old.mod'); x = '''\n# noqa\n'''\n", []),
    "noqa_in_brackets_covers_its_line_only": (
        b"from old.mod import (\n    OldName,\n)  # noqa: COORD002\n", [f"2:5: {OLD_NAME}"],
    ),
    "noqa_codes_are_case_sensitive": (b"import old.mod  # noqa: coord001\n", [f"1:8: {IMPORT_OLD_MOD}"]),
    "flake8_noqa_silences_the_file": (b"# flake8: noqa\nimport old.mod\n", []),
    "flake8_noqa_after_code_does_not": (
        b"import old.mod  # flake8: noqa\nimport legacy\n", [f"1:8: {IMPORT_OLD_MOD}", f"2:8: {IMPORT_LEGACY}"],
    ),
    "noqa_before_a_lone_carriage_return": (b"import old.mod  # noqa\rimport legacy\n", [f"2:8: {IMPORT_LEGACY}"]),
    "noqa_in_a_string_ended_by_carriage_returns": (b"x = '''# noqa\r'''; import legacy\r", []),
    "noqa_after_a_backslash_and_carriage_return": (b"from old.mod import OldName, \\\r    other  # noqa\r", []),
    "noqa_on_a_line_of_its_own_after_carriage_returns": (
        b"import os, \\\r    legacy\r  # noqa\r", [f"2:5: {IMPORT_LEGACY}"],
    ),
    "crlf_and_a_noqa": (b"import old.mod  # noqa\r\nfrom old.mod import OldName\r\n", [f"2:21: {OLD_NAME}"]),
}


def write(root: Path, files: Dict[str, bytes]) -> None:
    (root / "pyproject.toml").write_text(REGISTRY, encoding="utf-8")
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def check(root: Path, *paths: str) -> List[str]:
    result = run([str(BIN / "flake8-coordination"), "check", "--today", "2026-01-01", *paths], root)
    assert result.returncode in (0, 1) and result.stderr == "", result.stderr
    return result.stdout.splitlines()


def flake8(root: Path, *args: str) -> List[str]:
    result = run([str(BIN / "flake8"), "--select", "COORD", "--coordination-today", "2026-01-01", *args], root)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize("data, expected", CASES.values(), ids=list(CASES))
def test_check_and_flake8_agree(tmp_path: Path, data: bytes, expected: List[str]) -> None:
    write(tmp_path, {"case.py": data})
    lines = [f"case.py:{finding}" for finding in expected]
    assert check(tmp_path, "case.py") == lines
    assert flake8(tmp_path, "case.py") == lines


@pytest.mark.parametrize("data, error", [
    (b"if x:\n    y = 1\n  import old.mod\n", "3:17: syntax error: unindent does not match any outer indentation level"),
    (b"if x:\n        y = 1\n\timport old.mod\n", "3:1: syntax error: inconsistent use of tabs and spaces in indentation"),
    (b"  x = 1\nimport old.mod\n", "1:2: syntax error: unexpected indent"),
], ids=["dedent_to_no_level", "tabs_after_spaces", "indented_first_line"])
def test_indentation_errors_next_to_a_kept_line_are_reported(tmp_path: Path, data: bytes, error: str) -> None:
    write(tmp_path, {"case.py": data})
    result = run([str(BIN / "flake8-coordination"), "check", "case.py"], tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"flake8-coordination: error: case.py:{error}\n")
    e999 = run([str(BIN / "flake8"), "--select", "E999", "case.py"], tmp_path).stdout
    assert e999.startswith(f"case.py:{error.split(':')[0]}:") and "E999" in e999


PACKAGES = {
    "sub/pkgx/__init__.py": b"",
    "sub/pkgx/a.py": b"import legacy\n",
    "sub/new/__init__.py": b"",
    "sub/new/mod.py": b"Other = 1\n",
    "t.py": b"from old.mod import OldName\n",
}


@pytest.mark.parametrize("order", [("sub/pkgx/a.py", "t.py"), ("t.py", "sub/pkgx/a.py")], ids=["package_first", "package_last"])
def test_what_a_file_is_told_does_not_depend_on_the_files_checked_before(tmp_path: Path, order) -> None:
    write(tmp_path, PACKAGES)
    expected = {"sub/pkgx/a.py": f"sub/pkgx/a.py:1:8: {IMPORT_LEGACY}", "t.py": f"t.py:1:21: {OLD_NAME}"}
    lines = [expected[path] for path in order]
    assert check(tmp_path, *order) == lines
    assert flake8(tmp_path, "--jobs", "1", *order) == sorted(lines)  # flake8 sorts by file name
    assert flake8(tmp_path, "--jobs", "2", *order) == sorted(lines)


def test_folders_hold_the_files_flake8_would_check_by_name(tmp_path: Path) -> None:
    write(tmp_path, {"src/a.py": b"import legacy\n", "src/B.PY": b"import legacy\n", "src/egg.egg/c.py": b"import legacy\n"})
    assert check(tmp_path, "src") == [f"src/a.py:1:8: {IMPORT_LEGACY}"]
    assert flake8(tmp_path, "src") == [f"src/a.py:1:8: {IMPORT_LEGACY}"]
