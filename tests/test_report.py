"""``flake8-coordination report PATH``: exact Markdown and JSON on a small project."""
from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_coordination.cli import main
from flake8_coordination.config import build_settings
from flake8_coordination.report import (
    DocReference,
    Usage,
    area_of,
    build_report,
    count_modules,
    to_json,
    to_markdown,
)
from report_fixtures import PROJECT, write_tree

TODAY = "2026-01-15"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "proj", PROJECT)


def run(capsys, *argv: str) -> tuple:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


EXPECTED = """\
# Consolidation progress: app.coordination

- Modules: **3** (target 3)
- Deprecated usages: **4** in 4 files
- Deprecated files ready to delete: **1**
- Past their removal date: **1**
- Facade bypasses: **1**

13 Python files checked under `{root}` on 2026-01-15; registry: {root}/pyproject.toml.

## Module count

| app/coordination/ | files |
|---|---:|
| all `.py` files | 8 |
| `__init__.py` files | 2 |
| deprecated modules and wrappers | 3 |
| **modules** (all minus `__init__.py` minus deprecated) | **3** |
| target | 3 |

3 modules now (counting everything: 8), target 3: target reached.

## Deprecated modules

4 remaining usages of deprecated modules in 4 files.

| module | file | replacement | removal | usages | app | tests | scripts | other | allowed |
|---|---|---|---|---:|---:|---:|---:|---:|---:|
| `app.coordination.deprecated._deprecated_health` | `app/coordination/deprecated/_deprecated_health.py` | `app.coordination.health` | — | 0 | 0 | 0 | 0 | 0 | 0 |
| `app.coordination.event_emitters` | `app/coordination/event_emitters.py` | `app.coordination.event_router` | 2026-06-30 | 3 | 1 | 1 | 0 | 1 | 0 |
| `app.coordination.old_sync` | `app/coordination/old_sync.py` | `app.coordination.sync_facade` | 2025-12-31 (past) | 1 | 0 | 0 | 1 | 0 | 1 |

### `app.coordination.event_emitters` → `app.coordination.event_router`

3 usages in 3 files.

- app (1): `app/worker.py:1`
- tests (1): `tests/test_worker.py:1`
- other (1): `tools/x.py:1`

### `app.coordination.old_sync` → `app.coordination.sync_facade`

1 usage in 1 file.

- scripts (1): `scripts/run.py:1`

## Ready to delete

Deprecated modules whose file still exists and that nothing outside the wrappers and their tests imports:

- `app.coordination.deprecated._deprecated_health` (`app/coordination/deprecated/_deprecated_health.py`)

## Past removal date

- `app.coordination.old_sync`: due 2025-12-31, 1 usage left, file still exists

## Facade bypasses

| facade | bypasses | files | most bypassed |
|---|---:|---:|---|
| `app.coordination.sync_facade` | 1 | 1 | `app.coordination.sync_impl` (1) |

## Documentation

No documentation file shows a deprecated import.
"""


def test_markdown_report_exact(project: Path, capsys) -> None:
    code, out, err = run(capsys, "report", str(project), "--today", TODAY)
    assert (code, err) == (0, "")
    assert out == EXPECTED.format(root=project)


def test_json_report(project: Path, capsys) -> None:
    code, out, _ = run(capsys, "report", str(project), "--today", TODAY, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["module_count"] == {
        "files": 8, "init_files": 2, "deprecated_files": 3, "modules": 3,
        "deprecated_paths": ["deprecated/_deprecated_health.py", "event_emitters.py", "old_sync.py"],
    }
    assert data["target_module_count"] == 3
    assert data["deprecated_usages"] == 4
    assert data["ready_to_delete"] == ["app.coordination.deprecated._deprecated_health"]
    assert data["past_removal"] == ["app.coordination.old_sync"]
    emitters = next(d for d in data["deprecated"] if d["module"] == "app.coordination.event_emitters")
    assert emitters["importers"] == {
        "app": [{"path": "app/worker.py", "line": 1, "column": 1, "code": "COORD001",
                 "module": "app.coordination.event_emitters"}],
        "tests": [{"path": "tests/test_worker.py", "line": 1, "column": 8, "code": "COORD001",
                   "module": "app.coordination.event_emitters"}],
        "scripts": [],
        "other": [{"path": "tools/x.py", "line": 1, "column": 8, "code": "COORD001",
                   "module": "app.coordination.event_emitters"}],
    }
    old_sync = next(d for d in data["deprecated"] if d["module"] == "app.coordination.old_sync")
    assert old_sync["importers"]["scripts"] == [
        {"path": "scripts/run.py", "line": 1, "column": 1, "code": "COORD003", "module": "app.coordination.old_sync"}
    ]
    assert old_sync["allowed_importers"] == [
        {"path": "app/coordination/sync_facade.py", "line": 2, "column": 1, "code": "COORD003",
         "module": "app.coordination.old_sync"}
    ]
    assert old_sync["ready_to_delete"] is False
    assert data["facades"] == [{
        "facade": "app.coordination.sync_facade", "bypasses": 1,
        "by_module": {"app.coordination.sync_impl": 1},
        "usages": [{"path": "app/worker.py", "line": 2, "column": 30, "code": "COORD004",
                    "module": "app.coordination.sync_impl"}],
    }]
    assert data["errors"] == []
    assert data["docs"] == []


def test_documentation_still_showing_deprecated_imports(project: Path, capsys) -> None:
    (project / "docs").mkdir()
    (project / "docs" / "guide.md").write_text(
        "# Guide\n\n```python\nfrom app.coordination.event_emitters import publish\n```\n")
    _, out, _ = run(capsys, "report", str(project), "--today", TODAY)
    assert out.endswith("## Documentation\n\n- `docs/guide.md:4`: `app.coordination.event_emitters` — markdown\n")


def test_wrapper_becomes_ready_once_importers_migrate(project: Path, capsys) -> None:
    (project / "app/worker.py").write_text("from app.coordination.event_router import publish\n")
    (project / "tests/test_worker.py").write_text("import app.coordination.event_router\n")
    (project / "tools/x.py").write_text("")
    _, out, _ = run(capsys, "report", str(project), "--today", TODAY, "--format", "json")
    data = json.loads(out)
    assert data["ready_to_delete"] == [
        "app.coordination.deprecated._deprecated_health", "app.coordination.event_emitters",
    ]


def test_output_file_and_syntax_error_listed(project: Path, capsys) -> None:
    (project / "app/broken.py").write_text("import app.coordination.event_emitters as\n")
    target = project / "report.md"
    code, out, _ = run(capsys, "report", str(project), "--today", TODAY, "--output", str(target))
    assert (code, out) == (0, "")
    text = target.read_text()
    assert text.endswith("No documentation file shows a deprecated import.\n\n## Files that could not be checked\n\n- app/broken.py:1:42: syntax error: invalid syntax\n")


def test_package_folder_missing(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path, {"pyproject.toml": PROJECT["pyproject.toml"], "lib/x.py": "import os\n"})
    code, out, _ = run(capsys, "report", str(tmp_path), "--today", TODAY)
    assert code == 0
    assert "The package folder (`app/coordination`) was not found under" in out
    assert "- Modules: **?** (target 3)" in out


@pytest.mark.parametrize("argv, message", [
    (["report", "{root}/nope"], "flake8-coordination: error: {root}/nope: no such file or directory\n"),
    (["report", "{root}", "--chart", "x.svg"],
     "flake8-coordination: error: report: --chart, --since, --until, --path, --prefix, --first-parent and "
     "--jobs need --history\n"),
    (["report", "{root}/app/worker.py"],
     "flake8-coordination: error: {root}/app/worker.py: is not a folder (give the project folder)\n"),
    (["report", "{root}", "--today", "soon"], "flake8-coordination: error: --today: 'soon' is not a date (YYYY-MM-DD)\n"),
    (["report", "{root}", "--output", "{root}/no/such/dir/r.md"],
     "flake8-coordination: error: {root}/no/such/dir/r.md: folder {root}/no/such/dir does not exist\n"),
])
def test_bad_input_is_one_located_message(project: Path, capsys, argv, message) -> None:
    code, out, err = run(capsys, *[a.format(root=project) for a in argv])
    assert (code, out, err) == (2, "", message.format(root=project))


def test_console_script(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "flake8_coordination", "report", str(project), "--today", TODAY, "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["deprecated_usages"] == 4


# -- the pure parts -------------------------------------------------------------------------
def test_count_modules_counts_both_ways() -> None:
    settings = build_settings({"use-default": False, "package": "pkg",
                               "deprecated": {"pkg.old": {"replacement": "pkg.new"}}}, "t")
    count = count_modules(
        ["__init__.py", "new.py", "old.py", "_deprecated_x.py", "deprecated/__init__.py", "deprecated/y.py",
         "sub/__init__.py", "sub/z.py", "README.md"],
        "pkg", settings.registry,
    )
    assert (count.files, count.init_files, count.deprecated_files, count.modules) == (8, 3, 3, 2)
    assert count.deprecated_paths == ("_deprecated_x.py", "deprecated/y.py", "old.py")


@pytest.mark.parametrize("path, area", [
    ("app/x.py", "app"), ("tests/unit/t.py", "tests"), ("test/t.py", "tests"), ("scripts/s.py", "scripts"),
    ("setup.py", "other"), ("docs/conf.py", "other"),
    ("src/app/x.py", "app"), ("src/app.py", "other"), ("src/other/x.py", "other"),  # a src layout
])
def test_area_of(path: str, area: str) -> None:
    assert area_of(path, "app") == area


def test_docs_section_hook() -> None:
    settings = build_settings({"use-default": False, "package": "pkg",
                               "deprecated": {"pkg.old": {"replacement": "pkg.new"}}}, "t")
    today = datetime.date(2026, 1, 1)
    usage = Usage("app/a.py", 3, 0, "COORD001", "pkg.old", "app.a")
    empty = build_report(settings.registry, [usage], {}, None, today, docs=[])
    assert to_markdown(empty).endswith("## Documentation\n\nNo documentation file shows a deprecated import.\n")
    docs = [DocReference("docs/guide.md", 12, "pkg.old", "from pkg.old import x")]
    report = build_report(settings.registry, [usage], {}, None, today, docs=docs)
    assert to_markdown(report).endswith("## Documentation\n\n- `docs/guide.md:12`: `pkg.old` — from pkg.old import x\n")
    assert to_json(report)["docs"] == [
        {"path": "docs/guide.md", "line": 12, "module": "pkg.old", "text": "from pkg.old import x"}
    ]
    assert "## Documentation" not in to_markdown(build_report(settings.registry, [usage], {}, None, today))


def test_output_file_gets_ordinary_permissions(project: Path, capsys) -> None:
    import os

    target = project / "report.md"
    main(["report", str(project), "--today", TODAY, "--output", str(target)])
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    target.chmod(0o640)
    main(["report", str(project), "--today", TODAY, "--output", str(target)])
    assert target.stat().st_mode & 0o777 == 0o640
