"""``flake8-coordination discover``: wrappers found statically, entries that load as a registry."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from flake8_coordination.cli import main
from flake8_coordination.config import build_settings
from flake8_coordination.discover import find_wrapper, message_target
from report_fixtures import write_tree

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PACKAGE = {
    "pkg/__init__.py": "",
    "pkg/new.py": "class Manager:\n    pass\n\n\ndef get_manager():\n    return Manager()\n",
    "pkg/old.py": (
        '"""Old module."""\n'
        "import warnings\n"
        "\n"
        "warnings.warn(\n"
        '    "pkg.old is deprecated and will be removed in Q3 2026. "\n'
        "    \"Use 'from pkg.new import Manager' instead.\",\n"
        "    DeprecationWarning,\n"
        "    stacklevel=2,\n"
        ")\n"
        "\n"
        "from pkg.new import Manager as OldManager, get_manager\n"
        "\n"
        "legacy_manager = get_manager\n"
    ),
    "pkg/future.py": (
        "from warnings import warn as _warn\n"
        "\n"
        "from .new import Manager\n"
        "\n"
        '_warn(f"{__name__} goes away on 2026-09-30; removal planned", category=FutureWarning)\n'
    ),
    "pkg/text_only.py": (
        "import warnings\n"
        "import json\n"
        "\n"
        "if True:\n"
        '    warnings.warn("text_only is deprecated, use pkg.new instead", PendingDeprecationWarning)\n'
        "\n"
        "\n"
        "class Big:\n"
        "    pass\n"
    ),
    "pkg/user_warning.py": "import warnings\nwarnings.warn('careful', UserWarning)\n",
    "pkg/in_function.py": "import warnings\n\n\ndef f():\n    warnings.warn('old f', DeprecationWarning)\n",
    "pkg/_deprecated_thing.py": "from pkg.new import get_manager\n",
    "pkg/legacy/__init__.py": (
        "import warnings as _w\n"
        "\n"
        '_MOVED = {"thing": "_deprecated_thing_impl"}\n'
        "\n"
        "\n"
        "def __getattr__(name):\n"
        "    if name in _MOVED:\n"
        '        _w.warn(f"pkg.legacy.{name} is deprecated", DeprecationWarning, stacklevel=2)\n'
        "        import importlib\n"
        '        return importlib.import_module(f"pkg.legacy.{_MOVED[name]}")\n'
        "    raise AttributeError(name)\n"
    ),
    "pkg/legacy/_deprecated_thing_impl.py": (
        "import warnings\n"
        'warnings.warn("thing is deprecated; use pkg.new", DeprecationWarning)\n'
        "from pkg.new import get_manager as get_thing\n"
    ),
    "pkg/api.py": (
        "import warnings\n"
        "\n"
        "\n"
        "def __getattr__(name):\n"
        '    if name == "OldName":\n'
        '        warnings.warn("OldName is deprecated, use pkg.new.Manager", DeprecationWarning)\n'
        "        from pkg.new import Manager\n"
        "        return Manager\n"
        "    raise AttributeError(name)\n"
    ),
    "pkg/side_effect.py": "open('IMPORTED', 'w').write('x')\nraise SystemExit(3)  # warn\n",
}

EXPECTED = '''\
# 7 deprecation wrappers found; review, then paste into pyproject.toml

# pkg/_deprecated_thing.py:1: named _deprecated_*
[tool.flake8-coordination.deprecated."pkg._deprecated_thing"]
replacement = "pkg.new"  # from the re-export

# pkg/api.py:4: __getattr__ warns (DeprecationWarning) for OldName
# only names served by __getattr__ warn; an entry would deprecate the whole module
# [tool.flake8-coordination.deprecated."pkg.api"]
# replacement = "pkg.new"  # from the message
# reason = "OldName is deprecated, use pkg.new.Manager"

# pkg/future.py:5: module-level warnings.warn(..., FutureWarning)
[tool.flake8-coordination.deprecated."pkg.future"]
replacement = "pkg.new"  # from the re-export
reason = "{...} goes away on 2026-09-30; removal planned"
removal = "2026-09-30"
category = "FutureWarning"

# pkg/legacy/_deprecated_thing_impl.py:2: module-level warnings.warn(..., DeprecationWarning)
[tool.flake8-coordination.deprecated."pkg.legacy._deprecated_thing_impl"]
replacement = "pkg.new"  # from the message
reason = "thing is deprecated; use pkg.new"
names = { get_thing = "pkg.new:get_manager" }

# pkg/legacy/__init__.py:6: served by the package's __getattr__ shim
[tool.flake8-coordination.deprecated."pkg.legacy.thing"]
replacement = "pkg.new"  # from the shim
reason = "pkg.legacy.{...} is deprecated"
names = { get_thing = "pkg.new:get_manager" }

# pkg/old.py:4: module-level warnings.warn(..., DeprecationWarning)
[tool.flake8-coordination.deprecated."pkg.old"]
replacement = "pkg.new"  # from the message
reason = "pkg.old is deprecated and will be removed in Q3 2026."
removal = "Q3 2026"
names = { OldManager = "pkg.new:Manager", legacy_manager = "pkg.new:get_manager" }

# pkg/text_only.py:5: module-level warnings.warn(..., PendingDeprecationWarning)
[tool.flake8-coordination.deprecated."pkg.text_only"]
replacement = "pkg.new"  # from the message
reason = "text_only is deprecated, use pkg.new instead"
category = "PendingDeprecationWarning"
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path, PACKAGE)


def run(capsys, *argv: str):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_discover_toml_exact(project: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(project)
    code, out, err = run(capsys, "discover", str(project))
    assert (code, err) == (0, "")
    assert out == EXPECTED
    assert not (project / "IMPORTED").exists()  # never imported


def test_discover_output_loads_as_a_registry(project: Path, capsys) -> None:
    _, out, _ = run(capsys, "discover", str(project))
    table = tomllib.loads(out)["tool"]["flake8-coordination"]
    settings = build_settings(table, "discovered.toml")
    registry = settings.registry
    assert sorted(m for m in registry.deprecations if m.startswith("pkg.")) == [
        "pkg._deprecated_thing", "pkg.future", "pkg.legacy._deprecated_thing_impl", "pkg.legacy.thing",
        "pkg.old", "pkg.text_only",
    ]
    old = registry.deprecations["pkg.old"]
    assert (old.replacement, old.removal.isoformat(), old.category) == ("pkg.new", "2026-09-30", "DeprecationWarning")
    move = registry.name_move("pkg.old", "OldManager")
    assert (move.new_module, move.new_name) == ("pkg.new", "Manager")
    assert registry.deprecations["pkg.future"].category == "FutureWarning"


def test_discover_json_and_new_only(project: Path, tmp_path: Path, capsys) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.flake8-coordination]\nuse-default = false\n\n'
                      '[tool.flake8-coordination.deprecated."pkg.old"]\nreplacement = "pkg.new"\n')
    code, out, _ = run(capsys, "discover", str(project), "--config", str(config), "--format", "json")
    assert code == 0
    hits = {hit["module"]: hit for hit in json.loads(out)}
    assert hits["pkg.old"]["registered"] is True
    assert hits["pkg.api"] == {
        "module": "pkg.api", "path": "pkg/api.py", "line": 4, "how": "getattr", "category": "DeprecationWarning",
        "message": "OldName is deprecated, use pkg.new.Manager", "replacement": "pkg.new",
        "inferred_from": "message", "names": {}, "removal": None, "shimmed": {"OldName": None},
        "registered": False, "advisory": True,
    }
    _, out, _ = run(capsys, "discover", str(project), "--config", str(config), "--new", "--format", "json")
    assert "pkg.old" not in {hit["module"] for hit in json.loads(out)}


def test_discover_on_a_file_with_a_syntax_error_warns_and_goes_on(project: Path, capsys) -> None:
    (project / "pkg" / "broken.py").write_text("import warnings\nwarnings.warn(\n")
    code, out, err = run(capsys, "discover", str(project))
    assert code == 0
    assert out.startswith("# 7 deprecation wrappers found")
    assert err == "flake8-coordination: warning: pkg/broken.py:2:14: syntax error: '(' was never closed\n"


@pytest.mark.parametrize("source", [
    "import warnings\nwarnings.warn('x', UserWarning)\n",
    "import warnings\nwarnings.warn('x')\n",
    "import warnings\n\ndef f():\n    warnings.warn('x', DeprecationWarning)\n",
    "import warn\nwarn.warn('x', DeprecationWarning)\n",
    "x = 1\n",
])
def test_not_a_wrapper(source: str) -> None:
    assert find_wrapper(source, "m.py", "pkg.m", False) is None


@pytest.mark.parametrize("message, expected", [
    ("Use 'from pkg.new import X' instead.", "pkg.new"),
    ("use pkg.new.Manager instead", "pkg.new"),
    ("Use new instead", "pkg.new"),
    ("moved to pkg.sub.mod", None),
    ("pkg.m is deprecated", None),
    ("deprecated, see docs", None),
])
def test_message_target(message: str, expected) -> None:
    assert message_target(message, "pkg.m", {"pkg", "pkg.m", "pkg.new"}) == expected


def test_replacement_cycles_are_broken(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path, {
        "q/__init__.py": "",
        "q/a.py": "import warnings\nwarnings.warn('use q.b', DeprecationWarning)\n",
        "q/b.py": "import warnings\nwarnings.warn('use q.a', DeprecationWarning)\n",
    })
    _, out, _ = run(capsys, "discover", str(tmp_path))
    table = tomllib.loads(out)["tool"]["flake8-coordination"]
    build_settings(table, "discovered.toml")  # no cycle error
    assert [line for line in out.splitlines() if line.startswith("replacement")] == [
        'replacement = "q.a"  # from the message'
    ]
    assert '# replacement = "..."  # not found: fill in' in out
